package dating

// state is the scratch space of one Parse call, reused through
// Parser.states so that a typical call allocates nothing.
type state struct {
	p      *Parser
	toks   []token
	atoms  []atom
	picked []int32

	kbuf, bbuf [maxKey + 8]byte
	abuf       [6]byte

	tokBuf  [40]token
	atomBuf [12]atom
	pickBuf [12]int32
}

type atomKind uint8

const (
	aYear atomKind = iota + 1
	aDecade
	aCentury
	aMillennium
	aOrdinal // "16th" in "16th-17th century": its unit comes from a neighbour
	aPeriod
)

// atom is one dated thing in a part of the text: a year, a century, a named
// period…
type atom struct {
	kind    atomKind
	num     int
	digits  int8
	era     int8 // -1 BCE, +1 CE, 0 not said
	hasQual bool
	circa   bool
	linked  bool // the end of a range that starts at the previous atom
	valid   bool
	ganzhi  int8 // sexagenary index + 1, 0 if none
	q       qual
	cands   []int32
	pick    int32
	eraYear int
	lastTok int // index of the last token that belongs to the atom
	lo, hi  int // astronomical years
}

func (a *atom) numeric() bool {
	return a.kind >= aYear && a.kind <= aOrdinal
}

// Parse parses text. It never panics; text it cannot date gives OK false.
func (p *Parser) Parse(text string) Result {
	st, _ := p.states.Get().(*state)
	if st == nil {
		st = new(state)
		st.toks = st.tokBuf[:0]
		st.atoms = st.atomBuf[:0]
		st.picked = st.pickBuf[:0]
	}
	defer p.states.Put(st)
	st.p = p
	st.toks, st.atoms, st.picked = st.toks[:0], st.atoms[:0], st.picked[:0]
	p.lex(text, st)

	var res Result
	start := 0
	for i := 0; i <= len(st.toks); i++ {
		if i < len(st.toks) && st.toks[i].kind != tSemi {
			continue
		}
		if lo, hi, ok := st.part(st.toks[start:i]); ok {
			if !res.OK {
				res.Earliest, res.Latest, res.OK = lo, hi, true
			} else {
				res.Earliest, res.Latest = min(res.Earliest, lo), max(res.Latest, hi)
			}
		}
		start = i + 1
	}
	if res.OK {
		res.Earliest, res.Latest = historical(res.Earliest), historical(res.Latest)
	}
	res.Periods = st.periodIDs()
	return res
}

// part dates one part of the text (the text between semicolons) and returns
// astronomical years.
func (st *state) part(toks []token) (lo, hi int, ok bool) {
	st.atoms = st.atoms[:0]
	var (
		pendCirca, pendLink, hasPendQual, qualDash, sawOr bool
		pendEra                                           int8
		pendQual                                          qual
	)
	push := func(a atom, i int) {
		a.valid = true
		a.lastTok = i
		a.linked = pendLink && len(st.atoms) > 0
		a.circa = pendCirca
		if hasPendQual {
			a.q, a.hasQual = pendQual, true
		}
		if a.numeric() && pendEra != 0 {
			a.era, pendEra = pendEra, 0
		}
		pendCirca, pendLink, hasPendQual, qualDash = false, false, false, false
		st.atoms = append(st.atoms, a)
	}
	lastAt := func(i int) *atom {
		if n := len(st.atoms); n > 0 && st.atoms[n-1].lastTok == i {
			return &st.atoms[n-1]
		}
		return nil
	}
	next := func(i int) tokKind {
		if i+1 < len(toks) {
			return toks[i+1].kind
		}
		return tNone
	}

	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		switch t.kind {
		case tName:
			if a := lastAt(i - 1); a != nil && a.kind == aPeriod && toks[i-1].kind == tName && a.eraYear == 0 {
				// "Qing [Ch'ing]", "Jin (Jurchen)": the same period twice.
				if c, same := st.p.common(a.cands, t.cands); same {
					a.cands = c
					a.lastTok = i
					continue
				}
			}
			push(atom{kind: aPeriod, cands: t.cands}, i)
		case tNum:
			a := atom{kind: aYear, num: t.num, digits: t.digits}
			switch k := next(i); {
			case k == tCentury:
				a.kind = aCentury
				i++
			case k == tMillennium:
				a.kind = aMillennium
				i++
			case t.decade || k == tDecade:
				a.kind = aDecade
				if k == tDecade {
					i++
				}
			case t.ord:
				a.kind = aOrdinal
			default:
				// 乾隆三十年: year 30 of the era just named.
				if p := lastAt(i - 1); p != nil && p.kind == aPeriod && k == tYear && p.eraYear == 0 {
					p.eraYear = t.num
					p.lastTok = i + 1
					i++
					continue
				}
				if k == tYear {
					i++
				}
			}
			push(a, i)
		case tYearOne:
			if p := lastAt(i - 1); p != nil && p.kind == aPeriod && p.eraYear == 0 {
				p.eraYear = 1
				p.lastTok = i
			}
		case tGanzhi:
			if p := lastAt(i - 1); p != nil && p.kind == aPeriod {
				p.ganzhi = int8(t.num + 1)
				p.lastTok = i
				if next(i) == tYear {
					i++
					p.lastTok = i
				}
			}
		case tBC, tAD:
			era := int8(1)
			if t.kind == tBC {
				era = -1
			}
			if a := lastAt(i - 1); a != nil && a.numeric() && a.era == 0 {
				a.era = era
				a.lastTok = i
			} else {
				pendEra = era
			}
		case tBCPre:
			pendEra = -1
		case tADPre:
			pendEra = 1
		case tCirca:
			pendCirca = true
		case tCircaPost:
			if n := len(st.atoms); n > 0 && st.atoms[n-1].lastTok >= i-2 {
				st.atoms[n-1].circa = true
			}
		case tQual:
			if hasPendQual && qualDash {
				pendQual = pendQual.combine(t.q)
			} else {
				pendQual = t.q
			}
			hasPendQual, qualDash = true, false
		case tQualPost:
			if a := lastAt(i - 1); a != nil {
				if a.hasQual {
					a.q = a.q.combine(t.q)
				} else {
					a.q, a.hasQual = t.q, true
				}
				a.lastTok = i
			}
		case tDash:
			if hasPendQual {
				qualDash = true
			} else if len(st.atoms) > 0 {
				pendLink = true
			}
		case tOr:
			sawOr = true
			pendLink = false
		case tComma:
			pendLink = false
		}
	}
	return st.resolve(sawOr)
}

