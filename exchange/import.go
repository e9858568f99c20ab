package exchange

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"wenyuan"
	"wenyuan/dating"
)

// Options control one import.
type Options struct {
	// Institution owns the imported objects unless a row maps its own.
	Institution string
	// Mapping maps source fields; nil reads Wenyuan's own JSON Lines export.
	Mapping *Mapping
	// Format ("csv", "jsonl") and Encoding override the mapping's.
	Format, Encoding string
	// Partial imports the good rows of a file with rejected rows; by
	// default such a file imports nothing.
	Partial bool
	// RejectsPath, if set, receives every rejected row with its reason.
	RejectsPath string
	// Size is the input's size in bytes, for progress; 0 if unknown.
	Size int64
	// Progress, if set, is called about every ProgressEvery with the state.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// Progress is how far an import has come.
type Progress struct {
	Rows    int
	Bytes   int64
	Size    int64
	Elapsed time.Duration
}

// Reject is a row that was not imported, and why.
type Reject struct {
	Row    int    `json:"row"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	raw    []string
	json   json.RawMessage
}

func (r Reject) String() string {
	if r.Field != "" {
		return fmt.Sprintf("row %d, field %s: %s", r.Row, r.Field, r.Reason)
	}
	return fmt.Sprintf("row %d: %s", r.Row, r.Reason)
}

// Result tells what an import did.
type Result struct {
	Rows, Created, Updated, Unchanged int
	Rejects                           []Reject
	// Committed is false when nothing was written: rejects without
	// Partial, an error, or an interruption.
	Committed bool
	// DatesNotUnderstood counts date texts the parser could not read; their
	// text is kept as display text.
	DatesNotUnderstood int
	Elapsed            time.Duration
}

// ErrRejected is returned when rows were rejected and Partial is off.
var ErrRejected = errors.New("rows were rejected; nothing was imported")

var errRowRejected = errors.New("row rejected")

// linkReject turns a link that the batch found dangling at its end into a
// reject of the row that made it.
func linkReject(err error, rowOf map[string]int, res *Result) error {
	var le *wenyuan.LinkError
	if !errors.As(err, &le) {
		return err
	}
	res.Rejects = append(res.Rejects, Reject{Row: rowOf[le.ID], Field: le.Field, Reason: fmt.Sprintf("no %s with id %q in the store or the file", le.Target.Kind, le.Target.ID)})
	return ErrRejected
}

// ref is an authority name a row names, to resolve inside the batch.
type ref struct {
	field  string
	to     string
	kind   wenyuan.Kind
	scheme string
	lang   string
	name   string
	create bool
	index  int // position in the target list
}

// pending is a converted row on its way to the store.
type pending struct {
	row     *row
	obj     *wenyuan.Object
	refs    []ref
	partOf  string // accession number
	reject  *Reject
	periods []string // period ids from parsed dates, dropped if unknown
	// dateUnread is set when a date text was not understood.
	dateUnread bool
}

// Import reads rows from in and writes them to store in one batch.
func Import(ctx context.Context, store wenyuan.Store, in io.Reader, opts Options) (*Result, error) {
	start := time.Now()
	res := &Result{}
	if opts.Mapping == nil {
		return importNative(ctx, store, in, opts, res)
	}
	m := opts.Mapping
	if err := m.Validate(); err != nil {
		return res, err
	}
	if opts.Institution == "" && !mapsField(m, "institution") {
		return res, wenyuan.Errorf(wenyuan.EINVALID, "no institution: give --institution or map a field to institution")
	}
	if opts.Institution != "" {
		if _, err := store.FindRecord(ctx, wenyuan.KindInstitution, opts.Institution); err != nil {
			if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
				return res, wenyuan.Errorf(wenyuan.EINVALID, "no institution %q; create it first (wenyuan institutions add %s --name-en … --name-zh …)", opts.Institution, opts.Institution)
			}
			return res, err
		}
	}
	format := firstNonEmpty(opts.Format, m.Format)
	encoding := firstNonEmpty(opts.Encoding, m.Encoding)
	counter := &countingReader{r: in}
	r, err := decodeInput(counter, encoding)
	if err != nil {
		return res, err
	}
	var src source
	switch format {
	case "csv":
		cs, err := newCSVSource(r, m.Delimiter)
		if err != nil {
			return res, err
		}
		var v wenyuan.Validator
		for i, f := range m.Fields {
			if f.From != "" {
				if _, ok := cs.cols[f.From]; !ok {
					v.Addf(fmt.Sprintf("fields[%d].from", i), "column %q is not in the file's header (%s)", f.From, strings.Join(cs.hdr, ", "))
				}
			}
		}
		if err := v.Err("mapping for this file"); err != nil {
			return res, err
		}
		src = cs
	case "jsonl":
		src = &jsonlSource{r: bufioReader(r)}
	default:
		return res, wenyuan.Errorf(wenyuan.EINVALID, "unknown input format %q: give --format csv or jsonl", format)
	}

	var rows atomic.Int64
	stop := startProgress(opts, counter, &rows, start)
	defer stop()

	// The converter stops as soon as the batch ends, however it ends.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan *pending, 256)
	convErr := make(chan error, 1)
	go func() {
		defer close(ch)
		seen := map[string]int{}
		for {
			rw, ok := src.next()
			if !ok {
				convErr <- nil
				return
			}
			rows.Add(1)
			p := convert(m, opts.Institution, rw)
			if p.reject == nil {
				key := p.obj.Institution + "\x00" + p.obj.AccessionNumber
				if first, dup := seen[key]; dup {
					p.reject = &Reject{Row: rw.n, Field: "accession_number", Reason: fmt.Sprintf("accession number %q is also on row %d of this file", p.obj.AccessionNumber, first)}
				} else {
					seen[key] = rw.n
				}
			}
			if p.reject != nil {
				p.reject.raw, p.reject.json = rw.raw, rw.rawJSON
			}
			select {
			case ch <- p:
			case <-ctx.Done():
				convErr <- ctx.Err()
				return
			}
		}
	}()

	rowOf := map[string]int{} // record id → row, for links checked at the end
	err = store.Batch(ctx, func(b wenyuan.Batch) error {
		for p := range ch {
			res.Rows++
			if p.reject == nil {
				if opts.Partial {
					// A rejected row leaves nothing behind, not even the
					// authorities it would have created.
					var rej *Reject
					if err := b.Try(func() error {
						if rej = write(b, p, res); rej != nil {
							return errRowRejected
						}
						return nil
					}); err != nil && !errors.Is(err, errRowRejected) {
						return err
					}
					p.reject = rej
				} else {
					p.reject = write(b, p, res)
				}
			}
			if p.reject != nil {
				res.Rejects = append(res.Rejects, *p.reject)
			} else if p.obj.ID != "" {
				rowOf[p.obj.ID] = p.row.n
			}
		}
		if err := <-convErr; err != nil {
			return err
		}
		if res.Rows == 0 {
			return wenyuan.Errorf(wenyuan.EINVALID, "the input has no rows to import")
		}
		if len(res.Rejects) > 0 && !opts.Partial {
			return ErrRejected
		}
		return nil
	})
	cancel()
	for range ch { // let the converter see the cancellation and finish
	}
	err = linkReject(err, rowOf, res)
	res.Elapsed = time.Since(start)
	if err == nil {
		res.Committed = true
	} else {
		res.Created, res.Updated, res.Unchanged = 0, 0, 0
	}
	if werr := writeRejects(opts.RejectsPath, src.header(), res.Rejects); werr != nil && err == nil {
		err = fmt.Errorf("the import is done, but the rejected rows could not be written: %w", werr)
	}
	return res, err
}

func mapsField(m *Mapping, to string) bool {
	for _, f := range m.Fields {
		if f.To == to {
			return true
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// values returns a field's source values after ignore, split and trim.
func values(f *Field, rw *row) []string {
	var raw []string
	if f.From == "" {
		raw = []string{f.Value}
	} else {
		raw = rw.get(f.From)
	}
	// Paired lists keep their empty places, so that the second maker's
	// role stays the second maker's.
	paired := f.To == "makers.role" || f.To == "makers.qualifier"
	var out []string
	for _, v := range raw {
		parts := []string{v}
		if f.Split != "" {
			parts = splitEscaped(v, f.Split)
		}
		for _, p := range parts {
			p = unformula(strings.TrimSpace(p))
			if p == "" || ignored(f.Ignore, p) {
				if paired && f.Split != "" {
					out = append(out, "")
				}
				continue
			}
			if t, ok := f.Values[p]; ok {
				p = t
			} else if f.Otherwise != "" {
				p = f.Otherwise
			}
			out = append(out, p)
		}
	}
	return out
}

// splitEscaped splits s at sep, where a backslash before sep (or before a
// backslash) makes it part of the value: "Cup \| saucer | Bowl" is two.
func splitEscaped(s, sep string) []string {
	if !strings.Contains(s, `\`) {
		return strings.Split(s, sep)
	}
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\\' || strings.HasPrefix(s[i+1:], sep)):
			if s[i+1] == '\\' {
				b.WriteByte('\\')
				i += 2
			} else {
				b.WriteString(sep)
				i += 1 + len(sep)
			}
		case strings.HasPrefix(s[i:], sep):
			out = append(out, b.String())
			b.Reset()
			i += len(sep)
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return append(out, b.String())
}

// unformula undoes the apostrophe that spreadsheet-safe exports put before
// a value starting with = + - or @.
func unformula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

func ignored(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// convert turns a source row into an object, with authority names left to
// resolve. It needs no store, so it runs beside the writer.
func convert(m *Mapping, institution string, rw *row) *pending {
	p := &pending{row: rw, obj: &wenyuan.Object{Institution: institution}}
	if rw.err != nil {
		p.reject = &Reject{Row: rw.n, Field: rw.field, Reason: rw.err.Error()}
		return p
	}
	o := p.obj
	var roles, quals []string
	rej := func(f *Field, format string, args ...any) *pending {
		p.reject = &Reject{Row: rw.n, Field: fieldName(f), Reason: fmt.Sprintf(format, args...)}
		return p
	}
	for i := range m.Fields {
		f := &m.Fields[i]
		vals := values(f, rw)
		if len(vals) == 0 {
			continue
		}
		if f.Strict && len(f.Values) > 0 {
			for _, v := range vals {
				if !inValues(f.Values, v) {
					return rej(f, "%q is not one of the values the mapping lists", v)
				}
			}
		}
		lang := f.Lang
		one := strings.Join(vals, "; ")
		switch f.To {
		case "id":
			o.ID = one
		case "institution":
			o.Institution = one
		case "accession_number":
			o.AccessionNumber = one
		case "object_type":
			o.Type = one
		case "titles", "description", "provenance":
			if lang == "" {
				return rej(f, "the mapping gives no lang for this text")
			}
			for _, v := range vals {
				switch f.To {
				case "titles":
					o.Titles = o.Titles.Add(lang, v)
				case "description":
					o.Description = o.Description.Add(lang, v)
				case "provenance":
					o.Provenance = o.Provenance.Add(lang, v)
				}
			}
		case "object_name":
			o.ObjectName = one
		case "medium":
			o.Medium = one
		case "credit_line":
			o.CreditLine = one
		case "current_location":
			o.CurrentLocation = one
		case "rights":
			o.Rights = one
		case "visibility":
			o.Visibility = wenyuan.Visibility(one)
		case "part_of":
			p.partOf = one
		case "classification", "materials", "techniques", "production_places", "makers", "date.periods":
			if f.To == "date.periods" && f.Parse == "periods" {
				for _, v := range vals {
					p.periods = append(p.periods, dating.Parse(v).Periods...)
				}
				continue
			}
			for _, v := range vals {
				idx := appendTarget(o, f.To, v, f.Lookup != "", f.Role)
				if f.Lookup != "" {
					p.refs = append(p.refs, ref{field: fieldName(f), to: f.To, kind: lookupKind(f.To), scheme: schemeOf(f.To), lang: firstNonEmpty(lang, "und"), name: v, create: f.Lookup == "create", index: idx})
				} else if f.To != "makers" && !wenyuan.IsValidID(v) {
					return rej(f, "%q is not an id; add lookup: create (or existing) to find it by name", v)
				}
			}
		case "makers.role":
			roles = append(roles, vals...)
		case "makers.qualifier":
			quals = append(quals, vals...)
		case "date", "date.display":
			d := dateOf(o)
			d.Display = one
			if f.Parse == "date" {
				r := dating.Parse(one)
				if r.OK {
					e, l := r.Earliest, r.Latest
					d.Earliest, d.Latest = &e, &l
				} else {
					p.dateUnread = true
				}
				p.periods = append(p.periods, r.Periods...)
			}
		case "date.earliest", "date.latest":
			n, err := strconv.Atoi(one)
			if err != nil {
				return rej(f, "%q is not a year (a whole number, negative for BCE)", one)
			}
			d := dateOf(o)
			if f.To == "date.earliest" {
				d.Earliest = &n
			} else {
				d.Latest = &n
			}
		case "dimensions":
			for _, v := range vals {
				o.Dimensions = append(o.Dimensions, parseDimension(f.Type, v))
			}
		case "inscriptions":
			for _, v := range vals {
				o.Inscriptions = append(o.Inscriptions, wenyuan.Inscription{Type: firstNonEmpty(f.Type, "inscription"), Text: v, Lang: lang})
			}
		}
	}
	for i, r := range roles {
		if i < len(o.Makers) {
			o.Makers[i].Role = r
		}
	}
	for i, q := range quals {
		if i < len(o.Makers) {
			o.Makers[i].Qualifier = q
		}
	}
	o.Normalize()
	// Links are still names; validate the rest now, links in the batch.
	if err := validateUnlinked(o); err != nil {
		fe := wenyuan.ErrorFields(err)
		if len(fe) > 0 {
			p.reject = &Reject{Row: rw.n, Field: fe[0].Field, Reason: fe[0].Message}
			for _, e := range fe[1:] {
				p.reject.Reason += "; " + e.Field + ": " + e.Message
			}
		} else {
			p.reject = &Reject{Row: rw.n, Reason: err.Error()}
		}
	}
	return p
}

func inValues(m map[string]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	_, ok := m[v]
	return ok
}

func fieldName(f *Field) string {
	if f.From != "" {
		return f.From
	}
	return f.To
}

func dateOf(o *wenyuan.Object) *wenyuan.Dating {
	if o.Date == nil {
		o.Date = &wenyuan.Dating{}
	}
	return o.Date
}

// appendTarget adds a value to a list target and returns its index. Names
// to look up are placeholders until the batch resolves them.
func appendTarget(o *wenyuan.Object, to, v string, lookup bool, role string) int {
	id := v
	if lookup {
		// Placeholders differ so that Normalize keeps each in its place, and
		// are not ids, so no literal id can be taken for one.
		id = "?" + strconv.Itoa(len(o.Classification)+len(o.Materials)+len(o.Techniques)+len(o.Places)+len(o.Makers)+periodCount(o))
	}
	switch to {
	case "classification":
		o.Classification = append(o.Classification, id)
		return len(o.Classification) - 1
	case "materials":
		o.Materials = append(o.Materials, id)
		return len(o.Materials) - 1
	case "techniques":
		o.Techniques = append(o.Techniques, id)
		return len(o.Techniques) - 1
	case "production_places":
		o.Places = append(o.Places, id)
		return len(o.Places) - 1
	case "date.periods":
		d := dateOf(o)
		d.Periods = append(d.Periods, id)
		return len(d.Periods) - 1
	case "makers":
		mk := wenyuan.Maker{Name: v, Role: role}
		if lookup {
			mk = wenyuan.Maker{Agent: id, Role: role}
		}
		o.Makers = append(o.Makers, mk)
		return len(o.Makers) - 1
	}
	return -1
}

func periodCount(o *wenyuan.Object) int {
	if o.Date == nil {
		return 0
	}
	return len(o.Date.Periods)
}

// validateUnlinked validates o as it is before links are resolved. Lists
// that hold placeholders are checked in the batch.
func validateUnlinked(o *wenyuan.Object) error {
	c := *o
	c.Classification, c.Materials, c.Techniques, c.Places = nil, nil, nil, nil
	c.Makers = nil
	if o.Date != nil {
		d := *o.Date
		d.Periods = nil
		c.Date = &d
	}
	return c.Validate()
}

// write resolves a pending row's names and puts it in the batch.
func write(b wenyuan.Batch, p *pending, res *Result) *Reject {
	o := p.obj
	rj := func(field, format string, args ...any) *Reject {
		return &Reject{Row: p.row.n, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	// Resolve names; placeholders are replaced in order, then deduplicated.
	for _, r := range p.refs {
		id, err := b.ResolveName(r.kind, r.scheme, r.lang, r.name, r.create)
		if err != nil {
			if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
				return rj(r.field, "no %s named %q", r.kind, r.name)
			}
			return rj(r.field, "%s", wenyuan.ErrorMessage(err))
		}
		switch r.to {
		case "classification":
			o.Classification[r.index] = id
		case "materials":
			o.Materials[r.index] = id
		case "techniques":
			o.Techniques[r.index] = id
		case "production_places":
			o.Places[r.index] = id
		case "date.periods":
			o.Date.Periods[r.index] = id
		case "makers":
			o.Makers[r.index].Agent = id
		}
	}
	for _, id := range p.periods {
		if ok, err := b.Exists(wenyuan.KindPeriod, id); err != nil {
			return rj("date", "%v", err)
		} else if ok {
			d := dateOf(o)
			d.Periods = append(d.Periods, id)
		}
	}
	if p.dateUnread {
		res.DatesNotUnderstood++
	}
	if o.Date != nil {
		// A reign is within its dynasty: link the most specific periods.
		o.Date.Periods = dating.MostSpecific(o.Date.Periods)
	}
	if p.partOf != "" {
		id, err := b.ObjectID(o.Institution, p.partOf)
		if err != nil {
			return rj("part_of", "no object with accession number %q in %s (a parent must come earlier in the file or exist already)", p.partOf, o.Institution)
		}
		o.PartOf = id
	}
	o.Normalize()
	action, err := b.PutObject(o)
	if err != nil {
		fe := wenyuan.ErrorFields(err)
		if len(fe) > 0 {
			return rj(fe[0].Field, "%s", fe[0].Message)
		}
		if wenyuan.ErrorCode(err) == wenyuan.EINTERNAL {
			return rj("", "could not store the row: %v", err)
		}
		return rj("", "%s", wenyuan.ErrorMessage(err))
	}
	res.count(action)
	return nil
}

// count adds a row a batch put, by what the put did (Batch.PutObject's
// action: create, update, or "" for content already stored).
func (r *Result) count(action string) {
	switch action {
	case wenyuan.ActionCreate:
		r.Created++
	case wenyuan.ActionUpdate:
		r.Updated++
	default:
		r.Unchanged++
	}
}

// writeRejects writes the rejected rows: for CSV input as CSV with the
// reason first and the original columns after, for JSON Lines as one JSON
// object per line with the original record.
func writeRejects(path string, header []string, rejects []Reject) error {
	if path == "" {
		return nil
	}
	if len(rejects) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	defer f.Close()
	if header != nil {
		w := csv.NewWriter(f)
		w.Write(append([]string{"row", "field", "reason"}, header...))
		for _, r := range rejects {
			w.Write(append([]string{strconv.Itoa(r.Row), r.Field, r.Reason}, r.raw...))
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
	} else {
		enc := json.NewEncoder(f)
		enc.SetEscapeHTML(false)
		for _, r := range rejects {
			line := struct {
				Row    int             `json:"row"`
				Field  string          `json:"field,omitempty"`
				Reason string          `json:"reason"`
				Record json.RawMessage `json:"record,omitempty"`
			}{r.Row, r.Field, r.Reason, r.json}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
	}
	return f.Close()
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func startProgress(opts Options, c *countingReader, rows *atomic.Int64, start time.Time) func() {
	if opts.Progress == nil {
		return func() {}
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	report := func() {
		opts.Progress(Progress{Rows: int(rows.Load()), Bytes: c.n.Load(), Size: opts.Size, Elapsed: time.Since(start)})
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				report()
			case <-done:
				report()
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}
