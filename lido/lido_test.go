package lido

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"wenyuan/internal/testenv"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/encoding/simplifiedchinese"

	"wenyuan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const base = "https://wenyuan.example.org"

// names are the authorities the records below link to, as Wenyuan keeps
// them. The institutions are the demo's partners (sample.Institutions);
// periods are from dating/periods.tsv.
var names = map[wenyuan.Kind]map[string]wenyuan.Names{
	wenyuan.KindInstitution: {
		"palace-museum": {{Lang: "zh-Hans", Value: "故宫博物院"}, {Lang: "zh-Hant", Value: "故宮博物院"}, {Lang: "en", Value: "The Palace Museum"}},
		"university":    {{Lang: "zh-Hans", Value: "大学历史、考古与艺术学院"}, {Lang: "zh-Hant", Value: "大學歷史、考古與藝術學院"}, {Lang: "en", Value: "University Schools of History, Archaeology and Art"}},
		"mural-academy": {{Lang: "zh-Hans", Value: "石窟壁画保护研究院"}, {Lang: "zh-Hant", Value: "石窟壁畫保護研究院"}, {Lang: "en", Value: "Academy for the Conservation of Cave-Temple Murals"}},
	},
	wenyuan.KindAgent: {
		"gu-hongzhong": {{Lang: "zh-Hans", Value: "顾闳中"}, {Lang: "zh-Hant", Value: "顧閎中"}, {Lang: "zh-Latn-pinyin", Value: "Gu Hongzhong"}, {Lang: "en", Value: "Ku Hung-chung", Type: "wade-giles"}},
		"cheng-nanyun": {{Lang: "zh-Hans", Value: "程南云"}, {Lang: "zh-Hant", Value: "程南雲"}, {Lang: "zh-Latn-pinyin", Value: "Cheng Nanyun"}},
		"lingyin":      {{Lang: "zh-Hans", Value: "灵隐"}, {Lang: "zh-Hant", Value: "靈隱"}, {Lang: "zh-Latn-pinyin", Value: "Lingyin"}},
	},
	wenyuan.KindPeriod: {
		"southern-tang": {{Lang: "zh-Hans", Value: "南唐"}, {Lang: "zh-Hant", Value: "南唐"}, {Lang: "zh-Latn-pinyin", Value: "Nan Tang"}, {Lang: "en", Value: "Southern Tang"}},
		"spring-autumn": {{Lang: "zh-Hans", Value: "春秋"}, {Lang: "zh-Hant", Value: "春秋"}, {Lang: "zh-Latn-pinyin", Value: "Chunqiu"}, {Lang: "en", Value: "Spring and Autumn"}},
		"western-han":   {{Lang: "zh-Hans", Value: "西汉"}, {Lang: "zh-Hant", Value: "西漢"}, {Lang: "zh-Latn-pinyin", Value: "Xi Han"}, {Lang: "en", Value: "Western Han"}, {Lang: "en", Value: "Former Han", Type: "alternate"}},
		"tang":          {{Lang: "zh-Hans", Value: "唐"}, {Lang: "zh-Hant", Value: "唐"}, {Lang: "zh-Latn-pinyin", Value: "Tang"}, {Lang: "en", Value: "Tang"}},
	},
	wenyuan.KindPlace: {
		"jinling":        {{Lang: "zh-Hans", Value: "金陵"}, {Lang: "en", Value: "Jinling (Nanjing)"}},
		"dunhuang-mogao": {{Lang: "zh-Hans", Value: "甘肃敦煌莫高窟"}, {Lang: "en", Value: "Mogao Caves, Dunhuang, Gansu"}},
		"xinzheng":       {{Lang: "zh-Hans", Value: "河南新郑"}, {Lang: "en", Value: "Xinzheng, Henan"}},
		"baoji":          {{Lang: "zh-Hans", Value: "陕西宝鸡"}, {Lang: "en", Value: "Baoji, Shaanxi"}},
	},
	wenyuan.KindConcept: {
		"cls-painting":     {{Lang: "en", Value: "Painting & Drawing"}, {Lang: "zh-Hans", Value: "绘画"}, {Lang: "zh-Hant", Value: "繪畫"}, {Lang: "en", Value: "Painting", Type: "alternate"}},
		"cls-bronze":       {{Lang: "en", Value: "Bronzes"}, {Lang: "zh-Hans", Value: "青铜器"}, {Lang: "zh-Hant", Value: "青銅器"}},
		"cls-rubbings":     {{Lang: "en", Value: "Rubbings"}, {Lang: "zh-Hans", Value: "碑帖"}},
		"cls-cave-temples": {{Lang: "en", Value: "Cave temples"}, {Lang: "zh-Hans", Value: "石窟"}},
		"cls-ceramics":     {{Lang: "en", Value: "Ceramics"}, {Lang: "zh-Hans", Value: "陶瓷"}},
		"mat-silk":         {{Lang: "zh-Hans", Value: "绢"}, {Lang: "en", Value: "silk"}},
		"mat-bronze":       {{Lang: "zh-Hans", Value: "青铜"}, {Lang: "en", Value: "bronze"}},
		"tech-casting":     {{Lang: "zh-Hans", Value: "铸造"}, {Lang: "en", Value: "casting"}},
		"tech-colour":      {{Lang: "zh-Hans", Value: "设色"}, {Lang: "en", Value: "ink and colour"}},
	},
	wenyuan.KindObject: {
		"tangyin-hanxizai": {{Lang: "zh-Hans", Value: "唐寅《韩熙载夜宴图》"}, {Lang: "en", Value: "The Night Revels of Han Xizai, after Gu Hongzhong, by Tang Yin"}},
	},
}

