package exchange_test

import (
	"context"
	"strings"
	"testing"

	"wenyuan/exchange"
)

// FuzzImportCSV feeds arbitrary bytes as a CSV export: the import either
// commits or writes nothing, and never panics.
func FuzzImportCSV(f *testing.F) {
	for _, s := range []string{
		"acc,title,material,date,vis\nA1,碗,瓷,明,公开\n",
		"acc,title,material,date,vis\nA1,\"碗,\"\"x\"\"\",瓷、玉,清乾隆,内部\n",
		"acc,title\n\xff\xfe,\"\n",
		"",
		"acc,title,material,date,vis\nA1,碗,瓷\n",
	} {
		f.Add(s)
	}
	db := MustOpenDB(f)
	addInstitution(f, db, "u")
	m := mapping(f, simpleMapping)
	f.Fuzz(func(t *testing.T, in string) {
		before, _ := count(t, db)
		res, err := exchange.Import(context.Background(), db, strings.NewReader(in), exchange.Options{Institution: "u", Mapping: m})
		after, _ := count(t, db)
		if err != nil && after != before {
			t.Fatalf("failed import changed the object count from %d to %d", before, after)
		}
		if err == nil && !res.Committed {
			t.Fatal("no error but not committed")
		}
	})
}

func FuzzParseMapping(f *testing.F) {
	f.Add(simpleMapping)
	f.Add("format: jsonl\nfields:\n  - {from: \"A[].b\", to: titles, lang: en}\n")
	f.Add("{\"fields\": [{\"from\": \"x\", \"to\": \"accession_number\"}]}")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := exchange.ParseMapping([]byte(s))
		if err == nil && m == nil {
			t.Fatal("nil mapping without error")
		}
	})
}