// common returns the candidates two names share, and whether they share any.
func (p *Parser) common(a, b []int32) ([]int32, bool) {
	for _, x := range b {
		for _, y := range a {
			if x == y {
				if len(b) <= len(a) && subset(b, a) {
					return b, true
				}
				if subset(a, b) {
					return a, true
				}
				return p.one[x : x+1], true
			}
		}
	}
	return nil, false
}

func subset(a, b []int32) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// resolve turns the atoms of a part into one span.
func (st *state) resolve(sawOr bool) (lo, hi int, ok bool) {
	atoms := st.atoms
	if len(atoms) == 0 {
		return 0, 0, false
	}
	// An ordinal without a unit takes the next one ("6th-5th century"),
	// else the previous one.
	for i := range atoms {
		if atoms[i].kind != aOrdinal {
			continue
		}
		unit := atomKind(0)
		for j := i + 1; j < len(atoms) && unit == 0; j++ {
			if k := atoms[j].kind; k == aCentury || k == aMillennium {
				unit = k
			}
		}
		for j := i - 1; j >= 0 && unit == 0; j-- {
			if k := atoms[j].kind; k == aCentury || k == aMillennium {
				unit = k
			}
		}
		if unit == 0 {
			atoms[i].valid = false
		} else {
			atoms[i].kind = unit
		}
	}
	// "221-206 BC", "6th-5th century BC": a BC at the end covers the start.
	for i := len(atoms) - 2; i >= 0; i-- {
		a, b := &atoms[i], &atoms[i+1]
		if a.era == 0 && a.numeric() && b.numeric() && b.era < 0 && (b.linked || a.kind == b.kind) {
			a.era = -1
		}
	}
	for i := 1; i < len(atoms); i++ {
		a, b := &atoms[i-1], &atoms[i]
		if !b.linked || !a.numeric() || !b.numeric() {
			continue
		}
		// "475 BC-221" stays BCE; "206 BC-220" comes back to CE.
		if a.era < 0 && b.era == 0 && a.kind == b.kind && b.num < a.num {
			b.era = -1
		}
		// "1522-66", "1736-95".
		if a.kind == aYear && b.kind == aYear && a.era >= 0 && b.era >= 0 && b.digits < a.digits && b.num < a.num {
			m := pow10(int(b.digits))
			v := a.num - a.num%m + b.num
			if v < a.num {
				v += m
			}
			b.num = v
		}
	}
	// Spans of explicit dates first: they help choose between periods
	// that share a name.
	eLo, eHi, haveE := 0, 0, false
	for i := range atoms {
		a := &atoms[i]
		if !a.valid || a.kind == aPeriod {
			continue
		}
		if a.kind == aDecade && a.num < 100 && a.num%10 == 0 && a.era >= 0 {
			// 二十世纪八十年代 is the 1980s; a bare 八十年代 too.
			century := 1900
			if i > 0 && atoms[i-1].kind == aCentury && atoms[i-1].valid && atoms[i-1].era >= 0 && !a.linked {
				century = (atoms[i-1].num - 1) * 100
				atoms[i-1].valid = false
			}
			a.num += century
		}
		a.lo, a.hi, a.valid = numericSpan(a.kind, a.num, a.era)
		if a.valid {
			eLo, eHi = hull(eLo, eHi, a.lo, a.hi, haveE)
			haveE = true
		}
	}
	for i := range atoms {
		a := &atoms[i]
		if a.valid && a.kind == aPeriod {
			st.pickPeriod(i, eLo, eHi, haveE)
		}
	}
	for i := range atoms {
		a := &atoms[i]
		if !a.valid {
			continue
		}
		if a.hasQual {
			calendar := a.kind == aCentury || a.kind == aMillennium || a.kind == aDecade && a.num%100 == 0
			a.lo, a.hi = applyQual(a.lo, a.hi, a.q, calendar)
		}
		if a.circa {
			a.lo, a.hi = a.lo-CircaYears, a.hi+CircaYears
		}
	}

	// Ranges: a circa in front of a range covers both ends.
	for i := 1; i < len(atoms); i++ {
		a, b := &atoms[i-1], &atoms[i]
		if b.linked && a.circa && !b.circa && !(i >= 2 && a.linked) && b.valid && b.kind != aPeriod {
			b.circa = true
			b.lo, b.hi = b.lo-CircaYears, b.hi+CircaYears
		}
	}

	var pLo, pHi, xLo, xHi, iLo, iHi int
	var haveP, haveX, empty bool
	for i := 0; i < len(atoms); {
		j := i + 1
		for j < len(atoms) && atoms[j].linked {
			j++
		}
		gLo, gHi, have, explicit := 0, 0, false, false
		for k := i; k < j; k++ {
			a := &atoms[k]
			if !a.valid {
				continue
			}
			gLo, gHi = hull(gLo, gHi, a.lo, a.hi, have)
			have = true
			if a.kind != aPeriod {
				explicit = true
			}
		}
		single := j == i+1
		i = j
		switch {
		case !have:
		case explicit:
			if !haveX {
				iLo, iHi = gLo, gHi
			} else if !empty {
				iLo, iHi = max(iLo, gLo), min(iHi, gHi)
				empty = iLo > iHi
			}
			xLo, xHi = hull(xLo, xHi, gLo, gHi, haveX)
			haveX = true
		case single && st.impliedBy(j-1):
			// "Qing dynasty … Qianlong reign": the dynasty adds nothing.
		default:
			pLo, pHi = hull(pLo, pHi, gLo, gHi, haveP)
			haveP = true
		}
	}
	if haveX && !sawOr && !empty {
		xLo, xHi = iLo, iHi
	}
	switch {
	case haveP && haveX:
		if pLo <= xHi && xLo <= pHi {
			return max(pLo, xLo), min(pHi, xHi), true
		}
		return xLo, xHi, true
	case haveX:
		return xLo, xHi, true
	case haveP:
		return pLo, pHi, true
	}
	return 0, 0, false
}

