package dating

import (
	"slices"
	"sync"
	"testing"
)

type parseCase struct {
	name    string
	text    string
	lo, hi  int
	ok      bool
	periods []string // nil: not checked
}

var parseCases = []parseCase{
	// English, as museums write it.
	{"dynasty and reign", "Qing dynasty (1644–1911), Qianlong reign (1736–95)", 1736, 1795, true, []string{"qing-qianlong", "qing"}},
	{"dynasty and century", "Northern Song dynasty, 11th century", 1001, 1100, true, []string{"northern-song", "song"}},
	{"dynasty and century disjoint", "Ming dynasty, 18th century", 1701, 1800, true, []string{"ming"}},
	{"late-early centuries", "late 14th–early 15th century", 1376, 1425, true, []string{}},
	{"circa year", "ca. 1700", 1688, 1712, true, nil},
	{"circa c.", "c. 1700", 1688, 1712, true, nil},
	{"circa word", "circa 1700", 1688, 1712, true, nil},
	{"abbreviated end", "1522-66", 1522, 1566, true, nil},
	{"sixteen kingdoms era to a dynasty", "前秦建元二年至元代", 366, 1368, true, nil},
	{"zhiyuan era still an era", "至元三年", 1266, 1266, true, nil},
	{"northern liang", "北凉", 397, 439, true, []string{"northern-liang", "sixteen-kingdoms"}},
	{"abbreviated end en dash", "1736–95", 1736, 1795, true, nil},
	{"abbreviated end over a century", "1598-02", 1598, 1602, true, nil},
	{"circa end only", "1736-ca. 1750", 1736, 1762, true, nil},
	{"circa whole range", "ca. 1710-1722", 1698, 1734, true, nil},
	{"century BCE", "3rd century BCE", -300, -201, true, nil},
	{"century BC", "3rd century BC", -300, -201, true, nil},
	{"century B.C.", "3rd century B.C.", -300, -201, true, nil},
	{"century range BC", "6th-5th century BC", -600, -401, true, nil},
	{"century range BC 2", "11th-10th century BC", -1100, -901, true, nil},
	{"circa century BC", "ca. 5th century BC", -512, -389, true, nil},
	{"millennium BC", "3rd millennium BC", -3000, -2001, true, nil},
	{"years BC", "221-206 BC", -221, -206, true, nil},
	{"BC to AD", "206 BC–AD 220", -206, 220, true, nil},
	{"B.C. to A.D.", "Han dynasty (206 B.C.–A.D. 220)", -206, 220, true, []string{"han"}},
	{"BCE to CE", "206 BCE–9 CE", -206, 9, true, nil},
	{"thousands", "ca. 10,000–2000 BC", -10012, -1988, true, nil},
	{"neolithic", "Neolithic period", -10000, -2000, true, []string{"neolithic"}},
	{"neolithic culture", "Neolithic period, Majiayao culture", -3300, -2000, true, []string{"majiayao", "neolithic"}},
	{"dated", "dated 1368", 1368, 1368, true, nil},
	{"century", "18th century", 1701, 1800, true, nil},
	{"century words", "eighteenth century", 1701, 1800, true, nil},
	{"century abbreviated", "18th c.", 1701, 1800, true, nil},
	{"mid century", "mid 18th century", 1726, 1775, true, nil},
	{"mid- century", "mid-18th century", 1726, 1775, true, nil},
	{"early century", "early 18th century", 1701, 1725, true, nil},
	{"late century", "late 17th century", 1676, 1700, true, nil},
	{"mid-to-late", "mid-to-late 18th century", 1726, 1800, true, nil},
	{"first half", "1st half 19th century", 1801, 1850, true, nil},
	{"first half words", "first half of the 19th century", 1801, 1850, true, nil},
	{"second half", "2nd half 18th century", 1751, 1800, true, nil},
	{"circa quarter", "ca. 2nd quarter 19th century", 1814, 1862, true, nil},
	{"fourth quarter", "4th quarter 17th century", 1676, 1700, true, nil},
	{"last quarter", "last quarter of the 18th century", 1776, 1800, true, nil},
	{"union of parts", "Porcelain: 1650-1699; Lid: ca. 1700", 1650, 1712, true, nil},
	{"union of parts 2", "Vase: 1661-1722; Mount: 1760-1780", 1661, 1780, true, nil},
	{"years", "618-906", 618, 906, true, nil},
	{"centuries CE", "1st-2nd century", 1, 200, true, nil},
	{"centuries", "18th-19th century", 1701, 1900, true, nil},
	{"late century to century", "late 18th-19th century", 1776, 1900, true, nil},
	{"century to early century", "18th-early 19th century", 1701, 1825, true, nil},
	{"century and century", "16th and 17th centuries", 1501, 1700, true, nil},
	{"uncertain", "16th century (?)", 1501, 1600, true, nil},
	{"or earlier", "19th century or earlier", 1801, 1900, true, nil},
	{"alternatives", "1696, 1756, or 1816", 1696, 1816, true, nil},
	{"decade", "1680s", 1680, 1689, true, nil},
	{"hundreds", "1700s", 1700, 1799, true, nil},
	{"early hundreds", "early 1700s", 1700, 1724, true, nil},
	{"Wade-Giles dynasty", "Qing [Ch'ing] Dynasty", 1644, 1911, true, []string{"qing"}},
	{"Wade-Giles reign", "Kangxi [K'ang-hsi] (1661-1722)", 1662, 1722, true, []string{"qing-kangxi", "qing"}},
	{"dynasty range", "Ming [Ming]-Qing [Ch'ing] Dynasty", 1368, 1911, true, []string{"ming", "qing"}},
	{"dynasty range 2", "Ming [Ming] Dynasty-Qing [Ch'ing] Dynasty", 1368, 1911, true, []string{"ming", "qing"}},
	{"T'ang", "T'ang dynasty", 618, 907, true, []string{"tang"}},
	{"Sung", "Sung dynasty", 960, 1279, true, []string{"song"}},
	{"Chou", "Chou dynasty", -1046, -256, true, []string{"zhou"}},
	{"Ch'ien-lung", "Ch'ien-lung mark and period", 1736, 1795, true, []string{"qing-qianlong", "qing"}},
	{"K'ang hsi", "K'ang hsi", 1662, 1722, true, []string{"qing-kangxi", "qing"}},
	{"Kang-hsi", "Kang-hsi", 1662, 1722, true, []string{"qing-kangxi", "qing"}},
	{"Yüan", "Yüan dynasty", 1271, 1368, true, []string{"yuan"}},
	{"Hsüan-te", "Hsüan-te mark", 1426, 1435, true, []string{"ming-xuande", "ming"}},
	{"Warring States", "Eastern Zhou dynasty, Warring States period (475–221 BCE)", -475, -221, true, []string{"warring-states", "eastern-zhou", "zhou"}},
	{"Spring and Autumn", "Spring and Autumn period", -770, -476, true, []string{"spring-autumn", "eastern-zhou", "zhou"}},
	{"Jurchen Jin by dates", "Jin dynasty (1115–1234)", 1115, 1234, true, []string{"jin-jurchen"}},
	{"Jin by dates", "Jin dynasty (265–420)", 266, 420, true, []string{"jin"}},
	{"Jurchen Jin by name", "Jin (Jurchen)", 1115, 1234, true, []string{"jin-jurchen"}},
	{"Five Dynasties", "Five Dynasties", 907, 979, true, []string{"five-dynasties"}},
	{"PRC", "People's Republic of China", 1949, 2026, true, []string{"prc"}},
	{"late dynasty", "late Qing dynasty", 1822, 1911, true, []string{"qing"}},
	{"early dynasty", "early Ming", 1368, 1459, true, []string{"ming"}},
	{"era", "Zhenguan era", 627, 649, true, []string{"tang-zhenguan", "tang"}},
	{"two pinyin words", "Taiping Xingguo", 976, 984, true, []string{"song-taipingxingguo", "northern-song", "song"}},
	{"reign dated", "Qianlong (1736-1795), dated 1765", 1765, 1765, true, nil},
	{"undated", "n.d.", 0, 0, false, nil},
	{"undated word", "undated", 0, 0, false, nil},
	{"empty", "", 0, 0, false, nil},
	{"unknown", "hello world", 0, 0, false, nil},
	{"only punctuation", "(?) -- ;", 0, 0, false, nil},
	{"huge number", "99999999999999999999999", 0, 0, false, nil},

	// Chinese.
	{"唐", "唐", 618, 907, true, []string{"tang"}},
	{"唐代", "唐代", 618, 907, true, []string{"tang"}},
	{"唐朝", "唐朝", 618, 907, true, []string{"tang"}},
	{"清乾隆年间", "清乾隆年间", 1736, 1795, true, []string{"qing-qianlong", "qing"}},
	{"清乾隆年間", "清乾隆年間", 1736, 1795, true, []string{"qing-qianlong", "qing"}},
	{"明代中期", "明代中期", 1460, 1551, true, []string{"ming"}},
	{"明早期", "明早期", 1368, 1459, true, []string{"ming"}},
	{"清晚期", "清晚期", 1822, 1911, true, []string{"qing"}},
	{"清末", "清末", 1822, 1911, true, []string{"qing"}},
	{"晚清", "晚清", 1822, 1911, true, []string{"qing"}},
	{"清中晚期", "清中晚期", 1733, 1911, true, []string{"qing"}},
	{"明末清初", "明末清初", 1552, 1732, true, []string{"ming", "qing"}},
	{"公元前3世纪", "公元前3世纪", -300, -201, true, nil},
	{"前3世纪", "前3世纪", -300, -201, true, nil},
	{"北宋", "北宋", 960, 1127, true, []string{"northern-song", "song"}},
	{"南宋", "南宋", 1127, 1279, true, []string{"southern-song", "song"}},
	{"十八世纪", "十八世纪", 1701, 1800, true, nil},
	{"18世纪", "18世纪", 1701, 1800, true, nil},
	{"18世紀", "18世紀", 1701, 1800, true, nil},
	{"18世纪中叶", "18世纪中叶", 1726, 1775, true, nil},
	{"十八世纪上半叶", "十八世纪上半叶", 1701, 1750, true, nil},
	{"清康熙", "清康熙", 1662, 1722, true, []string{"qing-kangxi", "qing"}},
	{"大清康熙年制", "大清康熙年制", 1662, 1722, true, []string{"qing-kangxi", "qing"}},
	{"大明宣德年制", "大明宣德年制", 1426, 1435, true, []string{"ming-xuande", "ming"}},
	{"乾隆年制", "乾隆年制", 1736, 1795, true, []string{"qing-qianlong", "qing"}},
	{"乾隆年製", "乾隆年製", 1736, 1795, true, []string{"qing-qianlong", "qing"}},
	{"萬曆年製", "大明萬曆年製", 1573, 1620, true, []string{"ming-wanli", "ming"}},
	{"乾隆三十年", "乾隆三十年", 1765, 1765, true, []string{"qing-qianlong", "qing"}},
	{"乾隆30年", "乾隆30年", 1765, 1765, true, nil},
	{"康熙元年", "康熙元年", 1662, 1662, true, nil},
	{"贞观十七年", "贞观十七年", 643, 643, true, []string{"tang-zhenguan", "tang"}},
	{"宣和三年", "宣和三年", 1121, 1121, true, []string{"song-xuanhe", "northern-song", "song"}},
	{"建元三年", "建元三年", -138, -138, true, []string{"han-jianyuan", "western-han", "han"}},
	{"元寿二年", "元寿二年", -1, -1, true, nil},
	{"元始元年", "元始元年", 1, 1, true, nil},
	{"乾隆丙午年", "大清乾隆丙午年制", 1786, 1786, true, nil},
	{"民国二十年", "民国二十年", 1931, 1931, true, []string{"republic"}},
	{"公元前221年", "公元前221年", -221, -221, true, nil},
	{"公元前475年—公元前221年", "公元前475年—公元前221年", -475, -221, true, nil},
	{"前475—前221年", "前475—前221年", -475, -221, true, nil},
	{"一七三六年", "一七三六年", 1736, 1736, true, nil},
	{"约1700年", "约1700年", 1688, 1712, true, nil},
	{"1700年左右", "1700年左右", 1688, 1712, true, nil},
	{"1980年代", "1980年代", 1980, 1989, true, nil},
	{"二十世纪八十年代", "二十世纪八十年代", 1980, 1989, true, nil},
	{"元至元", "元至元", 1264, 1294, true, []string{"yuan-zhiyuan", "yuan"}},
	{"后至元", "后至元三年", 1337, 1337, true, []string{"yuan-zhiyuan-2", "yuan"}},
	{"明天顺", "明天顺", 1457, 1464, true, []string{"ming-tianshun", "ming"}},
	{"元天顺", "元天顺", 1328, 1328, true, []string{"yuan-tianshun", "yuan"}},
	{"宋元", "宋元", 960, 1368, true, []string{"song", "yuan"}},
	{"新石器时代", "新石器时代晚期", -4666, -2000, true, []string{"neolithic"}},
	{"春秋战国", "春秋战国", -770, -221, true, []string{"spring-autumn", "warring-states", "eastern-zhou", "zhou"}},
	{"不详", "年代不详", 0, 0, false, nil},
}

