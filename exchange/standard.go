package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"

	"wenyuan"
	"wenyuan/lido"
	"wenyuan/linkedart"
)

// Partners' exports in the field's standards load in too: LIDO XML (one
// lido:lido record, or a lido:lidoWrap of many) and Linked Art JSON-LD
// (one HumanMadeObject, a JSON array of them, or one per line). A
// reference to another system's classification, material, technique or
// period is looked up here by its name. Like the
// other imports, a file goes in whole or not at all: a record the reader
// cannot take, or the store refuses, is a reject that names its record and
// element, and then nothing is written unless Partial says so.

// StandardOptions control an import of LIDO or Linked Art.
type StandardOptions struct {
	// Format is "lido" or "linked-art".
	Format string
	// Institution, if set, owns every object (else each record's own,
	// which must be a Wenyuan institution URL under Base).
	Institution string
	// Base is the base URL of the Wenyuan that wrote the file, if one
	// did: references to its records become ids again. Other references
	// keep their names where a field takes names, and are reported.
	Base    string
	Partial bool
}

// Note is something a record had that the import could not keep.
type Note struct {
	Record  int
	Element string
	Reason  string
}

// StandardResult is what an import of LIDO or Linked Art did.
type StandardResult struct {
	Result
	Notes []Note
}

// maxStandardFile bounds the file an import reads into memory.
const maxStandardFile = 512 << 20

// parsed is one record read from a file.
type parsed struct {
	n   int // 1-based
	obj *wenyuan.Object
	err error
	// byName are references to another system's authorities, to find
	// here by their names.
	byName []nameRef
}

// nameRef is a reference the reader could not map by its URI, which the
// import looks up among Wenyuan's authorities by name.
type nameRef struct {
	note   Note
	field  string // "classification", "materials", "techniques", "date.periods"
	kind   wenyuan.Kind
	scheme string // for concepts; "material|technique" tries both
	name   string
}

// byNamePaths are the Linked Art paths (without their index) whose
// references are looked up by name, and the LIDO elements.
var byNamePaths = map[string]nameRef{
	"classified_as":         {field: "classification", kind: wenyuan.KindConcept, scheme: wenyuan.SchemeClassification},
	"made_of":               {field: "materials", kind: wenyuan.KindConcept, scheme: wenyuan.SchemeMaterial},
	"produced_by.technique": {field: "techniques", kind: wenyuan.KindConcept, scheme: wenyuan.SchemeTechnique},
	"produced_by.during":    {field: "date.periods", kind: wenyuan.KindPeriod},
	"lido:classificationWrap/lido:classification": {field: "classification", kind: wenyuan.KindConcept, scheme: wenyuan.SchemeClassification},
	"lido:periodName":   {field: "date.periods", kind: wenyuan.KindPeriod},
	"termMaterialsTech": {field: "materials|techniques", kind: wenyuan.KindConcept, scheme: "material|technique"},
}

var indexSuffix = regexp.MustCompile(`\[\d+\]`)

// refByName makes the name reference of a note, if its element is one
// looked up by name.
func refByName(n Note, name string) (nameRef, bool) {
	key := indexSuffix.ReplaceAllString(n.Element, "")
	if strings.HasSuffix(key, "/lido:termMaterialsTech") {
		key = "termMaterialsTech"
	}
	r, ok := byNamePaths[key]
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.Contains(name, "://") {
		return nameRef{}, false
	}
	r.note, r.name = n, name
	return r, true
}

// linkByName finds the references of p among the authorities by name and
// links those it finds; the others stay notes.
func linkByName(bt wenyuan.Batch, p parsed, res *StandardResult) error {
	o := p.obj
	for _, r := range p.byName {
		fields, schemes := strings.Split(r.field, "|"), strings.Split(r.scheme, "|")
		found := false
		for i, scheme := range schemes {
			id, err := bt.ResolveName(r.kind, scheme, "", r.name, false)
			if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
				continue
			}
			if err != nil {
				return err
			}
			field := fields[min(i, len(fields)-1)]
			switch field {
			case "classification":
				o.Classification = append(o.Classification, id)
			case "materials":
				o.Materials = append(o.Materials, id)
			case "techniques":
				o.Techniques = append(o.Techniques, id)
			case "date.periods":
				if o.Date == nil {
					o.Date = &wenyuan.Dating{}
				}
				o.Date.Periods = append(o.Date.Periods, id)
			}
			found = true
			break
		}
		if !found {
			n := r.note
			n.Reason = fmt.Sprintf("no %s here is named %q: %s", r.kind, r.name, n.Reason)
			res.Notes = append(res.Notes, n)
		}
	}
	return nil
}

