// Package oai is Wenyuan's OAI-PMH 2.0 provider: the six verbs over the
// store's harvesting service, with resumption tokens that carry a
// harvest's mark so that a harvest neither skips nor repeats a record
// while the catalogue changes (see wenyuan.HarvestService), persistent
// deleted records, sets per institution and per classification, and the
// metadata formats it is given (oai_dc is built in).
//
// The protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html
package oai

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"wenyuan"
)

// Names resolves the names of linked records (institutions, concepts,
// agents, places, periods) for metadata.
type Names func(kind wenyuan.Kind, id string) wenyuan.Names

// Format is a metadata format the provider disseminates.
type Format struct {
	Prefix    string // "oai_dc"
	Schema    string // the XML schema's URL
	Namespace string
	// Write writes an object's metadata element (one root element).
	Write func(w io.Writer, o *wenyuan.Object, names Names) error
}

// Provider answers OAI-PMH requests.
type Provider struct {
	Store wenyuan.HarvestService
	// Sets lists the institutions and classification concepts.
	Institutions func(ctx context.Context) ([]*wenyuan.Institution, error)
	Concepts     func(ctx context.Context) ([]*wenyuan.Concept, error)
	Names        Names
	// BaseURL is the provider's URL, as harvesters call it.
	BaseURL        string
	RepositoryName string
	AdminEmail     string
	// RepositoryID is the namespace of identifiers: oai:RepositoryID:id.
	RepositoryID string
	Formats      []Format
	// PageSize is the number of records or headers a page holds.
	PageSize int
	// TokenLife is how long a resumption token is good for.
	TokenLife time.Duration
	Now       func() time.Time
}

// Error codes of the protocol.
const (
	BadArgument             = "badArgument"
	BadResumptionToken      = "badResumptionToken"
	BadVerb                 = "badVerb"
	CannotDisseminateFormat = "cannotDisseminateFormat"
	IDDoesNotExist          = "idDoesNotExist"
	NoRecordsMatch          = "noRecordsMatch"
	NoMetadataFormats       = "noMetadataFormats"
	NoSetHierarchy          = "noSetHierarchy"
)

// protocolError is an OAI-PMH error answer.
type protocolError struct{ code, msg string }

func (e *protocolError) Error() string { return e.code + ": " + e.msg }

func errorf(code, format string, args ...any) error {
	return &protocolError{code, fmt.Sprintf(format, args...)}
}

// verbs and the arguments each takes: required, optional, exclusive.
var verbs = map[string]struct{ required, optional []string }{
	"Identify":            {},
	"ListMetadataFormats": {optional: []string{"identifier"}},
	"ListSets":            {optional: []string{"resumptionToken"}},
	"GetRecord":           {required: []string{"identifier", "metadataPrefix"}},
	"ListIdentifiers":     {required: []string{"metadataPrefix"}, optional: []string{"from", "until", "set", "resumptionToken"}},
	"ListRecords":         {required: []string{"metadataPrefix"}, optional: []string{"from", "until", "set", "resumptionToken"}},
}

const granularity = "2006-01-02T15:04:05Z"

// Serve answers the request with args (the query or the form body) and
// writes the response document to w. It returns an error only when the
// store fails; protocol errors are answers.
func (p *Provider) Serve(ctx context.Context, args url.Values, w io.Writer) error {
	b, body := getBuffer(), getBuffer()
	defer putBuffer(b)
	defer putBuffer(body)
	now := p.now()
	b.WriteString(xml.Header)
	b.WriteString(`<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">`)
	b.WriteString("<responseDate>" + now.Format(granularity) + "</responseDate>")
	verb, err := p.check(args)
	if err == nil {
		err = p.answer(ctx, verb, args, body)
	}
	var pe *protocolError
	switch {
	case err == nil:
	case asProtocol(err, &pe):
	default:
		return err
	}
	// The request element echoes the arguments, except when they are
	// what is wrong.
	b.WriteString("<request")
	if pe == nil || (pe.code != BadVerb && pe.code != BadArgument) {
		keys := make([]string, 0, len(args))
		for k := range args {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString(" " + k + `="`)
			xml.EscapeText(b, []byte(args.Get(k)))
			b.WriteString(`"`)
		}
	}
	b.WriteString(">")
	xml.EscapeText(b, []byte(p.BaseURL))
	b.WriteString("</request>")
	if pe != nil {
		b.WriteString(`<error code="` + pe.code + `">`)
		xml.EscapeText(b, []byte(pe.msg))
		b.WriteString("</error>")
	} else {
		b.Write(body.Bytes())
	}
	b.WriteString("</OAI-PMH>\n")
	_, err = w.Write(b.Bytes())
	return err
}