func TestParse(t *testing.T) {
	for _, tt := range parseCases {
		t.Run(tt.name, func(t *testing.T) {
			r := Parse(tt.text)
			if r.OK != tt.ok {
				t.Fatalf("Parse(%q).OK = %v, want %v (%d..%d)", tt.text, r.OK, tt.ok, r.Earliest, r.Latest)
			}
			if tt.ok && (r.Earliest != tt.lo || r.Latest != tt.hi) {
				t.Errorf("Parse(%q) = %d..%d, want %d..%d", tt.text, r.Earliest, r.Latest, tt.lo, tt.hi)
			}
			if tt.periods != nil && !slices.Equal(r.Periods, tt.periods) && !(len(r.Periods) == 0 && len(tt.periods) == 0) {
				t.Errorf("Parse(%q).Periods = %q, want %q", tt.text, r.Periods, tt.periods)
			}
		})
	}
}

// TestParseConcurrent checks that one parser serves many goroutines; run it
// with -race.
func TestParseConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, tt := range parseCases {
				if r := Parse(tt.text); r.OK != tt.ok || tt.ok && (r.Earliest != tt.lo || r.Latest != tt.hi) {
					t.Errorf("Parse(%q) = %d..%d (OK %v), want %d..%d", tt.text, r.Earliest, r.Latest, r.OK, tt.lo, tt.hi)
				}
			}
		})
	}
	wg.Wait()
}

