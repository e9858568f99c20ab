package dating

import (
	"regexp"
	"strings"
	"testing"
)

// overhang lists children that conventionally start or end outside their
// parent's years.
var overhang = map[string]string{
	"yangshao":           "Met dates Gansu Yangshao to ca. 1500 BCE, past the Neolithic's ca. 2000 BCE",
	"longshan":           "Met dates Longshan to ca. 1700 BCE",
	"warring-states":     "ends 221 BCE with Qin; the Eastern Zhou court fell in 256 BCE",
	"northern-dynasties": "Northern Wei (386) predates the conventional 420 start of the Northern and Southern Dynasties",
	"northern-wei":       "founded 386, see northern-dynasties",
	"qing-tianming":      "Later Jin reign before the Qing took Beijing in 1644",
	"qing-tiancong":      "Later Jin reign before 1644",
	"qing-chongde":       "first Qing reign, before 1644",
	"yuan-zhongtong":     "Khubilai's eras began in 1260, before the Yuan name of 1271",
	"yuan-zhiyuan":       "began 1264, before 1271",
}

func TestPeriods(t *testing.T) {
	ps := Periods()
	if len(ps) < 300 {
		t.Fatalf("Periods() has %d rows, want at least 300", len(ps))
	}
	slug := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	kinds := map[string]bool{KindPeriod: true, KindDynasty: true, KindReign: true, KindEra: true}
	seen := map[string]Period{}
	counts := map[string]int{}
	for i, p := range ps {
		if !slug.MatchString(p.ID) {
			t.Errorf("row %d: id %q is not a lowercase ASCII slug", i, p.ID)
		}
		if _, dup := seen[p.ID]; dup {
			t.Errorf("row %d: id %q is not unique", i, p.ID)
		}
		if !kinds[p.Kind] {
			t.Errorf("%s: kind %q", p.ID, p.Kind)
		}
		counts[p.Kind]++
		if p.ZhHans == "" || p.ZhHant == "" || p.Pinyin == "" || p.En == "" {
			t.Errorf("%s: a name is empty: %q %q %q %q", p.ID, p.ZhHans, p.ZhHant, p.Pinyin, p.En)
		}
		if p.Start > p.End {
			t.Errorf("%s: start %d after end %d", p.ID, p.Start, p.End)
		}
		if p.Start == 0 || p.End == 0 {
			t.Errorf("%s: year 0 does not exist", p.ID)
		}
		for _, a := range p.Alt {
			if strings.TrimSpace(a) == "" {
				t.Errorf("%s: empty alternative name", p.ID)
			}
		}
		if p.Parent != "" {
			parent, ok := seen[p.Parent]
			switch {
			case !ok:
				t.Errorf("%s: parent %q missing or listed after it", p.ID, p.Parent)
			case p.Start < parent.Start || p.End > parent.End:
				if overhang[p.ID] == "" {
					t.Errorf("%s (%d..%d) outside its parent %s (%d..%d)", p.ID, p.Start, p.End, parent.ID, parent.Start, parent.End)
				}
			}
		}
		if (p.Kind == KindReign || p.Kind == KindEra) && p.Parent == "" {
			t.Errorf("%s: a %s needs a parent dynasty", p.ID, p.Kind)
		}
		seen[p.ID] = p
	}
	for id := range overhang {
		if _, ok := seen[id]; !ok {
			t.Errorf("overhang names %q, which is not in the table", id)
		}
	}
	t.Logf("periods by kind: %v", counts)

	// Required coverage.
	for _, id := range []string{
		"neolithic", "xia", "shang", "western-zhou", "spring-autumn", "warring-states", "qin",
		"western-han", "xin", "eastern-han", "wei", "shu", "wu", "western-jin", "eastern-jin",
		"sixteen-kingdoms", "northern-wei", "eastern-wei", "western-wei", "northern-qi", "northern-zhou",
		"liu-song", "southern-qi", "liang", "chen", "sui", "tang", "later-liang", "later-tang",
		"later-jin", "later-han", "later-zhou", "liao", "northern-song", "southern-song",
		"western-xia", "jin-jurchen", "yuan", "ming", "qing", "republic", "prc",
		"ming-jianwen", "ming-zhengtong", "ming-tianshun", "ming-chongzhen",
		"qing-tianming", "qing-xuantong", "tang-wude", "tang-tianyou", "song-jingkang",
		"song-xiangxing", "yuan-zhizheng", "han-jianan",
	} {
		if _, ok := seen[id]; !ok {
			t.Errorf("Periods() lacks %q", id)
		}
	}
	conventional := map[string][2]int{
		"qing-qianlong": {1736, 1795}, "qing-kangxi": {1662, 1722}, "qing-yongzheng": {1723, 1735},
		"ming-xuande": {1426, 1435}, "ming-wanli": {1573, 1620}, "ming-chenghua": {1465, 1487},
		"tang-zhenguan": {627, 649}, "tang-kaiyuan": {713, 741}, "song-xuanhe": {1119, 1125},
		"qing": {1644, 1911}, "ming": {1368, 1644}, "tang": {618, 907}, "han": {-206, 220},
	}
	for id, want := range conventional {
		if p := seen[id]; p.Start != want[0] || p.End != want[1] {
			t.Errorf("%s = %d..%d, want %d..%d", id, p.Start, p.End, want[0], want[1])
		}
	}
}

func TestPeriodsIsACopy(t *testing.T) {
	a := Periods()
	a[0].ID = "changed"
	a[0].Alt[0] = "changed"
	b := Periods()
	if b[0].ID == "changed" || b[0].Alt[0] == "changed" {
		t.Errorf("Periods() returned shared storage")
	}
}

func TestParsePeriodsTSV(t *testing.T) {
	if _, err := parsePeriodsTSV("a\tb\n"); err == nil {
		t.Errorf("parsePeriodsTSV(short row) = nil error, want one")
	}
	if _, err := parsePeriodsTSV("a\t\tperiod\tx\tx\tx\tx\tone\t2\t\n"); err == nil {
		t.Errorf("parsePeriodsTSV(bad year) = nil error, want one")
	}
}

func TestMostSpecific(t *testing.T) {
	for _, tt := range []struct{ in, want []string }{
		{[]string{"qing-qianlong", "qing"}, []string{"qing-qianlong"}},
		{[]string{"qing", "qing-kangxi", "qing-yongzheng"}, []string{"qing-kangxi", "qing-yongzheng"}},
		{[]string{"tang", "ming"}, []string{"tang", "ming"}},
		{[]string{"nosuch", "qing"}, []string{"nosuch", "qing"}},
		{nil, nil},
	} {
		if got := MostSpecific(tt.in); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("MostSpecific(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