// buffers are reused across requests: a page of records is hundreds of
// kilobytes, and growing a new buffer to that for each page shows.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 8<<20 {
		return // an odd huge one: let it go
	}
	b.Reset()
	buffers.Put(b)
}

func asProtocol(err error, pe **protocolError) bool {
	e, ok := err.(*protocolError)
	if ok {
		*pe = e
	}
	return ok
}

func (p *Provider) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

// check validates the verb and its arguments.
func (p *Provider) check(args url.Values) (string, error) {
	vs := args["verb"]
	if len(vs) != 1 {
		if len(vs) == 0 {
			return "", errorf(BadVerb, "no verb: give one of Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords")
		}
		return "", errorf(BadVerb, "the verb is given %d times", len(vs))
	}
	verb := vs[0]
	spec, ok := verbs[verb]
	if !ok {
		return "", errorf(BadVerb, "%q is not a verb of OAI-PMH", verb)
	}
	allowed := map[string]bool{"verb": true}
	for _, a := range append(spec.required, spec.optional...) {
		allowed[a] = true
	}
	for k, v := range args {
		if !allowed[k] {
			return "", errorf(BadArgument, "%s is not an argument of %s", k, verb)
		}
		if len(v) > 1 {
			return "", errorf(BadArgument, "%s is given %d times", k, len(v))
		}
	}
	if args.Has("resumptionToken") {
		for k := range args {
			if k != "verb" && k != "resumptionToken" {
				return "", errorf(BadArgument, "resumptionToken is exclusive: %s may not come with it", k)
			}
		}
		return verb, nil
	}
	for _, a := range spec.required {
		if args.Get(a) == "" {
			return "", errorf(BadArgument, "%s needs the argument %s", verb, a)
		}
	}
	return verb, nil
}

func (p *Provider) answer(ctx context.Context, verb string, args url.Values, b *bytes.Buffer) error {
	switch verb {
	case "Identify":
		return p.identify(ctx, b)
	case "ListMetadataFormats":
		return p.listMetadataFormats(ctx, args.Get("identifier"), b)
	case "ListSets":
		return p.listSets(ctx, args, b)
	case "GetRecord":
		return p.getRecord(ctx, args, b)
	default:
		return p.list(ctx, verb, args, b)
	}
}

func text(b *bytes.Buffer, elem, s string) {
	b.WriteString("<" + elem + ">")
	xml.EscapeText(b, []byte(s))
	b.WriteString("</" + elem + ">")
}

func (p *Provider) identify(ctx context.Context, b *bytes.Buffer) error {
	early, err := p.Store.EarliestDatestamp(ctx)
	if err != nil {
		return err
	}
	b.WriteString("<Identify>")
	text(b, "repositoryName", p.RepositoryName)
	text(b, "baseURL", p.BaseURL)
	text(b, "protocolVersion", "2.0")
	text(b, "adminEmail", p.AdminEmail)
	text(b, "earliestDatestamp", early.UTC().Format(granularity))
	text(b, "deletedRecord", "persistent")
	text(b, "granularity", "YYYY-MM-DDThh:mm:ssZ")
	b.WriteString(`<description><oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">`)
	text(b, "scheme", "oai")
	text(b, "repositoryIdentifier", p.RepositoryID)
	text(b, "delimiter", ":")
	text(b, "sampleIdentifier", p.identifier("024zt6cbgkrv8r"))
	b.WriteString("</oai-identifier></description></Identify>")
	return nil
}

