// Package synth makes synthetic museum records for benchmarks: records in the
// Walters Art Museum's JSON Lines shape and field names (so
// sample/walters.mapping.yaml imports them), each field drawn from the
// values a sample file actually holds and recombined at random, with about
// one record in five given a Chinese title.
package synth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
)

// Vocabulary holds the field values of a sample of Walters records.
type Vocabulary struct {
	keys []string // every field name in the sample, sorted as the museum writes them
	recs []map[string]json.RawMessage
}

// groups lists fields drawn together from one sample record because their
// values only make sense together: a date's text, its years and the periods
// it falls in; a location and whether it is on view. Any other field is
// drawn on its own.
var groups = [][]string{
	{"DateText", "DateBeginYear", "DateEndYear", "Dynasty", "Reign", "Period"},
	{"MuseumLocation", "OnView"},
}

// ReadVocabulary reads a sample of Walters records, one JSON object a line.
func ReadVocabulary(r io.Reader) (*Vocabulary, error) {
	v := &Vocabulary{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(line, &rec); err != nil {
			return nil, fmt.Errorf("sample line %d: %w", n, err)
		}
		for k, raw := range rec {
			var buf bytes.Buffer
			if err := json.Compact(&buf, raw); err != nil {
				return nil, fmt.Errorf("sample line %d, field %s: %w", n, k, err)
			}
			rec[k] = buf.Bytes()
			if !seen[k] {
				seen[k] = true
				v.keys = append(v.keys, k)
			}
		}
		v.recs = append(v.recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read sample: %w", err)
	}
	if len(v.recs) == 0 {
		return nil, fmt.Errorf("sample has no records")
	}
	slices.Sort(v.keys)
	return v, nil
}

// Write writes n records to w as JSON Lines. The same vocabulary, n and
// seed always give the same bytes.
func (v *Vocabulary) Write(w io.Writer, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	// Each field not in a group is a group of its own, so every record
	// draws the same sequence of random numbers.
	var draw [][]string
	grouped := map[string]bool{}
	for _, g := range groups {
		draw = append(draw, g)
		for _, k := range g {
			grouped[k] = true
		}
	}
	for _, k := range v.keys {
		if !grouped[k] {
			draw = append(draw, []string{k})
		}
	}

	bw := bufio.NewWriterSize(w, 1<<20)
	rec := make(map[string]json.RawMessage, len(v.keys))
	var line []byte
	for i := 1; i <= n; i++ {
		clear(rec)
		for _, g := range draw {
			src := v.recs[rng.IntN(len(v.recs))]
			for _, k := range g {
				rec[k] = src[k]
			}
		}
		number := fmt.Sprintf("G.%06d", i)
		id := 1_000_000 + i
		rec["ObjectNumber"] = str(number)
		rec["ObjectID"] = json.RawMessage(fmt.Sprint(id))
		rec["ResourceURL"] = str(fmt.Sprintf("http://art.thewalters.org/detail/%d", id))
		rec["SortNumber"] = str(fmt.Sprintf("%-56s", fmt.Sprintf("     G %6d", i)))
		if rng.IntN(5) == 0 {
			rec["Title"] = str(chineseTitles[rng.IntN(len(chineseTitles))])
			if rng.IntN(2) == 0 {
				rec["Description"] = str(chineseDescriptions[rng.IntN(len(chineseDescriptions))])
			} else {
				rec["Description"] = json.RawMessage("null")
			}
		}
		line = append(line[:0], '{')
		for j, k := range v.keys {
			if j > 0 {
				line = append(line, ',')
			}
			line = append(line, '"')
			line = append(line, k...)
			line = append(line, '"', ':')
			if raw := rec[k]; raw != nil {
				line = append(line, raw...)
			} else {
				line = append(line, "null"...)
			}
		}
		line = append(line, '}', '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// str encodes s as a JSON string, leaving <, > and & as they are.
func str(s string) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// chineseTitles are plausible Chinese object titles, for bilingual rows.
var chineseTitles = []string{
	"青花缠枝莲纹碗", "粉彩花鸟纹瓶", "山水图轴", "青瓷刻花盘", "白玉雕螭龙纹杯",
	"铜鎏金观音坐像", "剔红山水人物盒", "掐丝珐琅缠枝莲纹香炉", "黄釉暗龙纹盘", "五彩鱼藻纹罐",
	"斗彩鸡缸杯", "霁蓝釉梅瓶", "哥窑贯耳瓶", "钧窑月白釉洗", "定窑白釉刻花碗",
	"龙泉窑青釉凤耳瓶", "磁州窑白地黑花枕", "三彩马", "青铜饕餮纹鼎", "玉琮",
	"竹雕笔筒", "犀角雕杯", "翡翠鼻烟壶", "宜兴紫砂壶", "花鸟图册页",
	"仕女图轴", "行书七言诗轴", "墨竹图卷", "寒江独钓图", "百子图挂屏",
	"象牙雕山水人物笔筒", "珐琅彩花卉纹碗", "红釉玉壶春瓶", "青花釉里红海水龙纹扁瓶", "德化窑白釉达摩立像",
}

// chineseDescriptions are plausible Chinese catalogue descriptions.
var chineseDescriptions = []string{
	"碗敞口，深腹，圈足。外壁青花绘缠枝莲纹，足内有青花双圈楷书款。",
	"瓶撇口，长颈，圆腹，圈足。通体粉彩绘花鸟，色彩柔和，画工精细。",
	"立轴，纸本设色，绘山水楼阁，远山近水，笔墨苍润。",
	"盘敞口，浅腹，内壁刻划花卉纹，釉色青翠莹润。",
	"杯以白玉雕成，外壁高浮雕螭龙，玉质温润，包浆自然。",
	"像结跏趺坐于莲座之上，面容慈祥，通体鎏金。",
	"盒盖面雕山水人物，漆色朱红，刀法圆熟，盒内髹黑漆。",
	"炉以铜胎掐丝珐琅制成，饰缠枝莲纹，双耳三足。",
}
