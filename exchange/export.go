package exchange

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"wenyuan"
)

// Line is one line of Wenyuan's own JSON Lines format: a record and its
// kind. Version and times are left out, so an export of the same content
// is the same file.
type Line struct {
	Kind   wenyuan.Kind    `json:"kind"`
	Record json.RawMessage `json:"record"`
}

// each calls fn for every live record of kind, in the order of creation.
func each(ctx context.Context, s wenyuan.Store, kind wenyuan.Kind, fn func(wenyuan.Record) error) error {
	switch kind {
	case wenyuan.KindInstitution:
		insts, err := s.FindInstitutions(ctx)
		if err != nil {
			return err
		}
		for _, r := range insts {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	case wenyuan.KindObject, wenyuan.KindImage:
		cursor := ""
		for {
			objs, next, err := s.FindObjects(ctx, wenyuan.ObjectFilter{Cursor: cursor, Limit: 1000})
			if err != nil {
				return err
			}
			for _, o := range objs {
				if kind == wenyuan.KindObject {
					if err := fn(o); err != nil {
						return err
					}
					continue
				}
				// The metadata of images; their files are in the data
				// directory's images folder, named by their sha256.
				imgs, err := s.FindImages(ctx, o.ID)
				if err != nil {
					return err
				}
				for _, im := range imgs {
					if err := fn(im); err != nil {
						return err
					}
				}
			}
			if next == "" {
				return nil
			}
			cursor = next
		}
	}
	cursor := ""
	for {
		recs, next, err := s.FindAuthorities(ctx, kind, wenyuan.AuthorityFilter{Cursor: cursor, Limit: 1000})
		if err != nil {
			return err
		}
		for _, r := range recs {
			if err := fn(r); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// ExportJSONL writes every live record, authorities before the objects that
// point at them, one Line per line, all as of one moment.
func ExportJSONL(ctx context.Context, store wenyuan.Store, w io.Writer) error {
	return store.Snapshot(ctx, func(s wenyuan.Store) error { return exportJSONL(ctx, s, w) })
}

func exportJSONL(ctx context.Context, s wenyuan.Store, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	for _, kind := range wenyuan.Kinds {
		err := each(ctx, s, kind, func(r wenyuan.Record) error {
			m := r.RecordMeta()
			*m = wenyuan.Meta{}
			b, err := marshal(r)
			if err != nil {
				return err
			}
			line, err := marshal(Line{Kind: kind, Record: b})
			if err != nil {
				return err
			}
			bw.Write(line)
			return bw.WriteByte('\n')
		})
		if err != nil {
			return fmt.Errorf("export %s records: %w", kind, err)
		}
	}
	return bw.Flush()
}

func marshal(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// csvLangs are the languages the CSV export gives a column each.
var csvLangs = []string{wenyuan.LangHans, wenyuan.LangHant, wenyuan.LangEn, wenyuan.LangPinyin}

// CSVHeader is the header of the CSV export. The file imports back with
// the mapping in sample/wenyuan-csv.mapping.yaml.
func CSVHeader() []string {
	h := []string{"id", "institution", "accession_number", "object_type"}
	for _, l := range csvLangs {
		h = append(h, "title_"+l)
	}
	h = append(h, "object_name", "classification", "makers", "maker_roles", "maker_qualifiers",
		"date_display", "date_earliest", "date_latest", "date_periods", "production_places",
		"materials", "techniques", "medium", "dimensions", "inscriptions")
	for _, l := range csvLangs {
		h = append(h, "description_"+l)
	}
	for _, l := range csvLangs {
		h = append(h, "provenance_"+l)
	}
	return append(h, "credit_line", "current_location", "part_of", "rights", "visibility")
}

// CSVSeparator joins several values in one CSV cell.
const CSVSeparator = " | "

// ExportCSV writes every live object as one spreadsheet row, authorities
// by name, as of one moment. It is a view for people and spreadsheets:
// JSON Lines is the lossless format.
func ExportCSV(ctx context.Context, store wenyuan.Store, w io.Writer) error {
	return store.Snapshot(ctx, func(s wenyuan.Store) error { return exportCSV(ctx, s, w) })
}

func exportCSV(ctx context.Context, s wenyuan.Store, w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader())
	names := map[string]string{}
	name := func(kind wenyuan.Kind, id string) string {
		key := string(kind) + "/" + id
		if n, ok := names[key]; ok {
			return n
		}
		n := id
		if r, err := s.FindRecord(ctx, kind, id); err == nil {
			if ns := wenyuan.RecordNames(r); len(ns) > 0 {
				n = ns[0]
			}
		}
		names[key] = n
		return n
	}
	accs := map[string]string{}
	err := each(ctx, s, wenyuan.KindObject, func(r wenyuan.Record) error {
		o := r.(*wenyuan.Object)
		accs[o.ID] = o.AccessionNumber
		join := func(kind wenyuan.Kind, ids []string) string {
			var out []string
			for _, id := range ids {
				out = append(out, name(kind, id))
			}
			return joinCell(out)
		}
		var makers, roles, quals, dims, ins []string
		for _, m := range o.Makers {
			n := m.Name
			if m.Agent != "" {
				n = name(wenyuan.KindAgent, m.Agent)
			}
			makers, roles, quals = append(makers, n), append(roles, m.Role), append(quals, m.Qualifier)
		}
		for _, d := range o.Dimensions {
			t := d.Display
			if t == "" && d.Value != nil {
				t = strconv.FormatFloat(*d.Value, 'f', -1, 64) + " " + d.Unit
			}
			dims = append(dims, t)
		}
		for _, in := range o.Inscriptions {
			ins = append(ins, in.Text)
		}
		rec := []string{o.ID, o.Institution, o.AccessionNumber, o.Type}
		for _, l := range csvLangs {
			rec = append(rec, langJoin(o.Titles, l))
		}
		var disp, early, late, periods string
		if d := o.Date; d != nil {
			disp, periods = d.Display, joinCell(d.Periods)
			if d.Earliest != nil {
				early = strconv.Itoa(*d.Earliest)
			}
			if d.Latest != nil {
				late = strconv.Itoa(*d.Latest)
			}
		}
		rec = append(rec, o.ObjectName, join(wenyuan.KindConcept, o.Classification),
			joinCell(makers), trimJoin(roles), trimJoin(quals),
			disp, early, late, periods, join(wenyuan.KindPlace, o.Places),
			join(wenyuan.KindConcept, o.Materials), join(wenyuan.KindConcept, o.Techniques), o.Medium,
			joinCell(dims), joinCell(ins))
		for _, l := range csvLangs {
			rec = append(rec, langJoin(o.Description, l))
		}
		for _, l := range csvLangs {
			rec = append(rec, langJoin(o.Provenance, l))
		}
		partOf := ""
		if o.PartOf != "" {
			partOf = accs[o.PartOf]
			if partOf == "" {
				if p, err := s.FindRecord(ctx, wenyuan.KindObject, o.PartOf); err == nil {
					partOf = p.(*wenyuan.Object).AccessionNumber
				}
			}
		}
		rec = append(rec, o.CreditLine, o.CurrentLocation, partOf, o.Rights, string(o.Visibility))
		for i, c := range rec {
			rec[i] = noFormula(c)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return fmt.Errorf("export objects: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// joinCell puts several values in one cell, a backslash before any "|" or
// backslash inside a value.
func joinCell(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = cellEscaper.Replace(v)
	}
	return strings.Join(out, CSVSeparator)
}

var cellEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`)

// trimJoin joins paired values, keeping empty places but dropping trailing
// empties (roles of makers of which only the first has one).
func trimJoin(vs []string) string {
	for len(vs) > 0 && vs[len(vs)-1] == "" {
		vs = vs[:len(vs)-1]
	}
	return joinCell(vs)
}

func langJoin(t wenyuan.Text, lang string) string {
	var out []string
	for _, s := range t {
		if s.Lang == lang {
			out = append(out, s.Value)
		}
	}
	return joinCell(out)
}

// noFormula puts an apostrophe before a cell that a spreadsheet would run
// as a formula (= + - @ first); import takes it off again. Numbers such as
// -221 (221 BCE) stay as they are.
func noFormula(c string) string {
	if c == "" || strings.IndexByte("=+-@\t\r", c[0]) < 0 {
		return c
	}
	if _, err := strconv.ParseFloat(c, 64); err == nil {
		return c
	}
	return "'" + c
}