func ctx() Context {
	return Context{Base: base, Names: func(kind wenyuan.Kind, id string) wenyuan.Names { return names[kind][id] }}
}

func year(y int) *int { return &y }

func num(f float64) *float64 { return &f }

func zh(hans, en string) wenyuan.Text {
	return wenyuan.Text{{Lang: wenyuan.LangHans, Value: hans}, {Lang: wenyuan.LangEn, Value: en}}
}

// objects are records of the demo's sample collection (sample/*.csv,
// README-zh-records.md): real works, described from published facts. Ids,
// accession numbers and concept ids are the demo's; a link to a record the
// sample lacks (Tang Yin's later version, the Henan Museum's vessel of the
// pair) stands for the record a partner would add.
var objects = []struct {
	name string
	o    *wenyuan.Object
}{
	{"handscroll, every field", &wenyuan.Object{
		ID:              "hanxizai-yeyan",
		Institution:     "palace-museum",
		AccessionNumber: "故-画-0004",
		Type:            wenyuan.ObjectTangible,
		Titles: wenyuan.Text{
			{Lang: "zh-Hans", Value: "韩熙载夜宴图"},
			{Lang: "zh-Hant", Value: "韓熙載夜宴圖"},
			{Lang: "en", Value: "The Night Revels of Han Xizai"},
			{Lang: "zh-Latn-pinyin", Value: "Han Xizai Yeyan Tu"},
			{Lang: "en", Value: "Night Banquet of Han Xizai"},
		},
		Classification: []string{"cls-painting"},
		ObjectName:     "手卷",
		Makers: []wenyuan.Maker{
			{Agent: "gu-hongzhong", Role: "画家", Qualifier: "传"},
			{Name: "宋代佚名画家", Role: "摹者"},
		},
		Date:       &wenyuan.Dating{Display: "五代南唐", Earliest: year(937), Latest: year(975), Periods: []string{"southern-tang"}},
		Places:     []string{"jinling"},
		Materials:  []string{"mat-silk"},
		Techniques: []string{"tech-colour"},
		Medium:     "绢本设色",
		Dimensions: []wenyuan.Dimension{
			{Type: "height", Value: num(28.7), Unit: "cm", Display: "纵28.7厘米"},
			{Type: "width", Value: num(335.5), Unit: "cm", Display: "横335.5厘米"},
		},
		Inscriptions: []wenyuan.Inscription{
			{Type: "inscription", Text: "夜宴圖", Lang: "zh-Hant", Translation: "Night Banquet", Position: "引首，篆书", Author: "cheng-nanyun"},
		},
		Description: zh("以屏风分隔为听乐、观舞、暂歇、清吹、散宴五段，描绘南唐大臣韩熙载家中夜宴宾客的情景。一般认为今本为宋代摹本，仍较好地保存了原作面貌。",
			"Divided by screens into five scenes (listening to music, watching a dance, resting, wind ensemble, and guests departing), the scroll shows a night banquet at the home of the Southern Tang minister Han Xizai. The surviving scroll is generally considered a Song-dynasty copy that preserves the original composition well."),
		Provenance: zh("清宫旧藏；清末流出宫外，1945年张大千购得，20世纪50年代初由国家自香港购回，入藏故宫博物院",
			"Qing imperial collection; left the palace at the end of the Qing; bought by Zhang Daqian in 1945; bought back by the state from Hong Kong in the early 1950s and placed in the Palace Museum."),
		CreditLine: "故宫博物院藏",
		Related:    []wenyuan.Relation{{Object: "tangyin-hanxizai", Relation: "later version"}},
		Rights:     "公有领域；本条元数据依CC0 1.0发布",
		Visibility: wenyuan.VisibilityConsortium,
	}},
	{"cave feature, part of a site", &wenyuan.Object{
		ID:              "mogao-096",
		Visibility:      wenyuan.VisibilityPublic,
		Institution:     "mural-academy",
		AccessionNumber: "窟-096",
		Type:            wenyuan.ObjectFeature,
		Titles: wenyuan.Text{
			{Lang: "zh-Hans", Value: "莫高窟第96窟（北大像）"},
			{Lang: "zh-Hant", Value: "莫高窟第96窟（北大像）"},
			{Lang: "en", Value: "Mogao Cave 96 (Northern Great Buddha)"},
			{Lang: "zh-Latn-pinyin", Value: "Mogao Ku Di 96 Ku (Bei Daxiang)"},
			{Lang: "zh-Hans", Value: "九层楼"},
		},
		Classification: []string{"cls-cave-temples"},
		ObjectName:     "石窟",
		Makers: []wenyuan.Maker{
			{Agent: "lingyin", Name: "禅师灵隐", Role: "营造者"},
			{Name: "居士阴祖", Role: "营造者"},
		},
		Date:   &wenyuan.Dating{Display: "唐延载二年", Earliest: year(695), Latest: year(695), Periods: []string{"tang"}},
		Places: []string{"dunhuang-mogao"},
		Medium: "砾岩、泥、木、矿物颜料",
		Dimensions: []wenyuan.Dimension{
			{Type: "height", Value: num(35.5), Unit: "m", Display: "佛像高35.5米"},
		},
		Description: zh("窟内弥勒佛倚坐像为石胎泥塑，高35.5米，是莫高窟最大的塑像，俗称“北大像”，后代多次重修。窟前木构窟檐于1935年重修为九层，俗称“九层楼”，为莫高窟的标志性建筑。",
			"The seated Maitreya inside, carved from the rock and finished in clay, is 35.5 metres tall, the largest statue at Mogao, known as the Northern Great Buddha; it has been repaired many times. The timber facade in front was rebuilt with nine storeys in 1935 and, as the 'Nine-Storey Building', has become the emblem of the Mogao Caves."),
		Provenance:      wenyuan.Text{{Lang: "zh-Hans", Value: "原址保存"}},
		CurrentLocation: "甘肃敦煌莫高窟",
		PartOf:          "mogao",
		Rights:          "公有领域；本条元数据依CC0 1.0发布",
	}},
	{"bronze, BCE years", &wenyuan.Object{
		ID:              "lianhe-fanghu",
		Visibility:      wenyuan.VisibilityConsortium,
		Institution:     "palace-museum",
		AccessionNumber: "故-铜-0001",
		Type:            wenyuan.ObjectTangible,
		Titles: wenyuan.Text{
			{Lang: "zh-Hans", Value: "莲鹤方壶"},
			{Lang: "zh-Hant", Value: "蓮鶴方壺"},
			{Lang: "en", Value: "Square hu vessel with lotus and crane"},
			{Lang: "zh-Latn-pinyin", Value: "Lian He Fanghu"},
		},
		Classification: []string{"cls-bronze"},
		Date:           &wenyuan.Dating{Display: "春秋中期", Earliest: year(-672), Latest: year(-575), Periods: []string{"spring-autumn"}},
		Places:         []string{"xinzheng"},
		Materials:      []string{"mat-bronze"},
		Techniques:     []string{"tech-casting"},
		Medium:         "青铜",
		Description: zh("原为一对，此为其一。壶盖作双层镂空莲瓣形，中央立一展翅欲飞的仙鹤；颈两侧饰回首龙形耳，腹部四角攀附有翼神兽，圈足下有两只卷尾兽承托器身。另一件藏河南博物院。",
			"One of an original pair. The lid is a double ring of openwork lotus petals with a crane about to take flight in the centre; dragon-shaped handles look back from the neck, winged beasts climb the four corners of the body, and two curl-tailed beasts support the ring foot. The other vessel of the pair is in the Henan Museum."),
		Provenance: zh("1923年河南新郑李家楼郑公大墓出土；1954年由文化部拨交故宫博物院",
			"Excavated in 1923 from the great tomb of a lord of Zheng at Lijialou, Xinzheng, Henan; transferred to the Palace Museum by the Ministry of Culture in 1954."),
		Related: []wenyuan.Relation{{Object: "lianhe-fanghu-henan", Relation: "pair of"}},
		Rights:  "https://creativecommons.org/publicdomain/mark/1.0/",
	}},
	{"rubbing, latest year only, classical Chinese inscription", &wenyuan.Object{
		ID:              "shiguwen-wuche",
		Visibility:      wenyuan.VisibilityPublic,
		Institution:     "university",
		AccessionNumber: "大学-史-0005",
		Type:            wenyuan.ObjectTangible,
		Titles: wenyuan.Text{
			{Lang: "zh-Hans", Value: "石鼓文拓本（吾车鼓）"},
			{Lang: "zh-Hant", Value: "石鼓文拓本（吾車鼓）"},
			{Lang: "en", Value: "Rubbing of the Stone Drum Inscriptions: the 'Wu Che' drum"},
			{Lang: "zh-Latn-pinyin", Value: "Shiguwen Taben (Wu Che Gu)"},
		},
		Classification: []string{"cls-rubbings"},
		// 先秦: before the Qin empire of 221 BCE.
		Date:   &wenyuan.Dating{Display: "先秦（秦国）", Latest: year(-222)},
		Places: []string{"baoji"},
		Medium: "纸、墨",
		Inscriptions: []wenyuan.Inscription{
			{Type: "inscription", Text: "吾车既工，吾马既同", Lang: "lzh", Translation: "My chariots are well built, my horses well matched", Position: "首句"},
		},
		Description: zh("十鼓中“吾车”一鼓的拓片。诗叙游猎之始，言车马整齐、弓矢精良。",
			"The sheet from the 'Wu Che' (My Chariots) drum among the ten. The poem describes the start of a hunt, praising the well-built chariots, matched horses and fine bows and arrows."),
		Provenance: wenyuan.Text{{Lang: "zh-Hans", Value: "图书馆旧藏，与大学-史-0004同套"}},
		PartOf:     "shiguwen",
		Rights:     "公有领域；本条元数据依CC0 1.0发布",
	}},
	{"figure, BCE to CE", &wenyuan.Object{
		ID:              "caihui-taoyong",
		Visibility:      wenyuan.VisibilityConsortium,
		Institution:     "university",
		AccessionNumber: "大学-考-0003",
		Type:            wenyuan.ObjectTangible,
		Titles: wenyuan.Text{
			{Lang: "zh-Hans", Value: "彩绘陶俑"},
			{Lang: "zh-Hant", Value: "彩繪陶俑"},
			{Lang: "en", Value: "Painted pottery tomb figure"},
		},
		Classification: []string{"cls-ceramics"},
		Date:           &wenyuan.Dating{Display: "西汉", Earliest: year(-206), Latest: year(9), Periods: []string{"western-han"}},
		Medium:         "陶；模制、彩绘",
		Description: zh("汉代墓葬中随葬的陶俑，象征侍从、仆役，反映“事死如事生”的丧葬观念。本件为考古教学标本。",
			"A pottery figure of the kind buried in Han tombs to stand for attendants and servants, reflecting the belief that the dead should be served as the living were. This is an archaeology teaching specimen."),
		Dimensions: []wenyuan.Dimension{{Display: "尺寸待测"}},
	}},
	{"required fields only", &wenyuan.Object{
		ID:              "walters-56",
		Visibility:      wenyuan.VisibilityPublic,
		Institution:     "walters",
		AccessionNumber: "42.245",
		Type:            wenyuan.ObjectTangible,
		Titles:          wenyuan.Text{{Lang: "en", Value: "Rython-Shaped Drinking Cup"}},
	}},
	{"intangible heritage, a title without language", &wenyuan.Object{
		ID:              "guqin",
		Visibility:      wenyuan.VisibilityPublic,
		Institution:     "university",
		AccessionNumber: "大学-艺-0002",
		Type:            wenyuan.ObjectIntangible,
		Titles:          wenyuan.Text{{Lang: "", Value: "古琴艺术"}, {Lang: "en", Value: "Art of the Guqin"}},
	}},
}