// impliedBy reports whether atom i is a bare period that is an ancestor of
// a period another atom of the part names.
func (st *state) impliedBy(i int) bool {
	a := &st.atoms[i]
	if a.kind != aPeriod || a.hasQual || a.circa || a.eraYear != 0 || a.ganzhi != 0 {
		return false
	}
	for k := range st.atoms {
		if b := &st.atoms[k]; k != i && b.valid && b.kind == aPeriod &&
			st.p.isAncestor(a.pick, b.pick) && !st.p.isAncestor(b.pick, a.pick) {
			return true
		}
	}
	return false
}

// isAncestor reports whether period a is a proper ancestor of period d.
func (p *Parser) isAncestor(a, d int32) bool {
	for j, n := p.periods[d].parent, 0; j >= 0 && n < len(p.periods); j, n = p.periods[j].parent, n+1 {
		if j == a {
			return true
		}
	}
	return false
}

// pickPeriod chooses among the periods a name may mean and sets the atom's
// span: a period related to another named period, else one overlapping the
// explicit dates, else the preferred one.
func (st *state) pickPeriod(i int, eLo, eHi int, haveE bool) {
	p := st.p
	a := &st.atoms[i]
	a.pick = a.cands[0]
	if len(a.cands) > 1 {
		found := false
		for _, c := range a.cands {
			for k := range st.atoms {
				b := &st.atoms[k]
				if k == i || b.kind != aPeriod || !b.valid {
					continue
				}
				for _, o := range b.cands {
					if p.isAncestor(c, o) || p.isAncestor(o, c) {
						a.pick, found = c, true
						break
					}
				}
				if found {
					break
				}
			}
			if found {
				break
			}
		}
		if !found && haveE {
			for _, c := range a.cands {
				if pe := p.periods[c]; pe.lo <= eHi && eLo <= pe.hi {
					a.pick = c
					break
				}
			}
		}
	}
	pe := p.periods[a.pick]
	a.lo, a.hi = pe.lo, pe.hi
	if len(st.picked) < 64 {
		st.picked = append(st.picked, a.pick)
	}
	switch {
	case a.eraYear > 0:
		y := pe.lo + a.eraYear - 1
		switch {
		case y <= pe.hi+1:
			a.lo, a.hi = y, y
		case a.eraYear >= 100 && a.eraYear <= maxYearCE:
			// 清1736年: a year of the common era after the name.
			a.lo, a.hi = a.eraYear, a.eraYear
			a.kind = aYear
		}
	case a.ganzhi > 0:
		first, last := 0, -1
		for y := pe.lo; y <= pe.hi && y-pe.lo < 400; y++ {
			if ((y-4)%60+60)%60 == int(a.ganzhi-1) {
				if last < first {
					first = y
				}
				last = y
			}
		}
		if last >= first {
			a.lo, a.hi = first, last
		}
	}
}

