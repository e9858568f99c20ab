package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"wenyuan/internal/testenv"

	"wenyuan"
	"wenyuan/sqlite"
	"wenyuan/web"
)

// oaiResponse is what the tests read of an OAI-PMH response.
type oaiResponse struct {
	Error *struct {
		Code string `xml:"code,attr"`
		Text string `xml:",chardata"`
	} `xml:"error"`
	Request struct {
		Verb string `xml:"verb,attr"`
	} `xml:"request"`
	Headers []oaiHeader `xml:"ListIdentifiers>header"`
	Records []struct {
		Header oaiHeader `xml:"header"`
		Titles []struct {
			Lang string `xml:"lang,attr"`
			Text string `xml:",chardata"`
		} `xml:"metadata>dc>title"`
	} `xml:"ListRecords>record"`
	Record *struct {
		Header oaiHeader `xml:"header"`
	} `xml:"GetRecord>record"`
	Token *struct {
		Size   int    `xml:"completeListSize,attr"`
		Cursor int    `xml:"cursor,attr"`
		Text   string `xml:",chardata"`
	} `xml:"ListRecords>resumptionToken"`
	IDToken *struct {
		Text string `xml:",chardata"`
	} `xml:"ListIdentifiers>resumptionToken"`
	Sets    []string `xml:"ListSets>set>setSpec"`
	Formats []string `xml:"ListMetadataFormats>metadataFormat>metadataPrefix"`
}

type oaiHeader struct {
	Status     string   `xml:"status,attr"`
	Identifier string   `xml:"identifier"`
	Datestamp  string   `xml:"datestamp"`
	Sets       []string `xml:"setSpec"`
}

// validateOAI checks a response against the OAI-PMH 2.0 schema and its
// payloads' with xmllint, as CI does (./run test installs it).
func validateOAI(t *testing.T, body []byte) {
	t.Helper()
	xmllint := testenv.Command(t, "xmllint", "no xmllint on PATH: ./run test installs Debian's libxml2-utils for the schema checks")
	f := filepath.Join(t.TempDir(), "response.xml")
	if err := os.WriteFile(f, body, 0o644); err != nil {
		t.Fatal(err)
	}
	schema := "testdata/oai/oai-pmh-all.xsd"
	if bytes.Contains(body, []byte("<lido:lido")) {
		schema = "testdata/oai/oai-pmh-lido.xsd"
	}
	cmd := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, f)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join("testdata", "oai", "catalog.xml"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the response does not validate: %v\n%s\n%.2000s", err, out, body)
	}
}

