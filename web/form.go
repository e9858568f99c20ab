package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"wenyuan"
)

// The console's forms name each input by the JSON path of the field it
// edits, as the validation errors name them: "titles[0].value",
// "date.earliest", "materials[2]". formJSON turns a submitted form into
// the record's JSON, so that a form is decoded and validated exactly as
// the API's body is, and each error lands beside its input.

// formPath is one step of a field path: a name, or an index.
type formStep struct {
	name  string
	index int // -1 for a name
}

var stepRE = regexp.MustCompile(`^([a-z_]+)((?:\[\d{1,4}\])*)$`)

// parsePath splits "makers[1].agent" into makers, 1, agent.
func parsePath(p string) ([]formStep, bool) {
	var out []formStep
	for _, part := range strings.Split(p, ".") {
		m := stepRE.FindStringSubmatch(part)
		if m == nil {
			// A language as a key: "description.zh-Hans" is not used; a
			// path is names and indices only.
			return nil, false
		}
		out = append(out, formStep{name: m[1], index: -1})
		for _, ix := range strings.Split(strings.Trim(m[2], "[]"), "][") {
			if ix == "" {
				continue
			}
			n, _ := strconv.Atoi(ix)
			out = append(out, formStep{index: n})
		}
	}
	return out, len(out) > 0
}

// formSpec says how a form's fields become JSON.
type formSpec struct {
	// Numbers are the paths (indices written []) whose values are numbers.
	Numbers map[string]bool
	// Choices are the leaf names that are picked from a list (a language,
	// a unit) and so do not make a repeated row worth keeping alone.
	Choices map[string]bool
	// Skip are form fields that are not the record's (the CSRF token).
	Skip map[string]bool
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// genericPath writes a path's indices as [].
func genericPath(p string) string { return indexRE.ReplaceAllString(p, "[]") }

// formJSON builds the JSON of a record from form values. Repeated rows
// left empty are dropped and the rest renumbered in order; errors (a
// number that is not one) are named by the renumbered path, as the form
// is shown again from the result. raw keeps the text of fields that could
// not be converted, by renumbered path, to show them again as typed.
func formJSON(form url.Values, spec formSpec) (tree map[string]any, errs []wenyuan.FieldError, raw map[string]string) {
	root := map[string]any{}
	// In a fixed order, rows before names, so that a form that names a
	// field both ways always keeps the same one.
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return strings.ReplaceAll(keys[i], "[", "\x01") < strings.ReplaceAll(keys[j], "[", "\x01")
	})
	for _, key := range keys {
		vals := form[key]
		if spec.Skip[key] || len(vals) == 0 {
			continue
		}
		steps, ok := parsePath(key)
		if !ok || !put(root, steps, strings.TrimSpace(vals[len(vals)-1])) {
			errs = append(errs, wenyuan.FieldError{Field: key, Message: "is not a field of this form"})
		}
	}
	raw = map[string]string{}
	tree, _ = compact(root, "", spec, &errs, raw).(map[string]any)
	if tree == nil {
		tree = map[string]any{}
	}
	return tree, errs, raw
}