// identifier is an object's OAI identifier.
func (p *Provider) identifier(id string) string { return "oai:" + p.RepositoryID + ":" + id }

// objectID is the object id of an OAI identifier, or an idDoesNotExist.
func (p *Provider) objectID(identifier string) (string, error) {
	id, ok := strings.CutPrefix(identifier, "oai:"+p.RepositoryID+":")
	if !ok || !wenyuan.IsValidID(id) {
		return "", errorf(IDDoesNotExist, "%q is not an identifier of this repository (oai:%s:…)", identifier, p.RepositoryID)
	}
	return id, nil
}

func (p *Provider) format(prefix string) (*Format, error) {
	for i := range p.Formats {
		if p.Formats[i].Prefix == prefix {
			return &p.Formats[i], nil
		}
	}
	known := make([]string, len(p.Formats))
	for i, f := range p.Formats {
		known[i] = f.Prefix
	}
	return nil, errorf(CannotDisseminateFormat, "no metadata format %q; there are %s", prefix, strings.Join(known, ", "))
}

func (p *Provider) listMetadataFormats(ctx context.Context, identifier string, b *bytes.Buffer) error {
	if identifier != "" {
		id, err := p.objectID(identifier)
		if err != nil {
			return err
		}
		if _, err := p.Store.HarvestObject(ctx, id); err != nil {
			if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
				return errorf(IDDoesNotExist, "no record %s", identifier)
			}
			return err
		}
	}
	b.WriteString("<ListMetadataFormats>")
	for _, f := range p.Formats {
		b.WriteString("<metadataFormat>")
		text(b, "metadataPrefix", f.Prefix)
		text(b, "schema", f.Schema)
		text(b, "metadataNamespace", f.Namespace)
		b.WriteString("</metadataFormat>")
	}
	b.WriteString("</ListMetadataFormats>")
	return nil
}

// setName writes names as a set's name: Chinese / English.
func setName(ns wenyuan.Names, fallback string) string {
	zh, en := ns.In(wenyuan.LangHans), ns.In(wenyuan.LangEn)
	switch {
	case zh != "" && en != "" && zh != en:
		return zh + " / " + en
	case zh != "":
		return zh
	case en != "":
		return en
	}
	return fallback
}

func (p *Provider) listSets(ctx context.Context, args url.Values, b *bytes.Buffer) error {
	if args.Has("resumptionToken") {
		return errorf(BadResumptionToken, "the list of sets comes in one answer; it has no resumption tokens")
	}
	insts, err := p.Institutions(ctx)
	if err != nil {
		return err
	}
	concepts, err := p.Concepts(ctx)
	if err != nil {
		return err
	}
	set := func(spec, name string) {
		b.WriteString("<set>")
		text(b, "setSpec", spec)
		text(b, "setName", name)
		b.WriteString("</set>")
	}
	b.WriteString("<ListSets>")
	set("institution", "机构 / Institutions")
	for _, in := range insts {
		set("institution:"+in.ID, setName(in.Names, in.ID))
	}
	set("classification", "分类 / Classifications")
	for _, c := range concepts {
		if c.Scheme == wenyuan.SchemeClassification {
			set("classification:"+c.ID, setName(c.Names, c.ID))
		}
	}
	b.WriteString("</ListSets>")
	return nil
}

// setSpecs are the sets an object is in.
func setSpecs(o *wenyuan.Object) []string {
	if o == nil {
		return nil
	}
	out := []string{"institution:" + o.Institution}
	for _, c := range o.Classification {
		out = append(out, "classification:"+c)
	}
	return out
}

