// Package searchsynth makes synthetic catalogue records for search
// benchmarks: objects of the four sample institutions with Chinese and
// English titles and descriptions, dates and links to the sample's
// periods, makers, places and concepts. English text is drawn from the
// Walters sample; Chinese titles are composed from the decoration, form
// and subject words of Chinese catalogues, Chinese descriptions from the
// phrases of the sample's Chinese records, about one in five written in
// traditional characters. The same seed always gives the same records.
package searchsynth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/liuzl/gocc"

	"wenyuan"
	"wenyuan/sample"
	"wenyuan/sqlite"
)

// Vocabulary is what records are made of.
type Vocabulary struct {
	// Authorities are every authority and institution the records link
	// to, for building an index without a store.
	Authorities []wenyuan.Record

	insts                          []string
	periods                        []*wenyuan.Period
	classes, techniques, materials []string
	agents, places                 []string
	enTitles, enDescs              []string
	zhPhrases                      []string
	s2t                            *gocc.OpenCC
}

// Chinese title parts.
var (
	decor  = []string{"青花", "粉彩", "斗彩", "五彩", "白釉", "青釉", "黑釉", "三彩", "珐琅彩", "釉里红", "描金", "剔红", "掐丝珐琅", "霁蓝釉", "黄地", "红地", "甜白釉", "哥釉", "汝窑", "钧窑", "龙泉窑", "磁州窑", "定窑", "建窑"}
	motif  = []string{"缠枝莲纹", "云龙纹", "花鸟纹", "山水人物", "婴戏图", "八宝纹", "海水江崖纹", "莲塘纹", "百鹿图", "凤纹", "团花纹", "折枝花卉", "松竹梅纹", "鱼藻纹", "狮子绣球", "缠枝牡丹纹", "龙凤纹", "蟠螭纹", "饕餮纹", "乳钉纹"}
	vessel = []string{"瓶", "碗", "盘", "罐", "壶", "杯", "洗", "炉", "盒", "尊", "觚", "盏", "梅瓶", "玉壶春瓶", "天球瓶", "高足杯", "鼎", "簋", "爵", "镜"}
	scene  = []string{"山水", "花鸟", "人物", "竹石", "松鹤", "墨竹", "秋山", "溪山行旅", "江帆", "雪景", "渔乐", "仕女", "罗汉", "佛像", "观音", "文殊", "普贤", "经变", "飞天", "供养人"}
	format = []string{"图轴", "图卷", "册页", "扇面", "图", "屏风", "壁画", "绢画", "拓本"}
	script = []string{"草书", "行书", "楷书", "隶书", "篆书", "章草", "小楷"}
	work   = []string{"诗帖", "诗卷", "轴", "对联", "尺牍", "手卷", "千字文", "心经", "题跋"}
)