// numericSpan returns the astronomical span of a year, decade, century or
// millennium numbered n, counted before (era < 0) or in the common era.
func numericSpan(kind atomKind, n int, era int8) (lo, hi int, ok bool) {
	if n <= 0 {
		return 0, 0, false
	}
	switch kind {
	case aYear:
		lo, hi = n, n
	case aDecade:
		if n < 10 {
			return 0, 0, false
		}
		if n%100 == 0 {
			lo, hi = n, n+99
		} else {
			lo, hi = n-n%10, n-n%10+9
		}
	case aCentury:
		if n > 100 {
			return 0, 0, false
		}
		lo, hi = (n-1)*100+1, n*100
	case aMillennium:
		if n > 100 {
			return 0, 0, false
		}
		lo, hi = (n-1)*1000+1, n*1000
	default:
		return 0, 0, false
	}
	if era < 0 {
		if hi > maxYearBCE {
			return 0, 0, false
		}
		return 1 - hi, 1 - lo, true
	}
	if lo > maxYearCE {
		return 0, 0, false
	}
	return lo, hi, true
}

// applyQual narrows [lo, hi] to the part q names. Early, mid and late are
// quarter-based for centuries and millennia (calendar) and thirds otherwise.
func applyQual(lo, hi int, q qual, calendar bool) (int, int) {
	n := hi - lo + 1
	if n < 3 {
		return lo, hi
	}
	var a, b, den int
	switch {
	case q.vague && calendar:
		starts, ends := [3]int{0, 1, 3}, [3]int{1, 3, 4}
		a, b, den = starts[min(q.a, 2)], ends[min(q.b, 2)], 4
	case q.vague:
		a, b, den = int(min(q.a, 2)), int(min(q.b, 2))+1, 3
	default:
		a, b, den = int(q.a), int(q.b), int(q.den)
	}
	if den == 0 || a >= b || b > den {
		return lo, hi
	}
	nlo, nhi := lo+n*a/den, lo+n*b/den-1
	if nhi < nlo {
		return lo, hi
	}
	return nlo, nhi
}

func hull(lo, hi, alo, ahi int, have bool) (int, int) {
	if !have {
		return alo, ahi
	}
	return min(lo, alo), max(hi, ahi)
}

func pow10(n int) int {
	m := 1
	for range min(n, 9) {
		m *= 10
	}
	return m
}

// periodIDs lists the picked periods and their ancestors, deepest first.
func (st *state) periodIDs() []string {
	if len(st.picked) == 0 {
		return nil
	}
	p := st.p
	var buf [24]int32
	all := buf[:0]
	for _, c := range st.picked {
		for j, n := c, 0; j >= 0 && n <= len(p.periods); j, n = p.periods[j].parent, n+1 {
			found := false
			for _, x := range all {
				if x == j {
					found = true
					break
				}
			}
			if !found {
				all = append(all, j)
			}
		}
	}
	// Insertion sort by depth, stable: the lists are short.
	for i := 1; i < len(all); i++ {
		for k := i; k > 0 && p.periods[all[k]].depth > p.periods[all[k-1]].depth; k-- {
			all[k], all[k-1] = all[k-1], all[k]
		}
	}
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = p.periods[c].id
	}
	return ids
}