func (p *Provider) header(b *bytes.Buffer, it *wenyuan.HarvestItem) {
	if it.Deleted {
		b.WriteString(`<header status="deleted">`)
	} else {
		b.WriteString("<header>")
	}
	text(b, "identifier", p.identifier(it.ID))
	text(b, "datestamp", it.Datestamp.UTC().Format(granularity))
	for _, s := range setSpecs(it.Object) {
		text(b, "setSpec", s)
	}
	b.WriteString("</header>")
}

func (p *Provider) record(b *bytes.Buffer, it *wenyuan.HarvestItem, f *Format) error {
	b.WriteString("<record>")
	p.header(b, it)
	if !it.Deleted {
		b.WriteString("<metadata>")
		if err := f.Write(b, it.Object, p.Names); err != nil {
			return fmt.Errorf("write %s of %s: %w", f.Prefix, it.ID, err)
		}
		b.WriteString("</metadata>")
	}
	b.WriteString("</record>")
	return nil
}

func (p *Provider) getRecord(ctx context.Context, args url.Values, b *bytes.Buffer) error {
	f, err := p.format(args.Get("metadataPrefix"))
	if err != nil {
		return err
	}
	id, err := p.objectID(args.Get("identifier"))
	if err != nil {
		return err
	}
	it, err := p.Store.HarvestObject(ctx, id)
	if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
		return errorf(IDDoesNotExist, "no record %s", args.Get("identifier"))
	}
	if err != nil {
		return err
	}
	b.WriteString("<GetRecord>")
	if err := p.record(b, it, f); err != nil {
		return err
	}
	b.WriteString("</GetRecord>")
	return nil
}

// token is the state a resumption token carries: the request it
// continues and where the harvest is.
type token struct {
	Version int       `json:"v"`
	Prefix  string    `json:"p"`
	Set     string    `json:"s,omitempty"`
	From    string    `json:"f,omitempty"`
	Until   string    `json:"u,omitempty"`
	Seq     int64     `json:"ms"`
	Rev     int64     `json:"mr"`
	At      time.Time `json:"ma"`
	After   int64     `json:"a"`
	Cursor  int       `json:"c"`
	Size    int       `json:"n"`
}

func encodeToken(t token) string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (p *Provider) decodeToken(s string) (token, error) {
	var t token
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &t) != nil || t.Version != 1 || t.Prefix == "" || t.After < 0 || t.Cursor < 0 {
		return t, errorf(BadResumptionToken, "%q is not a resumption token of this repository", s)
	}
	if p.now().After(t.At.Add(p.tokenLife())) {
		return t, errorf(BadResumptionToken, "the resumption token has expired (a harvest has %s); start the harvest again", p.tokenLife())
	}
	return t, nil
}

func (p *Provider) tokenLife() time.Duration {
	if p.TokenLife > 0 {
		return p.TokenLife
	}
	return 24 * time.Hour
}

// parseDate reads a from or until argument; day granularity covers the
// day: from its start, until its end.
func parseDate(name, s string, end bool) (*time.Time, string, error) {
	if s == "" {
		return nil, "", nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			t = t.Add(24*time.Hour - time.Second)
		}
		return &t, "day", nil
	}
	if t, err := time.Parse(granularity, s); err == nil {
		return &t, "second", nil
	}
	return nil, "", errorf(BadArgument, "%s %q is not a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ)", name, s)
}

// filter makes the harvest filter of a list request.
func (p *Provider) filter(set, from, until string) (wenyuan.HarvestFilter, bool, error) {
	var f wenyuan.HarvestFilter
	var gf, gu string
	var err error
	if f.From, gf, err = parseDate("from", from, false); err != nil {
		return f, false, err
	}
	if f.Until, gu, err = parseDate("until", until, true); err != nil {
		return f, false, err
	}
	if gf != "" && gu != "" && gf != gu {
		return f, false, errorf(BadArgument, "from and until have different granularities")
	}
	if f.From != nil && f.Until != nil && f.From.After(*f.Until) {
		return f, false, errorf(BadArgument, "from %s is after until %s", from, until)
	}
	needClass := false
	switch {
	case set == "" || set == "institution":
	case set == "classification":
		needClass = true
	case strings.HasPrefix(set, "institution:"):
		f.Institution = strings.TrimPrefix(set, "institution:")
	case strings.HasPrefix(set, "classification:"):
		f.Classification = strings.TrimPrefix(set, "classification:")
	default:
		return f, false, errorf(NoRecordsMatch, "no set %q: ListSets lists them", set)
	}
	return f, needClass, nil
}

