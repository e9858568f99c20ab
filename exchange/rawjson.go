package exchange

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// A JSON Lines record is read once by json.Valid, then walked in place:
// a mapping reads a handful of its fields, and decoding all of them into
// maps costs more than the rest of an import. These functions assume
// valid JSON.

// field is one member of a JSON object: its key and its value, both raw
// (the key quoted). Keys are compared in place, not unquoted into new
// strings: every row repeats them.
type field struct {
	key []byte
	val []byte
}

// is says whether the member's key is k.
func (f field) is(k string) bool { return keyIs(f.key, k) }

// name is the member's key, unquoted.
func (f field) name() string { return unquote(f.key) }

// keyIs says whether the raw JSON string raw is k.
func keyIs(raw []byte, k string) bool {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1:len(raw)-1]) == k
	}
	return unquote(raw) == k
}

// members lists the members of the JSON object raw.
func members(raw []byte, out []field) []field {
	for f, i, ok := firstMember(raw); ok; f, i, ok = nextMember(raw, i) {
		out = append(out, f)
	}
	return out
}

// member returns the value of the first member named key of the JSON
// object raw, walking it without allocating.
func member(raw []byte, key string) ([]byte, bool) {
	for f, i, ok := firstMember(raw); ok; f, i, ok = nextMember(raw, i) {
		if f.is(key) {
			return f.val, true
		}
	}
	return nil, false
}

// firstMember returns the first member of the JSON object raw and where
// the rest start; false if raw is no object or an empty one.
func firstMember(raw []byte) (field, int, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return field{}, i, false
	}
	return nextMember(raw, i+1)
}

// nextMember returns the member of a JSON object that starts at raw[i:]
// (after spaces and a comma) and where the next one starts; false at the
// object's end.
func nextMember(raw []byte, i int) (field, int, bool) {
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == '}' {
			return field{}, i, false
		}
		if raw[i] != ',' {
			break
		}
		i++
	}
	end := skipString(raw, i)
	key := raw[i:end]
	i = skipSpace(raw, end)
	i++ // ':'
	i = skipSpace(raw, i)
	vend := skipValue(raw, i)
	return field{key, raw[i:vend]}, vend, true
}

// elements lists the elements of the JSON array raw.
func elements(raw []byte) [][]byte {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil
	}
	var out [][]byte
	i++
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == ']' {
			return out
		}
		if raw[i] == ',' {
			i++
			continue
		}
		end := skipValue(raw, i)
		out = append(out, raw[i:end])
		i = end
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
		i++
	}
	return i
}

// unquote returns the text of the JSON string raw.
func unquote(raw []byte) string {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	json.Unmarshal(raw, &s)
	return s
}

// scalar returns the text of a JSON string, number or boolean, and false
// for null, objects and arrays.
func scalar(raw []byte) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	switch c := raw[0]; {
	case c == '"':
		return unquote(raw), true
	case c == 'n', c == '{', c == '[':
		return "", false
	}
	return string(raw), true
}

// lookupFields returns the values at a dotted path in a record whose top
// level is top: "Title", "MuseumLocation.DisplayCurrentLocation",
// "Creators[].ConcatDisplayName" (every element of an array),
// "Images[0].ID". An array of strings at the end gives each string.
func lookupFields(top []field, path string) []string {
	var cur [][]byte
	for n, rest := 0, path; ; n++ {
		part, after, more := strings.Cut(rest, ".")
		key, idx, all := part, -1, false
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			key = part[:i]
			if inner := part[i+1 : len(part)-1]; inner == "" {
				all = true
			} else if k, err := strconv.Atoi(inner); err == nil {
				idx = k
			}
		}
		var vals [][]byte
		if n == 0 {
			for _, f := range top {
				if f.is(key) {
					vals = append(vals, f.val)
					break
				}
			}
		} else {
			for _, c := range cur {
				if v, ok := member(c, key); ok {
					vals = append(vals, v)
				}
			}
		}
		cur = cur[:0]
		for _, v := range vals {
			switch {
			case all:
				cur = append(cur, elements(v)...)
			case idx >= 0:
				if es := elements(v); idx < len(es) {
					cur = append(cur, es[idx])
				}
			default:
				cur = append(cur, v)
			}
		}
		if !more {
			break
		}
		rest = after
	}
	var out []string
	for _, c := range cur {
		if s, ok := scalar(c); ok {
			out = append(out, s)
		} else if len(c) > 0 && c[0] == '[' {
			for _, e := range elements(c) {
				if s, ok := scalar(e); ok && e[0] == '"' {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
