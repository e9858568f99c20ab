package search_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"wenyuan"
	"wenyuan/exchange"
	"wenyuan/search"
)

// loadRelevanceRecords adds the records written for the relevance set
// (testdata/relevance-records.jsonl) to a store holding the sample, and
// gives the sample's 王羲之 his other names (courtesy name, Wade–Giles)
// and REL-10 a link to him.
func loadRelevanceRecords(ctx context.Context, db wenyuan.Store) error {
	ctx = wenyuan.WithActor(ctx, "test")
	f, err := os.Open("testdata/relevance-records.jsonl")
	if err != nil {
		return err
	}
	defer f.Close()
	if res, err := exchange.Import(ctx, db, f, exchange.Options{}); err != nil {
		return fmt.Errorf("%v: %v", err, res.Rejects)
	}
	agents, _, err := db.FindAuthorities(ctx, wenyuan.KindAgent, wenyuan.AuthorityFilter{Name: "王羲之"})
	if err != nil || len(agents) != 1 {
		return fmt.Errorf("agent 王羲之: %d found, %v", len(agents), err)
	}
	wang := agents[0].(*wenyuan.Agent)
	wang.Names = append(wang.Names,
		wenyuan.Name{Lang: "en", Value: "Wang Xizhi"},
		wenyuan.Name{Lang: "zh-Latn", Value: "Wang Hsi-chih", Type: "wade-giles"},
		wenyuan.Name{Lang: "zh-Hans", Value: "逸少", Type: "courtesy"})
	if err := db.UpdateRecord(ctx, wang); err != nil {
		return err
	}
	o, err := db.FindObjectByAccession(ctx, "university", "REL-10")
	if err != nil {
		return err
	}
	o.Makers[0].Agent = wang.ID
	return db.UpdateRecord(ctx, o)
}

// relevanceCase is one line of testdata/relevance.tsv: a query, the
// records (by accession number) that must be found, those that must not,
// and who searches (public by default).
type relevanceCase struct {
	line          int
	query         string
	must, mustNot []string
	scope         wenyuan.ReadScope
	scopeName     string
}

func readRelevanceSet(t testing.TB) []relevanceCase {
	f, err := os.Open("testdata/relevance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []relevanceCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		for len(cols) < 4 {
			cols = append(cols, "")
		}
		c := relevanceCase{line: n, query: cols[0], must: strings.Fields(cols[1]), mustNot: strings.Fields(cols[2]), scopeName: cols[3]}
		switch cols[3] {
		case "", "public":
			c.scopeName = "public"
		case "partner":
			c.scope = wenyuan.ReadScope{Consortium: true, Institution: "palace-museum"}
		case "university":
			c.scope = wenyuan.ReadScope{Consortium: true, Institution: "university"}
		default:
			t.Fatalf("relevance.tsv:%d: unknown scope %q", n, cols[3])
		}
		if len(c.must) == 0 && len(c.mustNot) == 0 {
			t.Fatalf("relevance.tsv:%d: a query with nothing to check", n)
		}
		out = append(out, c)
	}
	return out
}

// allHits runs q and returns the accession numbers of every hit.
func allHits(t testing.TB, e *search.Engine, q string, scope wenyuan.ReadScope) []string {
	t.Helper()
	var out []string
	for off := 0; ; off += search.MaxLimit {
		r, err := e.Search(&search.Request{Query: q, Scope: scope, Limit: search.MaxLimit, Offset: off})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		for _, h := range r.Hits {
			out = append(out, h.Accession)
		}
		if off+search.MaxLimit >= r.Total {
			return out
		}
	}
}

// TestRelevance runs the committed relevance set: every record that must be
// found is found (recall 100 %), and none that must not be is.
func TestRelevance(t *testing.T) {
	e := sampleEngine(t)
	cases := readRelevanceSet(t)
	if len(cases) < 60 {
		t.Fatalf("the relevance set has %d queries, want at least 60", len(cases))
	}
	found, wanted := 0, 0
	for _, c := range cases {
		got := allHits(t, e, c.query, c.scope)
		for _, m := range c.must {
			wanted++
			if slices.Contains(got, m) {
				found++
			} else {
				t.Errorf("relevance.tsv:%d: %q (%s) does not find %s (%d hits)", c.line, c.query, c.scopeName, m, len(got))
			}
		}
		for _, m := range c.mustNot {
			if slices.Contains(got, m) {
				t.Errorf("relevance.tsv:%d: %q (%s) finds %s, which it must not", c.line, c.query, c.scopeName, m)
			}
		}
	}
	t.Logf("recall %d/%d over %d queries", found, wanted, len(cases))
}