// NewVocabulary reads the sample collection (through a temporary store,
// which also holds the period authority) and returns the vocabulary.
func NewVocabulary(ctx context.Context) (*Vocabulary, error) {
	db, err := sqlite.Open(":memory:")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := sample.Load(ctx, db, func(string) {}); err != nil {
		return nil, err
	}
	v := &Vocabulary{}
	if v.s2t, err = gocc.New("s2t"); err != nil {
		return nil, err
	}
	insts, err := db.FindInstitutions(ctx)
	if err != nil {
		return nil, err
	}
	for _, in := range insts {
		v.insts = append(v.insts, in.ID)
		v.Authorities = append(v.Authorities, in)
	}
	for _, kind := range []wenyuan.Kind{wenyuan.KindAgent, wenyuan.KindPlace, wenyuan.KindPeriod, wenyuan.KindConcept} {
		cursor := ""
		for {
			page, next, err := db.FindAuthorities(ctx, kind, wenyuan.AuthorityFilter{Cursor: cursor, Limit: 1000})
			if err != nil {
				return nil, err
			}
			for _, r := range page {
				v.Authorities = append(v.Authorities, r)
				switch r := r.(type) {
				case *wenyuan.Agent:
					v.agents = append(v.agents, r.ID)
				case *wenyuan.Place:
					v.places = append(v.places, r.ID)
				case *wenyuan.Period:
					v.periods = append(v.periods, r)
				case *wenyuan.Concept:
					switch r.Scheme {
					case wenyuan.SchemeClassification:
						v.classes = append(v.classes, r.ID)
					case wenyuan.SchemeTechnique:
						v.techniques = append(v.techniques, r.ID)
					case wenyuan.SchemeMaterial:
						v.materials = append(v.materials, r.ID)
					}
				}
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	cursor := ""
	for {
		objs, next, err := db.FindObjects(ctx, wenyuan.ObjectFilter{Cursor: cursor, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			for _, t := range o.Titles {
				if isChinese(t.Value) {
					v.zhPhrases = append(v.zhPhrases, t.Value)
				} else {
					v.enTitles = append(v.enTitles, t.Value)
				}
			}
			for _, d := range o.Description {
				if isChinese(d.Value) {
					for _, p := range strings.FieldsFunc(d.Value, func(r rune) bool { return r == '。' || r == '，' || r == '；' }) {
						v.zhPhrases = append(v.zhPhrases, p)
					}
				} else {
					v.enDescs = append(v.enDescs, d.Value)
				}
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return v, nil
}

func isChinese(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// Objects calls fn with n records made from seed. Records are numbered,
// so their accession numbers (SYN-0000001, …) and ids are unique.
func (v *Vocabulary) Objects(n int, seed uint64, fn func(*wenyuan.Object)) {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	for i := range n {
		fn(v.object(r, i))
	}
}

func (v *Vocabulary) object(r *rand.Rand, i int) *wenyuan.Object {
	o := &wenyuan.Object{
		ID:              fmt.Sprintf("SYN%011d", i),
		Institution:     pick(r, v.insts),
		AccessionNumber: fmt.Sprintf("SYN-%07d", i),
		Visibility:      wenyuan.VisibilityPublic,
	}
	switch x := r.IntN(10); {
	case x == 0:
		o.Visibility = wenyuan.VisibilityInternal
	case x == 1:
		o.Visibility = wenyuan.VisibilityConsortium
	}
	trad := r.IntN(5) == 0
	zh := func(s string) wenyuan.LangString {
		if trad {
			t, err := v.s2t.Convert(s)
			if err == nil {
				return wenyuan.LangString{Lang: wenyuan.LangHant, Value: t}
			}
		}
		return wenyuan.LangString{Lang: wenyuan.LangHans, Value: s}
	}
	p := pick(r, v.periods)
	early := p.Start + r.IntN(max(p.End-p.Start, 0)+1)
	late := min(early+r.IntN(60), p.End)
	o.Date = &wenyuan.Dating{Earliest: &early, Latest: &late, Periods: []string{p.ID}}
	pname := p.Names.In("zh-Hans")
	switch kind := r.IntN(10); {
	case kind < 5: // ceramics and bronzes
		o.Titles = wenyuan.Text{zh(pick(r, decor) + pick(r, motif) + pick(r, vessel))}
		o.Techniques = []string{pick(r, v.techniques)}
	case kind < 8: // paintings
		o.Titles = wenyuan.Text{zh(pick(r, scene) + pick(r, format))}
	default: // calligraphy
		o.Titles = wenyuan.Text{zh(pick(r, script) + pick(r, work))}
	}
	o.Date.Display = pname
	if r.IntN(2) == 0 {
		o.Titles = append(o.Titles, wenyuan.LangString{Lang: wenyuan.LangEn, Value: pick(r, v.enTitles)})
	}
	var desc strings.Builder
	desc.WriteString(pname)
	for k := 2 + r.IntN(5); k > 0; k-- {
		desc.WriteString(pick(r, v.zhPhrases))
		desc.WriteString("，")
	}
	desc.WriteString(pick(r, motif) + "。")
	o.Description = wenyuan.Text{zh(desc.String())}
	if r.IntN(3) == 0 {
		o.Description = append(o.Description, wenyuan.LangString{Lang: wenyuan.LangEn, Value: pick(r, v.enDescs)})
	}
	o.Classification = []string{pick(r, v.classes)}
	if len(v.materials) > 0 && r.IntN(2) == 0 {
		o.Materials = []string{pick(r, v.materials)}
	}
	if r.IntN(3) == 0 {
		o.Makers = []wenyuan.Maker{{Agent: pick(r, v.agents)}}
	}
	if r.IntN(3) == 0 {
		o.Places = []string{pick(r, v.places)}
	}
	return o
}
