package linkedart_test

import (
	"wenyuan"
	"wenyuan/linkedart"
)

const base = "https://wenyuan.example.org"

// names are the linked records' names of the test documents.
var names = map[wenyuan.Kind]map[string]wenyuan.Names{
	wenyuan.KindInstitution: {"hebei-museum": {{Lang: "zh-Hans", Value: "河北博物院"}, {Lang: "en", Value: "Hebei Museum"}}},
	wenyuan.KindAgent: {
		"shangfang":   {{Lang: "zh-Hans", Value: "尚方"}, {Lang: "en", Value: "Imperial Workshop"}},
		"dou-wan":     {{Lang: "zh-Hans", Value: "窦绾"}, {Lang: "en", Value: "Dou Wan"}},
		"liu-sheng":   {{Lang: "zh-Hans", Value: "刘胜"}, {Lang: "en", Value: "Liu Sheng"}},
		"yangxin-jia": {{Lang: "zh-Hans", Value: "阳信家"}},
		"qianlong":    {{Lang: "zh-Hans", Value: "乾隆帝"}, {Lang: "en", Value: "Qianlong Emperor"}},
	},
	wenyuan.KindConcept: {
		"cls-bronze": {{Lang: "zh-Hans", Value: "青铜器"}, {Lang: "en", Value: "Bronzes"}},
		"bronze":     {{Lang: "zh-Hans", Value: "青铜"}, {Lang: "en", Value: "bronze"}},
		"metal":      {{Lang: "zh-Hans", Value: "金属"}, {Lang: "en", Value: "metal"}},
		"casting":    {{Lang: "zh-Hans", Value: "铸造"}, {Lang: "en", Value: "casting"}},
	},
	wenyuan.KindPlace:  {"mancheng": {{Lang: "zh-Hans", Value: "满城"}, {Lang: "en", Value: "Mancheng"}}, "baoding": {{Lang: "zh-Hans", Value: "保定"}}},
	wenyuan.KindPeriod: {"western-han": {{Lang: "zh-Hans", Value: "西汉"}, {Lang: "en", Value: "Western Han"}}, "han": {{Lang: "zh-Hans", Value: "汉"}}},
	wenyuan.KindObject: {"lamp-stand": {{Lang: "zh-Hans", Value: "灯座"}}},
}

func testContext() *linkedart.Context {
	return &linkedart.Context{
		Base: base + "/",
		Names: func(kind wenyuan.Kind, id string) wenyuan.Names {
			return names[kind][id]
		},
		AgentType: func(id string) string {
			if id == "shangfang" || id == "yangxin-jia" {
				return "group"
			}
			return "person"
		},
	}
}

func ip(i int) *int         { return &i }
func fp(f float64) *float64 { return &f }

// fullObject has every field that Linked Art maps, in the order ReadObject
// gives them back: makers without a qualifier before qualified ones,
// dimensions with a value before those only written out.
func fullObject() *wenyuan.Object {
	return &wenyuan.Object{
		ID: "0a1b2c3d4e", Institution: "hebei-museum", AccessionNumber: "冀-铜-0001", Type: wenyuan.ObjectTangible,
		Titles: wenyuan.Text{
			{Lang: "zh-Hans", Value: "长信宫灯"}, {Lang: "zh-Hant", Value: "長信宮燈"},
			{Lang: "zh-Latn-pinyin", Value: "Changxin Gong Deng"}, {Lang: "en", Value: "Changxin Palace Lamp"},
			{Lang: "en", Value: "Lamp of the Palace of Lasting Trust"},
		},
		Classification: []string{"cls-bronze"},
		ObjectName:     "宫灯",
		Makers: []wenyuan.Maker{
			{Agent: "shangfang", Role: "artist"},
			{Name: "佚名工匠", Role: "工匠"},
			{Agent: "dou-wan", Name: "窦绾", Role: "patron"},
			{Agent: "liu-sheng", Qualifier: "attributed to"},
			{Name: "Yang Xin", Role: "caster", Qualifier: "workshop of"},
			{Name: "某匠", Qualifier: "传"},
		},
		Date:       &wenyuan.Dating{Display: "西汉（公元前206年—公元8年）", Earliest: ip(-206), Latest: ip(8), Periods: []string{"western-han"}},
		Places:     []string{"mancheng"},
		Materials:  []string{"bronze", "gold"},
		Medium:     "青铜鎏金 gilt bronze",
		Techniques: []string{"casting", "gilding"},
		Dimensions: []wenyuan.Dimension{
			{Type: "height", Value: fp(48), Unit: "cm", Display: "高48厘米"},
			{Type: "weight", Value: fp(15.85), Unit: "kg"},
			{Type: "width", Value: fp(0.75), Unit: "尺"},
			{Type: "底径", Value: fp(22.4), Unit: "mm"},
			{Display: "灯盘直径约 20 厘米"},
		},
		Inscriptions: []wenyuan.Inscription{
			{Type: "inscription", Text: "长信尚浴", Lang: "lzh", Translation: "Bath office of the Changxin Palace", Position: "灯座底部"},
			{Type: "seal", Text: "陽信家", Lang: "zh-Hant", Position: "upper right", Author: "yangxin-jia"},
			{Type: "mark", Translation: "an illegible mark"},
			{Type: "colophon", Text: "御題", Lang: "zh-Hant", Translation: "imperial inscription", Author: "qianlong"},
			{Text: "长信", Lang: "zh-Hans"},
		},
		Description: wenyuan.Text{
			{Lang: "zh-Hans", Value: "宫女跪坐执灯，右臂与灯罩相通，烟经体内不致污染室内。"},
			{Lang: "zh-Hant", Value: "宮女跪坐執燈。"},
			{Lang: "en", Value: "A kneeling palace maid holds the lamp; smoke passes up her right arm into the hollow body."},
		},
		Provenance: wenyuan.Text{
			{Lang: "zh-Hans", Value: "1968年河北满城汉墓出土"},
			{Lang: "en", Value: "Excavated in 1968 from a Han tomb at Mancheng, Hebei."},
		},
		CreditLine:      "河北博物院藏",
		CurrentLocation: "第三展厅 / Gallery 3",
		PartOf:          "mancheng-tomb-2",
		Related:         []wenyuan.Relation{{Object: "lamp-stand", Relation: "pair of"}, {Object: "bronze-lamp-2"}},
		Rights:          "CC0 1.0",
		Visibility:      wenyuan.VisibilityPublic,
	}
}