func (p *Provider) pageSize() int {
	if p.PageSize > 0 {
		return p.PageSize
	}
	return 500
}

func (p *Provider) list(ctx context.Context, verb string, args url.Values, b *bytes.Buffer) error {
	var t token
	var err error
	if s := args.Get("resumptionToken"); s != "" || args.Has("resumptionToken") {
		if t, err = p.decodeToken(s); err != nil {
			return err
		}
	} else {
		t = token{Version: 1, Prefix: args.Get("metadataPrefix"), Set: args.Get("set"), From: args.Get("from"), Until: args.Get("until")}
	}
	f, err := p.format(t.Prefix)
	if err != nil {
		return err
	}
	filter, needClass, err := p.filter(t.Set, t.From, t.Until)
	if err != nil {
		return err
	}
	if t.At.IsZero() {
		mark, err := p.Store.MarkHarvest(ctx)
		if err != nil {
			return err
		}
		t.Seq, t.Rev, t.At = mark.Seq, mark.Rev, mark.At
		filter.Mark = mark
		if t.Size, err = p.Store.CountHarvest(ctx, filter); err != nil {
			return err
		}
	}
	filter.Mark = wenyuan.HarvestMark{Seq: t.Seq, Rev: t.Rev, At: t.At}
	filter.After = t.After
	filter.Limit = p.pageSize() + 1
	// A page is filled from the store's pages, which may hold fewer
	// items than asked (what changed since the mark is checked after),
	// with one item more than it shows: then a page that ends the list
	// is known to, and no harvest ends on an empty page.
	size := p.pageSize()
	var items []wenyuan.HarvestItem
	for len(items) <= size {
		page, n, err := p.Store.Harvest(ctx, filter)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		for _, it := range page {
			if needClass && (it.Object == nil || len(it.Object.Classification) == 0) {
				continue
			}
			items = append(items, it)
		}
		filter.After = n
	}
	var next int64
	if len(items) > size {
		items = items[:size]
		next = items[size-1].Pos
	}
	if len(items) == 0 && t.Cursor == 0 {
		return errorf(NoRecordsMatch, "no records match")
	}
	if len(items) == 0 {
		// A list page holds at least one record: a token past the end is
		// not one this repository gave (or the last record went away).
		return errorf(BadResumptionToken, "the list has nothing after this resumption token")
	}
	b.WriteString("<" + verb + ">")
	for i := range items {
		if verb == "ListIdentifiers" {
			p.header(b, &items[i])
		} else if err := p.record(b, &items[i], f); err != nil {
			return err
		}
	}
	// The token: the next page's, or an empty one on the last page of a
	// list that had several.
	cursor := t.Cursor
	if next != 0 || t.Cursor > 0 {
		total := max(t.Size, t.Cursor+len(items))
		if next == 0 {
			total = t.Cursor + len(items) // the end: the size is known
		}
		b.WriteString(fmt.Sprintf(`<resumptionToken completeListSize="%d" cursor="%d"`, total, cursor))
		if next != 0 {
			nt := t
			nt.After, nt.Cursor, nt.Size = next, t.Cursor+len(items), total
			b.WriteString(` expirationDate="` + t.At.Add(p.tokenLife()).UTC().Format(granularity) + `">`)
			b.WriteString(encodeToken(nt))
		} else {
			b.WriteString(">")
		}
		b.WriteString("</resumptionToken>")
	}
	b.WriteString("</" + verb + ">")
	return nil
}