var ignoreUnmapped = cmpopts.IgnoreFields(wenyuan.Object{}, "Visibility", "Meta")

func marshal(t testing.TB, o *wenyuan.Object, c Context) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Marshal(&buf, o, c); err != nil {
		t.Fatalf("Marshal(%s) = %v", o.ID, err)
	}
	return buf.Bytes()
}

// notValid names the objects above that fail Validate on purpose, to test
// what Marshal makes of them.
var notValid = map[string]bool{"guqin": true}

func TestObjectsAreValid(t *testing.T) {
	for _, tt := range objects {
		if err := tt.o.Validate(); (err != nil) != notValid[tt.o.ID] {
			t.Errorf("%s: Validate() = %v, want an error %v", tt.name, err, notValid[tt.o.ID])
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tt := range objects {
		t.Run(tt.name, func(t *testing.T) {
			b := marshal(t, tt.o, ctx())
			got, warnings, err := Unmarshal(bytes.NewReader(b), base)
			if err != nil {
				t.Fatalf("Unmarshal(Marshal(%s)) = %v\n%s", tt.o.ID, err, b)
			}
			if diff := cmp.Diff(tt.o, got, ignoreUnmapped, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Unmarshal(Marshal(%s)) differs (-want +got):\n%s", tt.o.ID, diff)
			}
			if len(warnings) != 0 {
				t.Errorf("Unmarshal(Marshal(%s)) warnings = %v, want none", tt.o.ID, warnings)
			}
		})
	}
}

// TestRoundTripWithoutNames writes records with no authority names at all:
// links alone must carry the object.
func TestRoundTripWithoutNames(t *testing.T) {
	for _, tt := range objects {
		t.Run(tt.name, func(t *testing.T) {
			b := marshal(t, tt.o, Context{Base: base + "/"})
			got, _, err := Unmarshal(bytes.NewReader(b), base)
			if err != nil {
				t.Fatalf("Unmarshal(Marshal(%s)) = %v", tt.o.ID, err)
			}
			if diff := cmp.Diff(tt.o, got, ignoreUnmapped, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Unmarshal(Marshal(%s)) differs (-want +got):\n%s", tt.o.ID, diff)
			}
		})
	}
}

func TestMarshalDocument(t *testing.T) {
	var all []*wenyuan.Object
	for _, tt := range objects {
		all = append(all, tt.o)
	}
	var buf bytes.Buffer
	if err := MarshalDocument(&buf, all, ctx()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<lido:lidoWrap ")) {
		t.Errorf("MarshalDocument starts %q, want the XML declaration and lido:lidoWrap", buf.Bytes()[:80])
	}
	if n := bytes.Count(buf.Bytes(), []byte("<lido:lido>")); n != len(all) {
		t.Errorf("MarshalDocument wrote %d records, want %d", n, len(all))
	}
	one := bytes.Buffer{}
	if err := MarshalDocument(&one, all[:1], ctx()); err != nil {
		t.Fatal(err)
	}
	got, _, err := Unmarshal(&one, base)
	if err != nil {
		t.Fatalf("Unmarshal(lidoWrap) = %v", err)
	}
	if diff := cmp.Diff(all[0], got, ignoreUnmapped, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Unmarshal(MarshalDocument) differs (-want +got):\n%s", diff)
	}
	if err := MarshalDocument(&bytes.Buffer{}, nil, ctx()); wenyuan.ErrorCode(err) != wenyuan.EINVALID {
		t.Errorf("MarshalDocument(no objects) = %v, want an invalid error", err)
	}
}

// TestSchema validates every record, and a document of all of them,
// against the LIDO 1.1 XML Schema in testdata/xsd with xmllint.
func TestSchema(t *testing.T) {
	xmllint := testenv.Command(t, "xmllint", "xmllint is not installed (Debian: apt-get install libxml2-utils): records are not checked against the LIDO 1.1 schema")
	schema, err := filepath.Abs(filepath.Join("testdata", "xsd", "lido-v1.1.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	validate := func(t *testing.T, b []byte) {
		t.Helper()
		path := filepath.Join(t.TempDir(), "record.xml")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, path)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s\n%s", err, out, b)
		}
	}
	var all []*wenyuan.Object
	for _, tt := range objects {
		all = append(all, tt.o)
		t.Run(tt.name, func(t *testing.T) {
			validate(t, marshal(t, tt.o, ctx()))
		})
	}
	t.Run("document", func(t *testing.T) {
		var buf bytes.Buffer
		if err := MarshalDocument(&buf, all, Context{Base: base}); err != nil {
			t.Fatal(err)
		}
		validate(t, buf.Bytes())
	})
	t.Run("foreign record", func(t *testing.T) {
		validate(t, []byte(foreign))
	})
}

// TestGolden keeps the full record of the handscroll in
// testdata/hanxizai-yeyan.xml, so that a change to the output shows in
// review. Rewrite it with go test ./lido -run TestGolden -update.
func TestGolden(t *testing.T) {
	got := marshal(t, objects[0].o, ctx())
	path := filepath.Join("testdata", "hanxizai-yeyan.xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("Marshal(%s) differs from %s (-want +got); run go test ./lido -run TestGolden -update if the change is meant:\n%s", objects[0].o.ID, path, diff)
	}
}

func TestYears(t *testing.T) {
	for _, tt := range []struct {
		year int
		iso  string
	}{
		{1644, "1644"},
		{1, "0001"},
		{-1, "0000"},
		{-2, "-0001"},
		{-206, "-0205"},
		{-672, "-0671"},
		{-100000, "-99999"},
		{2999, "2999"},
	} {
		if got := formatYear(tt.year); got != tt.iso {
			t.Errorf("formatYear(%d) = %q, want %q", tt.year, got, tt.iso)
		}
		if got, err := parseYear(tt.iso); err != nil || got != tt.year {
			t.Errorf("parseYear(%q) = %d, %v, want %d", tt.iso, got, err, tt.year)
		}
	}
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"1644-04-25", 1644},
		{"-0205-03", -206},
		{"+1800", 1800},
		{" 0937 ", 937},
		{"1701T00:00:00", 1701},
	} {
		if got, err := parseYear(tt.in); err != nil || got != tt.want {
			t.Errorf("parseYear(%q) = %d, %v, want %d", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "-", "18th century", "c. 1650", "1650s", "1234567", "一六四四"} {
		if got, err := parseYear(in); err == nil {
			t.Errorf("parseYear(%q) = %d, want an error", in, got)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	ok := func() *wenyuan.Object {
		return &wenyuan.Object{ID: "x", Institution: "u", AccessionNumber: "A1", Titles: wenyuan.Text{{Lang: "en", Value: "Cup"}}}
	}
	for _, tt := range []struct {
		name string
		o    *wenyuan.Object
		c    Context
		want string
	}{
		{"no base", ok(), Context{}, "no base URL"},
		{"no object", nil, ctx(), "no object"},
		{"no id", func() *wenyuan.Object { o := ok(); o.ID = ""; return o }(), ctx(), "has no id"},
		{"no institution", func() *wenyuan.Object { o := ok(); o.Institution = ""; return o }(), ctx(), "has no institution"},
		{"no accession number", func() *wenyuan.Object { o := ok(); o.AccessionNumber = ""; return o }(), ctx(), "has no accession number"},
		{"no title", func() *wenyuan.Object { o := ok(); o.Titles = nil; return o }(), ctx(), "has no title"},
		{"blank title", func() *wenyuan.Object { o := ok(); o.Titles = wenyuan.Text{{Lang: "en"}}; return o }(), ctx(), "has no title"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Marshal(&bytes.Buffer{}, tt.o, tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.want) || wenyuan.ErrorCode(err) != wenyuan.EINVALID {
				t.Errorf("Marshal() = %v, want an invalid error containing %q", err, tt.want)
			}
		})
	}
}

// strip removes every element called name from a record.
func strip(b []byte, name string) string {
	re := regexp.MustCompile(`(?s)\s*<lido:` + name + `[ >].*?</lido:` + name + `>`)
	return re.ReplaceAllString(string(b), "")
}

// badRecords are records Unmarshal refuses, with the text its error must
// contain: where the record is wrong.
func badRecords(t testing.TB) []struct{ name, in, want string } {
	good := marshal(t, objects[5].o, ctx())
	var two bytes.Buffer
	if err := MarshalDocument(&two, []*wenyuan.Object{objects[5].o, objects[4].o}, ctx()); err != nil {
		t.Fatal(err)
	}
	return []struct{ name, in, want string }{
		{"empty", "", "no root element"},
		{"not XML", "故-画-0004 韩熙载夜宴图", "no root element"},
		{"malformed", `<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:lidoRecID>1</lido:lido>`, "malformed XML"},
		{"truncated", string(good[:len(good)/2]), "malformed XML"},
		{"undefined prefix", `<lido:lido><lido:lidoRecID>1</lido:lidoRecID></lido:lido>`, "root element is <lido> (namespace \"lido\")"},
		{"wrong root", `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord/></OAI-PMH>`, "root element is <OAI-PMH>"},
		{"no namespace", `<lido><lidoRecID>1</lidoRecID></lido>`, "root element is <lido>, want lido:lido"},
		{"unknown encoding", `<?xml version="1.0" encoding="x-wenyuan"?><lido:lido xmlns:lido="http://www.lido-schema.org"/>`, "x-wenyuan"},
		{"no descriptiveMetadata", strip(good, "descriptiveMetadata"), "lido:lido/lido:descriptiveMetadata: missing"},
		{"no accession number", strip(good, "workID"), "lido:objectIdentificationWrap/lido:repositoryWrap/lido:repositorySet/lido:workID: no accession number"},
		{"blank accession number", strings.Replace(string(good), ">42.245<", "> <", 1), "lido:workID: no accession number"},
		{"no title", strip(good, "titleSet"), "lido:objectIdentificationWrap/lido:titleWrap: no title"},
		{"blank title", strings.Replace(string(good), ">Rython-Shaped Drinking Cup<", ">\n  <", 1), "lido:titleWrap: no title"},
		{"two records", two.String(), "lido:lidoWrap: holds 2 lido:lido records, want one"},
		{"empty wrap", `<lido:lidoWrap xmlns:lido="http://www.lido-schema.org"/>`, "lido:lidoWrap: holds 0 lido:lido records"},
	}
}

func TestUnmarshalErrors(t *testing.T) {
	for _, tt := range badRecords(t) {
		t.Run(tt.name, func(t *testing.T) {
			o, _, err := Unmarshal(strings.NewReader(tt.in), base)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Unmarshal() = %v, want an error containing %q", err, tt.want)
			}
			if o != nil {
				t.Errorf("Unmarshal() = %v with the error, want nil", o)
			}
			if code := wenyuan.ErrorCode(err); code != wenyuan.EINVALID {
				t.Errorf("ErrorCode(Unmarshal()) = %q, want %q", code, wenyuan.EINVALID)
			}
		})
	}
}

func TestUnmarshalTooLarge(t *testing.T) {
	in := bytes.Repeat([]byte(" "), MaxSize+1)
	if _, _, err := Unmarshal(bytes.NewReader(in), base); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Unmarshal(%d bytes) = %v, want a size error", len(in), err)
	}
}