func minimalObject() *wenyuan.Object {
	return &wenyuan.Object{ID: "bowl-1", Institution: "hebei-museum", AccessionNumber: "A1",
		Type: wenyuan.ObjectTangible, Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "碗"}}, Visibility: wenyuan.VisibilityPublic}
}

func person() *wenyuan.Agent {
	return &wenyuan.Agent{ID: "wen-zhengming", Type: "person",
		Names: wenyuan.Names{
			{Lang: "zh-Hans", Value: "文徵明"}, {Lang: "en", Value: "Wen Zhengming"},
			{Lang: "zh-Latn-pinyin", Value: "Wen Zhengming"}, {Lang: "zh-Hant", Value: "徵仲", Type: "courtesy"},
			{Lang: "zh-Hant", Value: "衡山居士", Type: "studio"}, {Lang: "zh-Latn-wadegile", Value: "Wen Cheng-ming", Type: "wade-giles"},
			{Lang: "zh-Hans", Value: "文壁", Type: "alternate"},
		},
		Born: ip(1470), Died: ip(1559),
		Biography:   wenyuan.Text{{Lang: "zh-Hans", Value: "明代书画家，吴门画派代表。"}, {Lang: "en", Value: "Ming painter and calligrapher of the Wu school."}},
		ExternalIDs: []string{"https://example.org/ulan/wen-zhengming"},
	}
}

func group() *wenyuan.Agent {
	return &wenyuan.Agent{ID: "shangfang", Type: "group",
		Names: wenyuan.Names{{Lang: "zh-Hans", Value: "尚方"}, {Lang: "en", Value: "Imperial Workshop"}},
		Born:  ip(-206), Died: ip(220)}
}

func place() *wenyuan.Place {
	return &wenyuan.Place{ID: "mancheng", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "满城"}, {Lang: "en", Value: "Mancheng"}},
		Parent: "baoding", Type: "county", Latitude: fp(38.9486), Longitude: fp(115.3221),
		ExternalIDs: []string{"https://example.org/tgn/mancheng"}}
}

func kiln() *wenyuan.Place {
	return &wenyuan.Place{ID: "ding-kiln", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "定窑"}}, Type: "kiln"}
}

func period() *wenyuan.Period {
	return &wenyuan.Period{ID: "western-han", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "西汉"}, {Lang: "zh-Hant", Value: "西漢"}, {Lang: "en", Value: "Western Han"}},
		Parent: "han", Type: "dynasty", Start: -206, End: 8}
}

func concept() *wenyuan.Concept {
	return &wenyuan.Concept{ID: "bronze", Scheme: wenyuan.SchemeMaterial,
		Names:       wenyuan.Names{{Lang: "zh-Hans", Value: "青铜"}, {Lang: "en", Value: "bronze"}},
		Broader:     "metal",
		Note:        wenyuan.Text{{Lang: "en", Value: "Alloy of copper and tin."}},
		ExternalIDs: []string{"http://vocab.getty.edu/aat/300010957", "http://www.wikidata.org/entity/Q34095"}}
}

func classification() *wenyuan.Concept {
	return &wenyuan.Concept{ID: "cls-bronze", Scheme: wenyuan.SchemeClassification,
		Names: wenyuan.Names{{Lang: "zh-Hans", Value: "青铜器"}, {Lang: "en", Value: "Bronzes"}}}
}

func institution() *wenyuan.Institution {
	return &wenyuan.Institution{ID: "hebei-museum", Homepage: "https://www.hebeimuseum.org.cn/",
		Names: wenyuan.Names{{Lang: "zh-Hans", Value: "河北博物院"}, {Lang: "en", Value: "Hebei Museum"}}}
}