// ImportStandard reads in (LIDO or Linked Art) and writes its objects.
func ImportStandard(ctx context.Context, store wenyuan.Store, in io.Reader, opts StandardOptions) (*StandardResult, error) {
	start := time.Now()
	res := &StandardResult{}
	b, err := io.ReadAll(io.LimitReader(in, maxStandardFile+1))
	if err != nil {
		return res, err
	}
	if len(b) > maxStandardFile {
		return res, wenyuan.Errorf(wenyuan.EINVALID, "the file is larger than %d MB; split it", maxStandardFile>>20)
	}
	var recs []parsed
	switch opts.Format {
	case "lido":
		recs, err = readLIDO(b, opts.Base, res)
	case "linked-art":
		recs, err = readLinkedArt(b, opts.Base, res)
	default:
		return res, wenyuan.Errorf(wenyuan.EINVALID, "format %q is not lido or linked-art", opts.Format)
	}
	if err != nil {
		return res, err
	}
	if len(recs) == 0 {
		return res, wenyuan.Errorf(wenyuan.EINVALID, "the file has no records to import")
	}
	if opts.Institution != "" {
		if _, err := store.FindRecord(ctx, wenyuan.KindInstitution, opts.Institution); err != nil {
			if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
				return res, wenyuan.Errorf(wenyuan.EINVALID, "no institution %q; create it first", opts.Institution)
			}
			return res, err
		}
	}
	rowOf := map[string]int{}
	err = store.Batch(ctx, func(bt wenyuan.Batch) error {
		for _, p := range recs {
			res.Rows++
			if p.err != nil {
				res.Rejects = append(res.Rejects, rejectOf(p.n, p.err))
				continue
			}
			o := p.obj
			if opts.Institution != "" {
				o.Institution = opts.Institution
			}
			if err := linkByName(bt, p, res); err != nil {
				return err
			}
			o.Normalize()
			put := func() error {
				action, err := bt.PutObject(o)
				if err != nil {
					return err
				}
				res.count(action)
				return nil
			}
			var err error
			if opts.Partial {
				err = bt.Try(put)
			} else {
				err = put()
			}
			if err != nil {
				if wenyuan.ErrorCode(err) == wenyuan.EINTERNAL {
					return err
				}
				res.Rejects = append(res.Rejects, rejectOf(p.n, err))
				continue
			}
			rowOf[o.ID] = p.n
		}
		if len(res.Rejects) > 0 && !opts.Partial {
			return ErrRejected
		}
		return nil
	})
	err = linkReject(err, rowOf, &res.Result)
	res.Elapsed = time.Since(start)
	if err == nil {
		res.Committed = true
	} else {
		res.Created, res.Updated, res.Unchanged = 0, 0, 0
	}
	return res, err
}

// rejectOf makes a reject of record n from its error, naming the field
// or element the error names.
func rejectOf(n int, err error) Reject {
	if fe := wenyuan.ErrorFields(err); len(fe) > 0 {
		return Reject{Row: n, Field: fe[0].Field, Reason: fe[0].Message}
	}
	return Reject{Row: n, Reason: wenyuan.ErrorMessage(err)}
}

var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']`)