// foreign is the Walters Art Museum's object 56 (sample/walters-chinese.jsonl)
// as another system might write it in LIDO: its own identifiers, terms
// without URLs, values without xml:lang, a second descriptiveMetadata for
// Chinese and dates with month and day.
const foreign = `<?xml version="1.0" encoding="UTF-8"?>
<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">
  <lido:lido>
    <lido:lidoRecID lido:type="local">US-WAM/56</lido:lidoRecID>
    <lido:objectPublishedID lido:type="URI">http://art.thewalters.org/detail/56</lido:objectPublishedID>
    <lido:category>
      <lido:conceptID lido:type="URI">http://www.cidoc-crm.org/crm-concepts/E22</lido:conceptID>
      <lido:term xml:lang="en">Man-Made Object</lido:term>
    </lido:category>
    <lido:descriptiveMetadata xml:lang="en">
      <lido:objectClassificationWrap>
        <lido:objectWorkTypeWrap>
          <lido:objectWorkType><lido:term>cups</lido:term></lido:objectWorkType>
        </lido:objectWorkTypeWrap>
        <lido:classificationWrap>
          <lido:classification><lido:term>Precious Stones &amp; Gems</lido:term></lido:classification>
        </lido:classificationWrap>
      </lido:objectClassificationWrap>
      <lido:objectIdentificationWrap>
        <lido:titleWrap>
          <lido:titleSet>
            <lido:appellationValue>
              Rython-Shaped Drinking Cup
            </lido:appellationValue>
          </lido:titleSet>
        </lido:titleWrap>
        <lido:repositoryWrap>
          <lido:repositorySet>
            <lido:repositoryName>
              <lido:legalBodyName><lido:appellationValue>The Walters Art Museum</lido:appellationValue></lido:legalBodyName>
            </lido:repositoryName>
            <lido:workID lido:type="inventory number">42.245</lido:workID>
            <lido:repositoryLocation>
              <lido:namePlaceSet><lido:appellationValue>Not on View</lido:appellationValue></lido:namePlaceSet>
            </lido:repositoryLocation>
          </lido:repositorySet>
        </lido:repositoryWrap>
        <lido:objectDescriptionWrap>
          <lido:objectDescriptionSet>
            <lido:descriptiveNoteValue>Adorned with writhing felines and dragons, this cup with narrow bottom and curving profile appears to imitate horn or antler vessels.</lido:descriptiveNoteValue>
          </lido:objectDescriptionSet>
          <lido:objectDescriptionSet lido:type="provenance">
            <lido:descriptiveNoteValue>William T. / Henry Walters Collection, Baltimore [date and mode of acquisition unknown]; Walters Art Museum, 1931, by bequest.</lido:descriptiveNoteValue>
          </lido:objectDescriptionSet>
        </lido:objectDescriptionWrap>
        <lido:objectMeasurementsWrap>
          <lido:objectMeasurementsSet>
            <lido:displayObjectMeasurements>5 1/16 in. (12.9 cm)</lido:displayObjectMeasurements>
            <lido:objectMeasurements>
              <lido:measurementsSet>
                <lido:measurementType>height</lido:measurementType>
                <lido:measurementUnit>cm</lido:measurementUnit>
                <lido:measurementValue>12.9</lido:measurementValue>
              </lido:measurementsSet>
            </lido:objectMeasurements>
          </lido:objectMeasurementsSet>
        </lido:objectMeasurementsWrap>
        <lido:objectMaterialsTechWrap>
          <lido:objectMaterialsTechSet>
            <lido:materialsTech>
              <lido:termMaterialsTech lido:type="http://terminology.lido-schema.org/lido00132"><lido:term>nephrite</lido:term></lido:termMaterialsTech>
            </lido:materialsTech>
          </lido:objectMaterialsTechSet>
        </lido:objectMaterialsTechWrap>
      </lido:objectIdentificationWrap>
      <lido:eventWrap>
        <lido:eventSet>
          <lido:event>
            <lido:eventType><lido:term>production</lido:term></lido:eventType>
            <lido:eventActor>
              <lido:actorInRole>
                <lido:actor>
                  <lido:actorID lido:type="local">6238</lido:actorID>
                  <lido:nameActorSet><lido:appellationValue lido:pref="preferred">Chinese</lido:appellationValue></lido:nameActorSet>
                </lido:actor>
                <lido:roleActor><lido:term>Artist</lido:term></lido:roleActor>
              </lido:actorInRole>
            </lido:eventActor>
            <lido:eventDate>
              <lido:displayDate>18th century</lido:displayDate>
              <lido:date>
                <lido:earliestDate>1701-01-01</lido:earliestDate>
                <lido:latestDate>1800-12-31</lido:latestDate>
              </lido:date>
            </lido:eventDate>
            <lido:periodName><lido:term>Qing [Ch'ing] Dynasty</lido:term></lido:periodName>
            <lido:eventPlace>
              <lido:place>
                <lido:placeID lido:type="local">1475798</lido:placeID>
                <lido:namePlaceSet><lido:appellationValue>Zhonghua</lido:appellationValue></lido:namePlaceSet>
              </lido:place>
            </lido:eventPlace>
            <lido:eventMaterialsTech>
              <lido:displayMaterialsTech>carved yellow nephrite</lido:displayMaterialsTech>
            </lido:eventMaterialsTech>
          </lido:event>
        </lido:eventSet>
        <lido:eventSet>
          <lido:event>
            <lido:eventType><lido:term>acquisition</lido:term></lido:eventType>
            <lido:eventDate><lido:displayDate>1931</lido:displayDate></lido:eventDate>
          </lido:event>
        </lido:eventSet>
      </lido:eventWrap>
    </lido:descriptiveMetadata>
    <lido:descriptiveMetadata xml:lang="zh-Hans">
      <lido:objectClassificationWrap>
        <lido:objectWorkTypeWrap><lido:objectWorkType><lido:term>杯</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>
      </lido:objectClassificationWrap>
      <lido:objectIdentificationWrap>
        <lido:titleWrap>
          <lido:titleSet><lido:appellationValue>来通形饮杯</lido:appellationValue></lido:titleSet>
          <lido:titleSet><lido:appellationValue xml:lang="en">Rython-Shaped Drinking Cup</lido:appellationValue></lido:titleSet>
        </lido:titleWrap>
      </lido:objectIdentificationWrap>
    </lido:descriptiveMetadata>
    <lido:administrativeMetadata xml:lang="en">
      <lido:rightsWorkWrap>
        <lido:rightsWorkSet>
          <lido:creditLine>Acquired by William T. or Henry Walters</lido:creditLine>
        </lido:rightsWorkSet>
      </lido:rightsWorkWrap>
      <lido:recordWrap>
        <lido:recordID lido:type="local">56</lido:recordID>
        <lido:recordType><lido:term>item</lido:term></lido:recordType>
        <lido:recordSource>
          <lido:legalBodyName><lido:appellationValue>The Walters Art Museum</lido:appellationValue></lido:legalBodyName>
        </lido:recordSource>
        <lido:recordInfoSet><lido:recordInfoLink>http://art.thewalters.org/detail/56</lido:recordInfoLink></lido:recordInfoSet>
      </lido:recordWrap>
    </lido:administrativeMetadata>
  </lido:lido>
</lido:lidoWrap>
`