// walkLeaves calls fn with the path and value of every string leaf of
// tree, and replaces the leaf with what fn returns.
func walkLeaves(v any, path string, fn func(path, value string) string) any {
	switch c := v.(type) {
	case string:
		return fn(path, c)
	case map[string]any:
		for k, x := range c {
			p := k
			if path != "" {
				p = path + "." + k
			}
			c[k] = walkLeaves(x, p, fn)
		}
	case []any:
		for i, x := range c {
			c[i] = walkLeaves(x, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	}
	return v
}

// formState is a record as a form shows it: each field's value by path,
// how many rows each repeated group has, and the errors by path.
type formState struct {
	flat map[string]string
	rows map[string]int
	errs fieldErrors
}

// newFormState flattens a record's JSON; raw overrides values that could
// not be converted, to show them as typed.
func newFormState(rec any, errs []wenyuan.FieldError, raw map[string]string) (formState, error) {
	st := formState{flat: map[string]string{}, rows: map[string]int{}, errs: newFieldErrors(errs)}
	b, err := json.Marshal(rec)
	if err != nil {
		return st, err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return st, err
	}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch c := v.(type) {
		case map[string]any:
			for k, x := range c {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(x, p)
			}
		case []any:
			st.rows[path] = len(c)
			for i, x := range c {
				walk(x, fmt.Sprintf("%s[%d]", path, i))
			}
		case string:
			st.flat[path] = c
		case float64:
			st.flat[path] = strconv.FormatFloat(c, 'f', -1, 64)
		case bool:
			st.flat[path] = strconv.FormatBool(c)
		}
	}
	walk(v, "")
	for k, x := range raw {
		st.flat[k] = x
	}
	return st, nil
}

// V is the value of the field at path.
func (st formState) V(path string) string { return st.flat[path] }

// Rows are the row indices of a repeated group: those it has and extra
// empty ones to fill in (at least one row in all).
func (st formState) Rows(group string, extra int) []int {
	n := st.rows[group] + extra
	if n == 0 {
		n = 1
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// Err is the error of the field at path, if any.
func (st formState) Err(path string) string { return st.errs[path] }

// Errs are all the errors, for the summary at the top of the form.
func (st formState) Errs() fieldErrors { return st.errs }

// put stores value at steps below node, which is a map (names) or a
// map[int]any (indices); false if the path crosses what another put
// made (a name where rows are, a value where fields are).
func put(node map[string]any, steps []formStep, value string) bool {
	var cur any = node
	for i, st := range steps {
		last := i == len(steps)-1
		next := func() any {
			if last {
				return value
			}
			if steps[i+1].index >= 0 {
				return map[int]any{}
			}
			return map[string]any{}
		}
		switch c := cur.(type) {
		case map[string]any:
			if st.index >= 0 {
				return false
			}
			if x, ok := c[st.name]; ok && (last || sameShape(x, next()) == false) {
				return false
			} else if !ok {
				c[st.name] = next()
			}
			cur = c[st.name]
		case map[int]any:
			if st.index < 0 {
				return false
			}
			if x, ok := c[st.index]; ok && (last || !sameShape(x, next())) {
				return false
			} else if !ok {
				c[st.index] = next()
			}
			cur = c[st.index]
		default:
			return false
		}
	}
	return true
}

// sameShape reports whether a and b are both values, both rows or both
// fields.
func sameShape(a, b any) bool {
	switch a.(type) {
	case string:
		_, ok := b.(string)
		return ok
	case map[int]any:
		_, ok := b.(map[int]any)
		return ok
	case map[string]any:
		_, ok := b.(map[string]any)
		return ok
	}
	return false
}

// compact turns the built tree into JSON values: rows sorted by index
// with the empty ones dropped, empty strings left out, numbers converted.
func compact(v any, path string, spec formSpec, errs *[]wenyuan.FieldError, raw map[string]string) any {
	switch c := v.(type) {
	case string:
		if c == "" {
			return nil
		}
		if spec.Numbers[genericPath(path)] {
			if n, err := strconv.Atoi(c); err == nil {
				return n
			}
			f, err := strconv.ParseFloat(c, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				*errs = append(*errs, wenyuan.FieldError{Field: path, Message: fmt.Sprintf("%q is not a number", c)})
				raw[path] = c
				return nil
			}
			return f
		}
		return c
	case map[string]any:
		out := map[string]any{}
		for k, x := range c {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if y := compact(x, p, spec, errs, raw); y != nil {
				out[k] = y
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case map[int]any:
		idx := make([]int, 0, len(c))
		for i := range c {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		var out []any
		for _, i := range idx {
			if rowEmpty(c[i], spec) {
				continue
			}
			if y := compact(c[i], fmt.Sprintf("%s[%d]", path, len(out)), spec, errs, raw); y != nil {
				out = append(out, y)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return nil
}

// rowEmpty reports whether a repeated row holds nothing but choices.
func rowEmpty(v any, spec formSpec) bool {
	switch c := v.(type) {
	case string:
		return c == ""
	case map[string]any:
		for k, x := range c {
			if _, ok := x.(string); ok && spec.Choices[k] {
				continue
			}
			if !rowEmpty(x, spec) {
				return false
			}
		}
		return true
	case map[int]any:
		for _, x := range c {
			if !rowEmpty(x, spec) {
				return false
			}
		}
		return true
	}
	return true
}

// fieldErrors indexes errors by field path for the form's template.
type fieldErrors map[string]string

func newFieldErrors(errs []wenyuan.FieldError) fieldErrors {
	out := fieldErrors{}
	for _, e := range errs {
		if prev, ok := out[e.Field]; ok {
			out[e.Field] = prev + "; " + e.Message
		} else {
			out[e.Field] = e.Message
		}
	}
	return out
}

// valuesOf are the values the record has at every path of a generic one
// ("makers[].qualifier").
func (st formState) valuesOf(generic string) []string {
	var out []string
	for k, v := range st.flat {
		if v != "" && genericPath(k) == generic {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// withValues adds to a select's options the values the record has at
// generic that the list lacks, so that saving a form unchanged keeps
// them (a unit or a type an import or the API wrote).
func withValues(opts []option, st formState, generic ...string) []option {
	have := map[string]bool{}
	for _, o := range opts {
		have[o.Value] = true
	}
	for _, g := range generic {
		for _, v := range st.valuesOf(g) {
			if !have[v] {
				have[v] = true
				opts = append(opts, option{v, v})
			}
		}
	}
	return opts
}
