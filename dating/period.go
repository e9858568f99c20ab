package dating

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Period kinds.
const (
	KindPeriod  = "period"  // a span that is not a dynasty: Neolithic, Sixteen Kingdoms, Five Dynasties, Republic
	KindDynasty = "dynasty" // a dynasty or a division of one (Northern Song, Western Han)
	KindReign   = "reign"   // a Ming or Qing reign, named by its single era name
	KindEra     = "era"     // an era name (年号) before the Ming
)

// Period is one entry of the period authority.
type Period struct {
	ID     string // stable lowercase ASCII slug: "qing", "qing-qianlong", "tang-zhenguan"
	Parent string // "" for top level; the id of the enclosing dynasty or period
	Kind   string // KindPeriod, KindDynasty, KindReign or KindEra

	ZhHans, ZhHant string // simplified and traditional Chinese names
	Pinyin         string // tone-less syllables as usually written: "Qianlong", "Bei Song"
	En             string // English name: "Northern Song"

	Start, End int // inclusive years, negative = BCE (there is no year 0)

	Alt []string // other spellings museums use: Wade-Giles, old forms, other names
}

//go:embed periods.tsv
var periodsTSV string

var builtin struct {
	once    sync.Once
	periods []Period
}

// Periods returns a copy of the built-in period table, every parent before
// its children. The table is read from the embedded periods.tsv.
func Periods() []Period {
	ps := builtinPeriods()
	out := slices.Clone(ps)
	for i := range out {
		out[i].Alt = slices.Clone(out[i].Alt)
	}
	return out
}

// builtinPeriods returns the shared table. Callers must not modify it.
func builtinPeriods() []Period {
	builtin.once.Do(func() {
		ps, err := parsePeriodsTSV(periodsTSV)
		if err != nil {
			// The file is embedded and covered by tests: a failure here is a
			// programming error, not an input error.
			panic(fmt.Errorf("dating: embedded periods.tsv: %w", err))
		}
		builtin.periods = ps
	})
	return builtin.periods
}

// parsePeriodsTSV reads the table format of periods.tsv: '#' lines are
// comments, other lines have ten tab-separated columns.
func parsePeriodsTSV(s string) ([]Period, error) {
	var ps []Period
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 10 {
			return nil, fmt.Errorf("line %d: %d columns, want 10", n+1, len(f))
		}
		start, err := strconv.Atoi(f[7])
		if err != nil {
			return nil, fmt.Errorf("line %d: start: %w", n+1, err)
		}
		end, err := strconv.Atoi(f[8])
		if err != nil {
			return nil, fmt.Errorf("line %d: end: %w", n+1, err)
		}
		p := Period{
			ID: f[0], Parent: f[1], Kind: f[2],
			ZhHans: f[3], ZhHant: f[4], Pinyin: f[5], En: f[6],
			Start: start, End: end,
		}
		if f[9] != "" {
			p.Alt = strings.Split(f[9], "|")
		}
		ps = append(ps, p)
	}
	return ps, nil
}

var parents = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, p := range Periods() {
		if p.Parent != "" {
			m[p.ID] = p.Parent
		}
	}
	return m
})

// MostSpecific drops from ids every built-in period that is an ancestor of
// another one in ids: ["qing-qianlong", "qing"] gives ["qing-qianlong"].
// A record linked to a reign is within its dynasty already.
func MostSpecific(ids []string) []string {
	if len(ids) < 2 {
		return ids
	}
	up := parents()
	above := map[string]bool{}
	for _, id := range ids {
		for p := up[id]; p != "" && !above[p]; p = up[p] {
			above[p] = true
		}
	}
	out := ids[:0:0]
	for _, id := range ids {
		if !above[id] {
			out = append(out, id)
		}
	}
	return out
}
