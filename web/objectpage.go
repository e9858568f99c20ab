package web

import (
	"io/fs"
	"net/http"
	"path"
	"strconv"

	"wenyuan"
	"wenyuan/iiif"
)

// objectView is what an object's page shows: every field of the record in
// the page's language (falling back to the other), its images in a
// deep-zoom viewer, related objects and how to cite it.
type objectView struct {
	frame
	Object      *wenyuan.Object
	Heading     string
	TitleLang   string
	OtherTitles []wenyuan.LangString
	Institution valueView
	Fields      []fieldView
	Images      []imageView
	Related     []objectCard
	Citation    string
	Manifest    string // URL of the IIIF manifest, if there are images
	URL         string // the record's stable URL
	APIURL      string
	CanEdit     bool
}

// fieldView is one labelled field of a record page.
type fieldView struct {
	Key    string // message key of the label
	Values []valueView
}

// valueView is one value: text in a language, maybe a link, maybe a note.
type valueView struct {
	Text, Lang string
	Href       string
	Note       string
}

type imageView struct {
	ID                   string
	Info                 string // info.json
	Thumb                string
	Width, Height        int
	Caption, CaptionLang string
	Photographer, Rights string
}

func (s *Server) handleObjectPage(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.visibleRecord(r, wenyuan.KindObject, r.PathValue("id"))
	if err != nil {
		return err
	}
	o := rec.(*wenyuan.Object)
	if wantsLinkedArt(r) {
		return s.writeLinkedArt(w, r, o)
	}
	f := s.newFrame(r, "")
	base := s.baseURL(r)
	v := objectView{Object: o, URL: base + "/objects/" + o.ID, APIURL: "/api/v1/objects/" + o.ID}
	v.CanEdit = wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionWrite, wenyuan.TargetOf(o))
	if t := f.Pick(o.Titles); t != nil {
		v.Heading, v.TitleLang = t.Value, t.Lang
	}
	for _, t := range o.Titles {
		if t.Value != v.Heading {
			v.OtherTitles = append(v.OtherTitles, t)
		}
	}
	f.Title = v.Heading
	n := s.namer(r)
	v.Institution = linkTo(f, wenyuan.KindInstitution, o.Institution, n.of(wenyuan.KindInstitution, o.Institution))
	field := func(key string, vals ...valueView) {
		var keep []valueView
		for _, x := range vals {
			if x.Text != "" {
				keep = append(keep, x)
			}
		}
		if len(keep) > 0 {
			v.Fields = append(v.Fields, fieldView{Key: key, Values: keep})
		}
	}
	linked := func(kind wenyuan.Kind, ids []string) []valueView {
		var out []valueView
		for _, id := range ids {
			out = append(out, linkTo(f, kind, id, n.of(kind, id)))
		}
		return out
	}
	field("field.accession_number", valueView{Text: o.AccessionNumber})
	if o.Type != "" && o.Type != wenyuan.ObjectTangible {
		field("field.object_type", valueView{Text: f.Term("object_type", o.Type)})
	}
	field("field.object_name", valueView{Text: o.ObjectName})
	field("field.classification", linked(wenyuan.KindConcept, o.Classification)...)
	var makers []valueView
	for _, m := range o.Makers {
		mv := valueView{Text: m.Name}
		if m.Agent != "" {
			mv = linkTo(f, wenyuan.KindAgent, m.Agent, n.of(wenyuan.KindAgent, m.Agent))
			if m.Name != "" && m.Name != mv.Text {
				mv.Note = m.Name
			}
		}
		mv.Note = joinNonEmpty(" · ", mv.Note, m.Qualifier, m.Role)
		makers = append(makers, mv)
	}
	field("field.makers", makers...)
	if d := o.Date; d != nil {
		vals := []valueView{{Text: d.Display}}
		vals = append(vals, linked(wenyuan.KindPeriod, d.Periods)...)
		switch {
		case d.Earliest != nil && d.Latest != nil && *d.Earliest == *d.Latest:
			vals = append(vals, valueView{Text: f.Year(*d.Earliest)})
		case d.Earliest != nil && d.Latest != nil:
			vals = append(vals, valueView{Text: f.Year(*d.Earliest) + "–" + f.Year(*d.Latest)})
		}
		field("field.date", vals...)
	}
	field("field.places", linked(wenyuan.KindPlace, o.Places)...)
	field("field.materials", append(linked(wenyuan.KindConcept, o.Materials), valueView{Text: o.Medium})...)
	field("field.techniques", linked(wenyuan.KindConcept, o.Techniques)...)
	var dims []valueView
	for _, d := range o.Dimensions {
		switch {
		case d.Display != "":
			dims = append(dims, valueView{Text: d.Display})
		case d.Value != nil:
			dims = append(dims, valueView{Text: joinNonEmpty(" ", f.Term("dimension", d.Type), strconv.FormatFloat(*d.Value, 'f', -1, 64), d.Unit)})
		}
	}
	field("field.dimensions", dims...)
	var ins []valueView
	for _, in := range o.Inscriptions {
		ins = append(ins, valueView{Text: in.Text, Lang: in.Lang, Note: joinNonEmpty(" · ", f.Term("inscription", in.Type), in.Position, in.Translation)})
	}
	field("field.inscriptions", ins...)
	field("field.description", textValue(f, o.Description))
	field("field.provenance", textValue(f, o.Provenance))
	field("field.current_location", valueView{Text: o.CurrentLocation})
	field("field.credit_line", valueView{Text: o.CreditLine})
	field("field.rights", valueView{Text: o.Rights})
	if p := wenyuan.PrincipalFrom(r.Context()); p.IsSignedIn() {
		field("field.visibility", valueView{Text: f.Term("visibility", string(o.Visibility))})
	}
	// Related objects: the whole it is part of and the objects it names,
	// as far as the visitor may see them.
	var related []*wenyuan.Object
	ids := []string{o.PartOf}
	for _, rel := range o.Related {
		ids = append(ids, rel.Object)
	}
	for _, id := range ids {
		if id == "" {
			continue
		}
		ro, err := s.readableObject(r, id)
		if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		related = append(related, ro)
	}
	if v.Related, err = s.cards(r, f, n, related); err != nil {
		return err
	}
	imgs, err := s.readableImages(r, o.ID)
	if err != nil {
		return err
	}
	for _, im := range imgs {
		iv := imageView{ID: im.ID, Info: "/iiif/3/" + im.ID + "/info.json", Width: im.Width, Height: im.Height,
			Thumb: iiif.Thumbnail("", im).ID, Photographer: im.Photographer, Rights: im.Rights}
		if c := f.Pick(im.Caption); c != nil {
			iv.Caption, iv.CaptionLang = c.Value, c.Lang
		}
		v.Images = append(v.Images, iv)
	}
	if len(imgs) > 0 {
		v.Manifest = "/iiif/manifests/" + o.ID
	}
	v.Citation = f.T("object.citation", v.Institution.Text, v.Heading, o.AccessionNumber)
	v.frame = f
	return render(w, "object.html", v)
}