// readLIDO splits a LIDO file into its records and reads each.
func readLIDO(b []byte, base string, res *StandardResult) ([]parsed, error) {
	// The records are cut out of the file by their offsets, so a file in
	// another encoding is made UTF-8 first.
	if m := xmlEncoding.FindSubmatchIndex(b); m != nil {
		label := strings.ToLower(string(b[m[2]:m[3]]))
		if label != "utf-8" && label != "utf8" {
			enc, err := htmlindex.Get(label)
			if err != nil {
				return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: the file's encoding %q is not one this import reads", label)
			}
			u, err := enc.NewDecoder().Bytes(b)
			if err != nil {
				return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: the file is not valid %s: %v", label, err)
			}
			u = bytes.Replace(u, []byte(string(b[m[2]:m[3]])), []byte("UTF-8"), 1)
			b = u
		}
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var root xml.StartElement
	var rootStart, rootEnd int64
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: malformed XML before the first element: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root, rootStart, rootEnd = se, off, d.InputOffset()
			break
		}
	}
	if root.Name.Space != lido.Namespace {
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: the root element is <%s> in namespace %q, want lido:lido or lido:lidoWrap", root.Name.Local, root.Name.Space)
	}
	var out []parsed
	read := func(n int, rec []byte) {
		o, warns, err := lido.Unmarshal(bytes.NewReader(rec), base)
		p := parsed{n: n, obj: o, err: err}
		for _, w := range warns {
			note := Note{Record: n, Element: w.Element, Reason: w.Reason + ": " + w.Value}
			if r, ok := refByName(note, w.Value); ok {
				p.byName = append(p.byName, r)
			} else {
				res.Notes = append(res.Notes, note)
			}
		}
		out = append(out, p)
	}
	switch root.Name.Local {
	case "lido":
		read(1, b)
		return out, nil
	case "lidoWrap":
	default:
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: the root element is lido:%s, want lido:lido or lido:lidoWrap", root.Name.Local)
	}
	// Each record in a wrap of its own, with the file's prolog and the
	// wrap's namespace declarations, as lido.Unmarshal reads them.
	open := b[:rootEnd]
	raw := string(b[rootStart:rootEnd])
	name := strings.FieldsFunc(strings.TrimPrefix(raw, "<"), func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '>' || r == '/' })[0]
	closing := []byte("</" + name + ">")
	n := 0
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: the file ends inside lido:lidoWrap")
		}
		if err != nil {
			return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: malformed XML after record %d: %v", n, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != lido.Namespace || t.Name.Local != "lido" {
				return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido:lidoWrap: <%s> after record %d is not a lido:lido record", t.Name.Local, n)
			}
			if err := d.Skip(); err != nil {
				return nil, wenyuan.Errorf(wenyuan.EINVALID, "lido: record %d: malformed XML: %v", n+1, err)
			}
			n++
			rec := make([]byte, 0, len(open)+int(d.InputOffset()-off)+len(closing))
			rec = append(append(append(rec, open...), b[off:d.InputOffset()]...), closing...)
			read(n, rec)
		case xml.EndElement:
			return out, nil
		}
	}
}

// readLinkedArt reads one Linked Art document, a JSON array of them, or
// a sequence of them (one per line).
func readLinkedArt(b []byte, base string, res *StandardResult) ([]parsed, error) {
	var docs []json.RawMessage
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &docs); err != nil {
			return nil, wenyuan.Errorf(wenyuan.EINVALID, "linked-art: the file is not a JSON array of documents: %v", err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		for dec.More() {
			var d json.RawMessage
			if err := dec.Decode(&d); err != nil {
				return nil, wenyuan.Errorf(wenyuan.EINVALID, "linked-art: document %d: malformed JSON at byte %d: %v", len(docs)+1, dec.InputOffset(), err)
			}
			docs = append(docs, d)
		}
	}
	c := &linkedart.Context{Base: base}
	out := make([]parsed, 0, len(docs))
	for i, d := range docs {
		o, unmapped, err := c.ReadObject(d)
		if err != nil {
			err = fmt.Errorf("linked-art document %d: %w", i+1, err)
		}
		p := parsed{n: i + 1, obj: o, err: err}
		for _, u := range unmapped {
			note := Note{Record: i + 1, Element: u.Path, Reason: strings.TrimSpace(u.Reason + ": " + u.Label + " " + u.ID)}
			if r, ok := refByName(note, u.Label); ok {
				p.byName = append(p.byName, r)
			} else {
				res.Notes = append(res.Notes, note)
			}
		}
		out = append(out, p)
	}
	return out, nil
}
