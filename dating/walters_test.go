package dating

// TestWaltersAgreement parses the DateText of the Walters Art Museum's
// Chinese objects and compares the result with the museum's own
// DateBeginYear and DateEndYear, allowing one year either way (the Walters
// itself writes the 18th century both as 1701-1800 and 1700-1799).
//
// The remaining disagreements, and why the parser is left as it is:
//   - The museum's circa is inconsistent: ±12 years for most dates, but
//     nothing for "ca. 9th century", "ca. 7th-8th century", "ca. 12th
//     century BC", ±5 for "ca. 1105", one end only for "ca. 1710-1722" or
//     "ca. 1728-1735". The parser always widens by CircaYears.
//   - Composite texts where the museum dated only the main part: "Porcelain:
//     1675-1725; Mounts: 1884", "Porcelain: 1650-1699; Lid: ca. 1700". The
//     parser unites the parts.
//   - Typos and slips: "3rd millennium BC" as -3000..-2999, "ca. 4th century
//     BC" ending in 301 CE.
//   - Dates the museum took from elsewhere than the text: "14th-17th
//     century" stored as the Ming's 1368-1644, "17th century" as 1600-1644,
//     "19th century" as 1820-1900.
//   - "late 11th century BC" read as the second half (-1050..-1001) where
//     the parser takes the last quarter, as the museum does for every CE
//     century.

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// waltersFloor is the agreement the parser must keep, just under what it
// reaches.
const waltersFloor = 0.96

type waltersRecord struct {
	DateText      string
	DateBeginYear int
	DateEndYear   int
	Dynasty       *string
	Reign         *string
}

func readWalters(tb testing.TB) []waltersRecord {
	tb.Helper()
	f, err := os.Open("../sample/walters-chinese.jsonl")
	if err != nil {
		tb.Fatalf("the sample data, committed with the repository: %v", err)
	}
	defer f.Close()
	var recs []waltersRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<24)
	for sc.Scan() {
		var r waltersRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("decode %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read sample: %v", err)
	}
	return recs
}

func TestWaltersAgreement(t *testing.T) {
	recs := readWalters(t)
	var agree, total, undated, undatedOK int
	for _, rec := range recs {
		r := Parse(rec.DateText)
		if rec.DateBeginYear == 0 && rec.DateEndYear == 0 {
			undated++
			if !r.OK {
				undatedOK++
			}
			continue
		}
		total++
		if r.OK && abs(r.Earliest-rec.DateBeginYear) <= 1 && abs(r.Latest-rec.DateEndYear) <= 1 {
			agree++
			continue
		}
		if testing.Verbose() {
			t.Logf("Parse(%q) = %d..%d (OK %v), museum %d..%d", rec.DateText, r.Earliest, r.Latest, r.OK, rec.DateBeginYear, rec.DateEndYear)
		}
	}
	if total == 0 {
		t.Fatal("no dated records in the sample")
	}
	share := float64(agree) / float64(total)
	t.Logf("Walters agreement: %d/%d = %.1f%%; undated records (0/0): %d, of which not OK: %d", agree, total, 100*share, undated, undatedOK)
	if share < waltersFloor {
		t.Errorf("agreement %.3f below the floor %.2f", share, waltersFloor)
	}
	if undatedOK != undated {
		t.Errorf("%d of %d undated records parsed as dated", undated-undatedOK, undated)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// BenchmarkParse parses one expression per op, cycling through the Walters
// DateText values and the Chinese and English forms of the table tests.
func BenchmarkParse(b *testing.B) {
	var inputs []string
	for _, rec := range readWalters(b) {
		inputs = append(inputs, rec.DateText)
	}
	for _, tt := range parseCases {
		inputs = append(inputs, tt.text)
	}
	Parse("") // build the parser outside the timing
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Parse(inputs[i%len(inputs)])
		i++
	}
}