// oaiGet asks the provider and checks the answer is valid.
func oaiGet(t *testing.T, srv *httptest.Server, query string) oaiResponse {
	t.Helper()
	r := do(t, srv, "GET", "/oai?"+query, nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/xml") {
		t.Fatalf("GET /oai?%s = %d %s", query, r.status, r.header.Get("Content-Type"))
	}
	validateOAI(t, r.body)
	var resp oaiResponse
	if err := xml.Unmarshal(r.body, &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// oaiStore is a store with public, internal, withdrawn and deleted objects.
type oaiStore struct {
	srv                       *httptest.Server
	db                        *sqlite.DB
	public, internal, deleted []string
	withdrawn                 string
	cls                       string
}

func newOAIStore(t *testing.T, pageSize int) *oaiStore {
	t.Helper()
	srv, db := MustServer(t)
	srv.Config.Handler.(*web.Server).OAIPageSize = pageSize
	ctx := wenyuan.WithActor(context.Background(), "test")
	st := &oaiStore{srv: srv, db: db}
	for _, in := range []string{"palace", "academy"} {
		db.CreateRecord(ctx, &wenyuan.Institution{ID: in, Names: wenyuan.Names{{Lang: "zh-Hans", Value: in + "馆"}, {Lang: "en", Value: in}}})
	}
	c := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "陶瓷"}, {Lang: "en", Value: "Ceramics & <Pottery>"}}}
	db.CreateRecord(ctx, c)
	st.cls = c.ID
	for i := 0; i < 7; i++ {
		o := &wenyuan.Object{Institution: []string{"palace", "academy"}[i%2], AccessionNumber: "P-" + string(rune('a'+i)),
			Titles:         wenyuan.Text{{Lang: "zh-Hans", Value: "青花瓶 " + string(rune('a'+i))}, {Lang: "en", Value: "Vase & jar <" + string(rune('a'+i)) + ">"}},
			Classification: []string{c.ID}, Date: &wenyuan.Dating{Display: "西汉", Earliest: ip(-206), Latest: ip(8)}}
		if err := db.CreateRecord(ctx, o); err != nil {
			t.Fatal(err)
		}
		st.public = append(st.public, o.ID)
	}
	in := &wenyuan.Object{Institution: "palace", AccessionNumber: "I-1", Titles: wenyuan.Text{{Lang: "en", Value: "internal"}}, Visibility: wenyuan.VisibilityInternal}
	db.CreateRecord(ctx, in)
	st.internal = append(st.internal, in.ID)
	del := &wenyuan.Object{Institution: "palace", AccessionNumber: "D-1", Titles: wenyuan.Text{{Lang: "en", Value: "deleted"}}}
	db.CreateRecord(ctx, del)
	db.DeleteRecord(ctx, wenyuan.KindObject, del.ID)
	st.deleted = append(st.deleted, del.ID)
	wd := &wenyuan.Object{Institution: "academy", AccessionNumber: "W-1", Titles: wenyuan.Text{{Lang: "en", Value: "withdrawn"}}}
	db.CreateRecord(ctx, wd)
	wd.Visibility, wd.Version = wenyuan.VisibilityInternal, 0
	db.UpdateRecord(ctx, wd)
	st.withdrawn = wd.ID
	return st
}

func ip(i int) *int { return &i }

