// Package relevance is the search relevance set: queries with the records
// each must find and must not find, over the sample collection plus
// records written for it (records.jsonl). The search tests run it against
// Wenyuan's engine, and bench/searchpeers against the peers.
package relevance

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"strings"

	"wenyuan"
	"wenyuan/exchange"
	"wenyuan/sample"
)

//go:embed records.jsonl
var records []byte

//go:embed relevance.tsv
var set string

// Case is one query of the set.
type Case struct {
	Line          int // in relevance.tsv
	Query         string
	Must, MustNot []string // accession numbers
	ScopeName     string   // public, partner or university
	Scope         wenyuan.ReadScope
}

// Cases returns the relevance set.
func Cases() ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(strings.NewReader(set))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		for len(cols) < 4 {
			cols = append(cols, "")
		}
		c := Case{Line: n, Query: cols[0], Must: strings.Fields(cols[1]), MustNot: strings.Fields(cols[2]), ScopeName: cols[3]}
		switch cols[3] {
		case "", "public":
			c.ScopeName = "public"
		case "partner":
			c.Scope = wenyuan.ReadScope{Consortium: true, Institution: "palace-museum"}
		case "university":
			c.Scope = wenyuan.ReadScope{Consortium: true, Institution: "university"}
		default:
			return nil, fmt.Errorf("relevance.tsv:%d: unknown scope %q", n, cols[3])
		}
		if len(c.Must) == 0 && len(c.MustNot) == 0 {
			return nil, fmt.Errorf("relevance.tsv:%d: a query with nothing to check", n)
		}
		out = append(out, c)
	}
	return out, nil
}

// Load fills an empty store with the sample collection and the set's own
// records, and gives the sample's 王羲之 his other names (courtesy name,
// Wade–Giles) and REL-10 a link to him.
func Load(ctx context.Context, db wenyuan.Store) error {
	ctx = wenyuan.WithActor(ctx, "relevance")
	if err := sample.Load(ctx, db, func(string) {}); err != nil {
		return err
	}
	if res, err := exchange.Import(ctx, db, bytes.NewReader(records), exchange.Options{}); err != nil {
		return fmt.Errorf("records.jsonl: %v: %v", err, res.Rejects)
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