// vendorTypes are the files of front-end packages the pages may load.
var vendorTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}

// handleVendor serves the front-end packages that ./run builds into the
// binary from the npm lock file (web/viewer): the deep-zoom viewer.
func (s *Server) handleVendor(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	ct := vendorTypes[path.Ext(name)]
	if !fs.ValidPath(name) || ct == "" {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no file %s", name)
	}
	b, err := staticFS.ReadFile("static/vendor/" + name)
	if err != nil {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "no file %s (./run builds the front-end packages into the binary)", name)
	}
	return s.writeAsset(w, r, "static/vendor/"+name, ct, b, "86400")
}

// handleObjectByAccession redirects an institution's accession number to
// the object's stable URL, also a number the object had before it was
// corrected: /objects/by-accession/palace-museum/故-瓷-0042. The redirect
// is temporary, as a number may later be given to another object.
func (s *Server) handleObjectByAccession(w http.ResponseWriter, r *http.Request) error {
	inst, acc := r.PathValue("institution"), r.PathValue("accession")
	// As the store keeps them: trimmed, full-width digits and letters folded.
	norm := &wenyuan.Object{AccessionNumber: acc}
	norm.Normalize()
	acc = norm.AccessionNumber
	id, err := s.Store.FindObjectIDByAccession(r.Context(), inst, acc)
	if err != nil {
		return err
	}
	if _, err := s.readableObject(r, id); err != nil {
		if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
			return wenyuan.Errorf(wenyuan.ENOTFOUND, "no object of %s has or had the accession number %q", inst, acc)
		}
		return err
	}
	target := "/objects/" + id
	if q := r.URL.RawQuery; q != "" {
		target += "?" + q
	}
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}