// TestOAIVerbs: every verb, its arguments and every error the protocol
// asks for; each response validates against the OAI-PMH schema.
func TestOAIVerbs(t *testing.T) {
	st := newOAIStore(t, 3)
	id := func(x string) string { return url.QueryEscape("oai:wenyuan.local:" + x) }
	for _, tt := range []struct {
		name, query, code string
		check             func(t *testing.T, r oaiResponse)
	}{
		{"Identify", "verb=Identify", "", nil},
		{"formats", "verb=ListMetadataFormats", "", func(t *testing.T, r oaiResponse) {
			if len(r.Formats) == 0 || r.Formats[0] != "oai_dc" {
				t.Errorf("formats %v", r.Formats)
			}
		}},
		{"formats of a record", "verb=ListMetadataFormats&identifier=" + id(st.public[0]), "", nil},
		{"formats of an internal record", "verb=ListMetadataFormats&identifier=" + id(st.internal[0]), "idDoesNotExist", nil},
		{"sets", "verb=ListSets", "", func(t *testing.T, r oaiResponse) {
			want := []string{"institution", "institution:academy", "institution:palace", "classification", "classification:" + st.cls}
			for _, w := range want {
				found := false
				for _, s := range r.Sets {
					found = found || s == w
				}
				if !found {
					t.Errorf("sets %v lack %s", r.Sets, w)
				}
			}
		}},
		{"sets with a token", "verb=ListSets&resumptionToken=x", "badResumptionToken", nil},
		{"GetRecord", "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + id(st.public[0]), "", func(t *testing.T, r oaiResponse) {
			if r.Record == nil || r.Record.Header.Status != "" || len(r.Record.Header.Sets) != 2 {
				t.Errorf("record %+v", r.Record)
			}
		}},
		{"GetRecord deleted", "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + id(st.deleted[0]), "", func(t *testing.T, r oaiResponse) {
			if r.Record == nil || r.Record.Header.Status != "deleted" {
				t.Errorf("deleted record %+v", r.Record)
			}
		}},
		{"GetRecord withdrawn", "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + id(st.withdrawn), "", func(t *testing.T, r oaiResponse) {
			if r.Record == nil || r.Record.Header.Status != "deleted" {
				t.Errorf("withdrawn record %+v", r.Record)
			}
		}},
		{"GetRecord internal", "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + id(st.internal[0]), "idDoesNotExist", nil},
		{"GetRecord unknown", "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + id("nosuch"), "idDoesNotExist", nil},
		{"GetRecord other repository", "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:" + st.public[0], "idDoesNotExist", nil},
		{"GetRecord format", "verb=GetRecord&metadataPrefix=marc21&identifier=" + id(st.public[0]), "cannotDisseminateFormat", nil},
		{"GetRecord no identifier", "verb=GetRecord&metadataPrefix=oai_dc", "badArgument", nil},
		{"ListIdentifiers", "verb=ListIdentifiers&metadataPrefix=oai_dc", "", func(t *testing.T, r oaiResponse) {
			if len(r.Headers) != 3 || r.IDToken == nil || r.IDToken.Text == "" {
				t.Errorf("first page: %d headers, token %+v", len(r.Headers), r.IDToken)
			}
		}},
		{"ListRecords set", "verb=ListRecords&metadataPrefix=oai_dc&set=institution:academy", "", nil},
		{"ListRecords LIDO", "verb=ListRecords&metadataPrefix=lido", "", nil},
		{"GetRecord LIDO", "verb=GetRecord&metadataPrefix=lido&identifier=" + id(st.public[0]), "", nil},
		{"ListRecords classification", "verb=ListRecords&metadataPrefix=oai_dc&set=classification", "", nil},
		{"ListRecords unknown set", "verb=ListRecords&metadataPrefix=oai_dc&set=nosuch", "noRecordsMatch", nil},
		{"ListRecords until long ago", "verb=ListRecords&metadataPrefix=oai_dc&until=2001-01-01", "noRecordsMatch", nil},
		{"ListRecords from today", "verb=ListRecords&metadataPrefix=oai_dc&from=" + time.Now().UTC().Format("2006-01-02"), "", nil},
		{"ListRecords seconds", "verb=ListRecords&metadataPrefix=oai_dc&from=2001-01-01T00:00:00Z&until=2999-01-01T00:00:00Z", "", nil},
		{"mixed granularity", "verb=ListRecords&metadataPrefix=oai_dc&from=2001-01-01&until=2999-01-01T00:00:00Z", "badArgument", nil},
		{"from after until", "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-02&until=2020-01-01", "badArgument", nil},
		{"bad date", "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument", nil},
		{"no prefix", "verb=ListRecords", "badArgument", nil},
		{"unknown prefix", "verb=ListIdentifiers&metadataPrefix=mods", "cannotDisseminateFormat", nil},
		{"token and more", "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument", nil},
		{"bad token", "verb=ListRecords&resumptionToken=abc", "badResumptionToken", nil},
		{"illegal argument", "verb=Identify&color=red", "badArgument", nil},
		{"repeated argument", "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument", nil},
		{"no verb", "", "badVerb", nil},
		{"bad verb", "verb=ListEverything", "badVerb", nil},
		{"repeated verb", "verb=Identify&verb=Identify", "badVerb", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := oaiGet(t, st.srv, tt.query)
			code := ""
			if r.Error != nil {
				code = r.Error.Code
			}
			if code != tt.code {
				t.Fatalf("GET /oai?%s: error %q, want %q", tt.query, code, tt.code)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
	// POST works as GET.
	r := do(t, st.srv, "POST", "/oai", "verb=Identify", "Content-Type", "application/x-www-form-urlencoded")
	validateOAI(t, r.body)
	if !bytes.Contains(r.body, []byte("<Identify>")) {
		t.Errorf("POST Identify: %s", r.body)
	}
}

// listAll follows a list's resumption tokens; it returns the records by
// identifier and checks cursors and sizes as it goes.
func listAll(t *testing.T, srv *httptest.Server, query string, between func(page int)) map[string]oaiHeader {
	t.Helper()
	got := map[string]oaiHeader{}
	q := query
	for page := 0; ; page++ {
		r := oaiGet(t, srv, q)
		if r.Error != nil {
			if r.Error.Code == "noRecordsMatch" && page == 0 {
				return got
			}
			t.Fatalf("page %d: %s: %s", page, r.Error.Code, r.Error.Text)
		}
		for _, rec := range r.Records {
			if _, dup := got[rec.Header.Identifier]; dup {
				t.Errorf("%s harvested twice", rec.Header.Identifier)
			}
			got[rec.Header.Identifier] = rec.Header
		}
		if r.Token == nil || r.Token.Text == "" {
			if r.Token != nil && r.Token.Size != len(got) {
				t.Errorf("the last page says completeListSize %d, the harvest has %d", r.Token.Size, len(got))
			}
			return got
		}
		if r.Token.Cursor != len(got)-len(r.Records) {
			t.Errorf("page %d: cursor %d, records before it %d", page, r.Token.Cursor, len(got)-len(r.Records))
		}
		if between != nil {
			between(page)
		}
		q = "verb=ListRecords&resumptionToken=" + url.QueryEscape(r.Token.Text)
	}
}

// TestOAIHarvestDuringChanges: a harvest in pages of 3 while objects are
// added, changed, withdrawn and deleted gives every object public when
// it began exactly once, what was withdrawn or deleted as deleted, and
// nothing never public; the next harvest from the first one's date sees
// every change.
func TestOAIHarvestDuringChanges(t *testing.T) {
	st := newOAIStore(t, 3)
	ctx := wenyuan.WithActor(context.Background(), "test")
	start := time.Now().UTC().Truncate(time.Second)
	var added string
	got := listAll(t, st.srv, "verb=ListRecords&metadataPrefix=oai_dc", func(page int) {
		if page != 0 {
			return
		}
		o := &wenyuan.Object{Institution: "palace", AccessionNumber: "NEW", Titles: wenyuan.Text{{Lang: "en", Value: "new"}}}
		st.db.CreateRecord(ctx, o)
		added = o.ID
		rec, _ := st.db.FindRecord(ctx, wenyuan.KindObject, st.public[5])
		o5 := rec.(*wenyuan.Object)
		o5.Titles, o5.Version = wenyuan.Text{{Lang: "en", Value: "changed"}}, 0
		st.db.UpdateRecord(ctx, o5)
		st.db.DeleteRecord(ctx, wenyuan.KindObject, st.public[6])
	})
	want := map[string]string{st.deleted[0]: "deleted", st.withdrawn: "deleted", st.public[6]: "deleted"}
	for _, id := range st.public[:6] {
		want[id] = ""
	}
	if len(got) != len(want) {
		t.Errorf("harvested %d records, want %d", len(got), len(want))
	}
	for id, status := range want {
		h, ok := got["oai:wenyuan.local:"+id]
		if !ok {
			t.Errorf("the harvest skipped %s", id)
		} else if h.Status != status {
			t.Errorf("%s has status %q, want %q", id, h.Status, status)
		}
	}
	// The next harvest, incremental from when the first began.
	time.Sleep(1100 * time.Millisecond)
	got = listAll(t, st.srv, "verb=ListRecords&metadataPrefix=oai_dc&from="+start.Format("2006-01-02T15:04:05Z"), nil)
	for _, id := range []string{added, st.public[5]} {
		if h, ok := got["oai:wenyuan.local:"+id]; !ok || h.Status != "" {
			t.Errorf("the next harvest lacks %s", id)
		}
	}
	if h := got["oai:wenyuan.local:"+st.public[6]]; h.Status != "deleted" {
		t.Errorf("the next harvest does not give %s as deleted", st.public[6])
	}
	for _, id := range st.internal {
		if _, ok := got["oai:wenyuan.local:"+id]; ok {
			t.Errorf("an internal object is harvested")
		}
	}
}

// TestOAIThirdPartyHarvester: the npm harvester oai-pmh takes the whole
// repository, following resumption tokens, and gets exactly the public
// records and the deleted ones; after changes, again.
func TestOAIThirdPartyHarvester(t *testing.T) {
	bin, err := filepath.Abs("testdata/harvester/node_modules/.bin/oai-pmh")
	if err != nil {
		t.Fatal(err)
	}
	testenv.File(t, bin, "the harvester is not installed: ./run test installs it from testdata/harvester's npm lock file")
	st := newOAIStore(t, 3)
	harvest := func() map[string]string {
		t.Helper()
		cmd := exec.Command(bin, "list-records", "-p", "oai_dc", st.srv.URL+"/oai")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("oai-pmh list-records: %v", err)
		}
		got := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var rec struct {
				Header struct {
					Identifier string `json:"identifier"`
					Attrs      struct {
						Status string `json:"status"`
					} `json:"$"`
				} `json:"header"`
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("the harvester printed %q: %v", sc.Text(), err)
			}
			if _, dup := got[rec.Header.Identifier]; dup {
				t.Errorf("the harvester got %s twice", rec.Header.Identifier)
			}
			got[rec.Header.Identifier] = rec.Header.Attrs.Status
		}
		return got
	}
	check := func(what string, got map[string]string, public, deleted []string) {
		t.Helper()
		want := map[string]string{}
		for _, id := range public {
			want["oai:wenyuan.local:"+id] = ""
		}
		for _, id := range deleted {
			want["oai:wenyuan.local:"+id] = "deleted"
		}
		if len(got) != len(want) {
			t.Errorf("%s: harvested %d records, want %d", what, len(got), len(want))
		}
		for id, status := range want {
			if s, ok := got[id]; !ok || s != status {
				t.Errorf("%s: %s harvested %v with status %q, want %q", what, id, ok, s, status)
			}
		}
	}
	check("first harvest", harvest(), st.public, append(st.deleted, st.withdrawn))
	// Between harvests: one added, one changed, one deleted, the internal
	// one published.
	ctx := wenyuan.WithActor(context.Background(), "test")
	o := &wenyuan.Object{Institution: "palace", AccessionNumber: "NEW", Titles: wenyuan.Text{{Lang: "en", Value: "new"}}}
	st.db.CreateRecord(ctx, o)
	rec, _ := st.db.FindRecord(ctx, wenyuan.KindObject, st.internal[0])
	in := rec.(*wenyuan.Object)
	in.Visibility, in.Version = wenyuan.VisibilityPublic, 0
	st.db.UpdateRecord(ctx, in)
	st.db.DeleteRecord(ctx, wenyuan.KindObject, st.public[0])
	public := append(append([]string{}, st.public[1:]...), o.ID, in.ID)
	check("second harvest", harvest(), public, append(st.deleted, st.withdrawn, st.public[0]))
}

// TestOAINoHiddenLinks: a public object's record names no object that is
// not public, not even by id in a link; nor does its Linked Art for the
// public.
func TestOAINoHiddenLinks(t *testing.T) {
	st := newOAIStore(t, 10)
	ctx := wenyuan.WithActor(context.Background(), "test")
	hidden := st.internal[0]
	o := &wenyuan.Object{Institution: "palace", AccessionNumber: "L-1", Titles: wenyuan.Text{{Lang: "en", Value: "linked"}},
		PartOf: hidden, Related: []wenyuan.Relation{{Object: hidden}, {Object: st.public[1]}}}
	if err := st.db.CreateRecord(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{"oai_dc", "lido"} {
		r := do(t, st.srv, "GET", "/oai?verb=GetRecord&metadataPrefix="+prefix+"&identifier="+url.QueryEscape("oai:wenyuan.local:"+o.ID), nil)
		validateOAI(t, r.body)
		if bytes.Contains(r.body, []byte(hidden)) {
			t.Errorf("%s record names the internal object %s", prefix, hidden)
		}
		if !bytes.Contains(r.body, []byte(st.public[1])) {
			t.Errorf("%s record lacks its public related object", prefix)
		}
	}
	r := do(t, st.srv, "GET", "/objects/"+o.ID, nil, "Accept", "application/ld+json")
	if bytes.Contains(r.body, []byte(hidden)) {
		t.Errorf("the public Linked Art names the internal object %s", hidden)
	}
}
