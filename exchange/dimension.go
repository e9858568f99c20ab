package exchange

import (
	"regexp"
	"strconv"

	"wenyuan"
)

// parseDimension keeps a dimension's text and, when the text is a single
// measurement ("28.5 cm", "高133厘米"), its number and unit too.
func parseDimension(typ, text string) wenyuan.Dimension {
	d := wenyuan.Dimension{Type: typ, Display: text}
	m := dimRe.FindStringSubmatch(text)
	if m == nil {
		return d
	}
	v, err := strconv.ParseFloat(m[2], 64)
	if err != nil {
		return d
	}
	unit := units[m[3]]
	if d.Type == "" {
		d.Type = dimTypes[m[1]]
	}
	d.Value, d.Unit = &v, unit
	return d
}

var dimRe = regexp.MustCompile(`^\s*(高|长|宽|径|口径|底径|厚|纵|横|重)?\s*([0-9]+(?:\.[0-9]+)?)\s*(cm|mm|m|kg|g|厘米|毫米|米|公斤|千克|克)\s*$`)

var units = map[string]string{"cm": "cm", "mm": "mm", "m": "m", "kg": "kg", "g": "g", "厘米": "cm", "毫米": "mm", "米": "m", "公斤": "kg", "千克": "kg", "克": "g"}

var dimTypes = map[string]string{"高": "height", "长": "length", "宽": "width", "径": "diameter", "口径": "diameter", "底径": "base diameter", "厚": "depth", "纵": "height", "横": "width", "重": "weight"}