func TestUnmarshalForeign(t *testing.T) {
	got, warnings, err := Unmarshal(strings.NewReader(foreign), base)
	if err != nil {
		t.Fatal(err)
	}
	want := &wenyuan.Object{
		AccessionNumber: "42.245",
		Type:            wenyuan.ObjectTangible,
		Titles:          wenyuan.Text{{Lang: "en", Value: "Rython-Shaped Drinking Cup"}, {Lang: "zh-Hans", Value: "来通形饮杯"}},
		ObjectName:      "cups",
		Makers:          []wenyuan.Maker{{Name: "Chinese", Role: "Artist"}},
		Date:            &wenyuan.Dating{Display: "18th century", Earliest: year(1701), Latest: year(1800)},
		Medium:          "carved yellow nephrite",
		Dimensions:      []wenyuan.Dimension{{Type: "height", Value: num(12.9), Unit: "cm", Display: "5 1/16 in. (12.9 cm)"}},
		Description:     wenyuan.Text{{Lang: "en", Value: "Adorned with writhing felines and dragons, this cup with narrow bottom and curving profile appears to imitate horn or antler vessels."}},
		Provenance:      wenyuan.Text{{Lang: "en", Value: "William T. / Henry Walters Collection, Baltimore [date and mode of acquisition unknown]; Walters Art Museum, 1931, by bequest."}},
		CreditLine:      "Acquired by William T. or Henry Walters",
		CurrentLocation: "Not on View",
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Unmarshal(foreign) differs (-want +got):\n%s", diff)
	}
	var elements []string
	for _, w := range warnings {
		elements = append(elements, w.Element)
	}
	wantElements := []string{
		"lido:descriptiveMetadata",
		"lido:objectPublishedID",
		"lido:repositoryName, lido:recordSource",
		"lido:classificationWrap/lido:classification",
		"lido:periodName",
		"lido:eventPlace/lido:place",
		"lido:eventWrap/lido:eventSet/lido:event",
		"lido:objectMaterialsTechWrap/lido:objectMaterialsTechSet/lido:materialsTech/lido:termMaterialsTech",
	}
	if diff := cmp.Diff(wantElements, elements); diff != "" {
		t.Errorf("Unmarshal(foreign) warnings differ (-want +got):\n%s\n%v", diff, warnings)
	}
	for _, w := range warnings {
		if w.String() == "" || w.Reason == "" {
			t.Errorf("warning %#v has no reason", w)
		}
	}
}