func TestNewParserEditedTable(t *testing.T) {
	ps := Periods()
	ps = append(ps, Period{
		ID: "qing-test", Parent: "qing", Kind: KindReign,
		ZhHans: "测试", ZhHant: "測試", Pinyin: "Ceshi", En: "Testing",
		Start: 1800, End: 1810, Alt: []string{"Tse-shih"},
	},
		// A broken row: unknown parent, reversed years. It must not break
		// the parser.
		Period{ID: "odd", Parent: "nowhere", Kind: KindPeriod, ZhHans: "怪", ZhHant: "怪", Pinyin: "Guai", En: "Odd", Start: 10, End: -10},
	)
	p := NewParser(ps)
	tests := []struct {
		text   string
		lo, hi int
	}{
		{"Tse-shih", 1800, 1810},
		{"清测试三年", 1802, 1802},
		{"Odd", -10, 10},
		{"Qianlong", 1736, 1795},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := p.Parse(tt.text)
			if !r.OK || r.Earliest != tt.lo || r.Latest != tt.hi {
				t.Errorf("Parse(%q) = %d..%d (OK %v), want %d..%d", tt.text, r.Earliest, r.Latest, r.OK, tt.lo, tt.hi)
			}
		})
	}

	// A cycle in the parents must not hang the parser.
	cyc := NewParser([]Period{
		{ID: "a", Parent: "b", Kind: KindPeriod, ZhHans: "甲朝", ZhHant: "甲朝", Pinyin: "Ajia", En: "Aaa", Start: 1, End: 10},
		{ID: "b", Parent: "a", Kind: KindPeriod, ZhHans: "乙朝", ZhHant: "乙朝", Pinyin: "Bbyi", En: "Bbb", Start: 1, End: 10},
	})
	if r := cyc.Parse("Aaa Bbb"); !r.OK {
		t.Errorf("Parse(%q) on a cyclic table: not OK", "Aaa Bbb")
	}
}

func TestFormatLine(t *testing.T) {
	tests := []struct {
		r    Result
		in   string
		want string
	}{
		{Result{Earliest: -300, Latest: -201, OK: true}, "3rd century BC", "-300\t-201\t3rd century BC"},
		{Result{}, "n.d.", "\t\tn.d."},
	}
	for _, tt := range tests {
		if got := FormatLine(tt.r, tt.in); got != tt.want {
			t.Errorf("FormatLine(%v, %q) = %q, want %q", tt.r, tt.in, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, tt := range parseCases {
		f.Add(tt.text)
	}
	f.Add("ca. ca. ca. - - ; ;")
	f.Add("元年元年前前前")
	f.Add("1st 2nd 3rd half quarter last third")
	f.Fuzz(func(t *testing.T, text string) {
		r := Parse(text)
		if r.OK && r.Earliest > r.Latest {
			t.Errorf("Parse(%q) = %d..%d: earliest after latest", text, r.Earliest, r.Latest)
		}
		if r.OK && (r.Earliest == 0 || r.Latest == 0) {
			t.Errorf("Parse(%q) = %d..%d: there is no year 0", text, r.Earliest, r.Latest)
		}
	})
}