// TestUnmarshalForeignLinks reads links whose URLs are not under base: a
// maker keeps the name, the rest is reported.
func TestUnmarshalForeignLinks(t *testing.T) {
	b := marshal(t, objects[0].o, ctx())
	got, warnings, err := Unmarshal(bytes.NewReader(b), "https://other.example.org")
	if err != nil {
		t.Fatal(err)
	}
	wantMakers := []wenyuan.Maker{
		{Name: "顾闳中", Role: "画家", Qualifier: "传"},
		{Name: "宋代佚名画家", Role: "摹者"},
	}
	if diff := cmp.Diff(wantMakers, got.Makers); diff != "" {
		t.Errorf("makers differ (-want +got):\n%s", diff)
	}
	if got.ID != "" || got.Institution != "" || got.Classification != nil || got.Places != nil || got.Related != nil {
		t.Errorf("Unmarshal kept links that are not under its base: %+v", got)
	}
	for _, want := range []string{"lido:objectPublishedID", "lido:classificationWrap/lido:classification", "lido:periodName", "lido:eventPlace/lido:place", "lido:eventMaterialsTech/lido:materialsTech/lido:termMaterialsTech", "lido:relatedWorksWrap/lido:relatedWorkSet", "lido:inscriptionsWrap/lido:inscriptions/lido:inscriptionDescription"} {
		found := false
		for _, w := range warnings {
			found = found || w.Element == want
		}
		if !found {
			t.Errorf("no warning for %s in %v", want, warnings)
		}
	}
}

// TestUnmarshalGB18030 reads a record in the encoding its XML declaration
// names, as Chinese collection systems still export.
func TestUnmarshalGB18030(t *testing.T) {
	utf8 := marshal(t, objects[2].o, ctx())
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(append([]byte(`<?xml version="1.0" encoding="GB18030"?>`+"\n"), utf8...))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := Unmarshal(bytes.NewReader(gb), base)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(objects[2].o, got, ignoreUnmapped, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Unmarshal(GB18030) differs (-want +got):\n%s", diff)
	}
}

// FuzzUnmarshal reads arbitrary bytes: Unmarshal returns an object with an
// accession number and a title, or an error, and never panics.
func FuzzUnmarshal(f *testing.F) {
	for _, tt := range objects {
		f.Add(marshal(f, tt.o, ctx()))
	}
	f.Add([]byte(foreign))
	for _, tt := range badRecords(f) {
		f.Add([]byte(tt.in))
	}
	f.Add([]byte(`<?xml version="1.0" encoding="GB18030"?><lido:lido xmlns:lido="http://www.lido-schema.org"/>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		o, _, err := Unmarshal(bytes.NewReader(in), base)
		if err != nil {
			if o != nil {
				t.Fatalf("Unmarshal returned an object with error %v", err)
			}
			return
		}
		if o.AccessionNumber == "" || len(o.Titles) == 0 {
			t.Fatalf("Unmarshal() = %+v without an accession number or a title", o)
		}
		// What was read writes again whenever it has what a record needs.
		if o.ID != "" && o.Institution != "" {
			if err := Marshal(&bytes.Buffer{}, o, ctx()); err != nil {
				t.Fatalf("Marshal(Unmarshal()) = %v", err)
			}
		}
	})
}

func BenchmarkMarshal(b *testing.B) {
	o, c := objects[0].o, ctx()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Marshal(&buf, o, c); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkUnmarshal(b *testing.B) {
	in := marshal(b, objects[0].o, ctx())
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Unmarshal(bytes.NewReader(in), base); err != nil {
			b.Fatal(err)
		}
	}
}
