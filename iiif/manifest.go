package iiif

import (
	"strconv"
	"strings"

	"wenyuan"
)

// PresentationContext is the JSON-LD context of Presentation API 3.0.
const PresentationContext = "http://iiif.io/api/presentation/3/context.json"

// LangMap is a IIIF language map: BCP 47 tag → values; "none" for values
// of no language, such as accession numbers.
type LangMap map[string][]string

// Manifest is a Presentation API 3.0 manifest (or, with Type "Collection",
// a collection).
type Manifest struct {
	Context           string          `json:"@context,omitempty"`
	ID                string          `json:"id"`
	Type              string          `json:"type"`
	Label             LangMap         `json:"label"`
	Metadata          []MetadataEntry `json:"metadata,omitempty"`
	Summary           LangMap         `json:"summary,omitempty"`
	RequiredStatement *MetadataEntry  `json:"requiredStatement,omitempty"`
	Rights            string          `json:"rights,omitempty"`
	Provider          []Agent         `json:"provider,omitempty"`
	Thumbnail         []Resource      `json:"thumbnail,omitempty"`
	Homepage          []Resource      `json:"homepage,omitempty"`
	SeeAlso           []Resource      `json:"seeAlso,omitempty"`
	Items             []any           `json:"items"`
}

// MetadataEntry is one label/value pair.
type MetadataEntry struct {
	Label LangMap `json:"label"`
	Value LangMap `json:"value"`
}

// Agent is a provider.
type Agent struct {
	ID       string     `json:"id"`
	Type     string     `json:"type"`
	Label    LangMap    `json:"label"`
	Homepage []Resource `json:"homepage,omitempty"`
}

// Resource is an external resource: an image, a web page, a service.
type Resource struct {
	ID      string     `json:"id"`
	Type    string     `json:"type"`
	Label   LangMap    `json:"label,omitempty"`
	Format  string     `json:"format,omitempty"`
	Profile string     `json:"profile,omitempty"`
	Width   int        `json:"width,omitempty"`
	Height  int        `json:"height,omitempty"`
	Service []Resource `json:"service,omitempty"`
}

// Canvas is one image's page of a manifest.
type Canvas struct {
	ID        string           `json:"id"`
	Type      string           `json:"type"`
	Label     LangMap          `json:"label,omitempty"`
	Width     int              `json:"width"`
	Height    int              `json:"height"`
	Thumbnail []Resource       `json:"thumbnail,omitempty"`
	Items     []AnnotationPage `json:"items"`
}

// AnnotationPage holds a canvas's painting annotation.
type AnnotationPage struct {
	ID    string       `json:"id"`
	Type  string       `json:"type"`
	Items []Annotation `json:"items"`
}

// Annotation paints an image onto a canvas.
type Annotation struct {
	ID         string   `json:"id"`
	Type       string   `json:"type"`
	Motivation string   `json:"motivation"`
	Body       Resource `json:"body"`
	Target     string   `json:"target"`
}

// Names resolves an authority id to its names; nil if unknown.
type Names func(kind wenyuan.Kind, id string) wenyuan.Names

// ManifestOf returns the manifest of object o with its images, for a
// server at base ("https://host"). names resolves the authorities o links
// to; inst is o's institution.
func ManifestOf(base string, o *wenyuan.Object, inst *wenyuan.Institution, images []*wenyuan.Image, names Names) *Manifest {
	id := base + "/iiif/manifests/" + o.ID
	m := &Manifest{
		Context: PresentationContext, ID: id, Type: "Manifest",
		Label:   textMap(o.Titles),
		Summary: textMap(o.Description),
		Items:   []any{},
	}
	if len(m.Label) == 0 {
		m.Label = LangMap{"none": {o.AccessionNumber}}
	}
	meta := func(zh, en string, v LangMap) {
		if len(v) > 0 {
			m.Metadata = append(m.Metadata, MetadataEntry{Label: LangMap{wenyuan.LangHans: {zh}, wenyuan.LangEn: {en}}, Value: v})
		}
	}
	meta("藏品编号", "Accession number", LangMap{"none": {o.AccessionNumber}})
	if inst != nil {
		meta("收藏机构", "Institution", namesMap(inst.Names))
	}
	if o.ObjectName != "" {
		meta("名称", "Object name", LangMap{"none": {o.ObjectName}})
	}
	linked := func(kind wenyuan.Kind, ids []string) LangMap {
		out := LangMap{}
		for _, id := range ids {
			for k, v := range namesMap(names(kind, id)) {
				out[k] = append(out[k], v...)
			}
		}
		return out
	}
	meta("分类", "Classification", linked(wenyuan.KindConcept, o.Classification))
	var makers []string
	makerMap := LangMap{}
	for _, mk := range o.Makers {
		if mk.Agent != "" {
			for k, v := range namesMap(names(wenyuan.KindAgent, mk.Agent)) {
				makerMap[k] = append(makerMap[k], v...)
			}
		} else if mk.Name != "" {
			makers = append(makers, mk.Name)
		}
	}
	if len(makers) > 0 {
		makerMap["none"] = makers
	}
	meta("作者", "Maker", makerMap)
	if d := o.Date; d != nil {
		v := linked(wenyuan.KindPeriod, d.Periods)
		if d.Display != "" {
			v["none"] = append(v["none"], d.Display)
		}
		meta("年代", "Date", v)
	}
	meta("产地", "Place made", linked(wenyuan.KindPlace, o.Places))
	mat := linked(wenyuan.KindConcept, o.Materials)
	if o.Medium != "" {
		mat["none"] = append(mat["none"], o.Medium)
	}
	meta("材质", "Materials", mat)
	var dims []string
	for _, d := range o.Dimensions {
		switch {
		case d.Display != "":
			dims = append(dims, d.Display)
		case d.Value != nil:
			dims = append(dims, strings.TrimSpace(d.Type+" "+strconv.FormatFloat(*d.Value, 'f', -1, 64)+" "+d.Unit))
		}
	}
	if len(dims) > 0 {
		meta("尺寸", "Dimensions", LangMap{"none": dims})
	}
	var ins []string
	for _, in := range o.Inscriptions {
		if in.Text != "" {
			ins = append(ins, in.Text)
		}
	}
	if len(ins) > 0 {
		meta("题识", "Inscriptions", LangMap{"none": ins})
	}
	// Attribution: the credit line, else the institution's name.
	attr := LangMap{}
	if o.CreditLine != "" {
		attr["none"] = []string{o.CreditLine}
	} else if inst != nil {
		attr = namesMap(inst.Names)
	}
	if len(attr) > 0 {
		m.RequiredStatement = &MetadataEntry{Label: LangMap{wenyuan.LangHans: {"版权说明"}, wenyuan.LangEn: {"Attribution"}}, Value: attr}
	}
	m.Rights = RightsURI(o.Rights)
	if inst != nil {
		ag := Agent{ID: base + "/api/v1/institutions/" + inst.ID, Type: "Agent", Label: namesMap(inst.Names)}
		if inst.Homepage != "" {
			ag.Homepage = []Resource{{ID: inst.Homepage, Type: "Text", Label: namesMap(inst.Names), Format: "text/html"}}
		}
		m.Provider = []Agent{ag}
	}
	m.Homepage = []Resource{{ID: base + "/objects/" + o.ID, Type: "Text", Label: m.Label, Format: "text/html"}}
	m.SeeAlso = []Resource{{ID: base + "/api/v1/objects/" + o.ID, Type: "Dataset", Label: LangMap{wenyuan.LangEn: {"Wenyuan record"}, wenyuan.LangHans: {"文渊记录"}}, Format: "application/json"}}
	for i, im := range images {
		n := strconv.Itoa(i + 1)
		// By the image's id: the same canvas for every reader, whichever
		// other images they may see.
		cid := id + "/canvas/" + im.ID
		svc := []Resource{{ID: base + "/iiif/3/" + im.ID, Type: "ImageService3", Profile: "level2"}}
		c := Canvas{ID: cid, Type: "Canvas", Width: im.Width, Height: im.Height, Label: textMap(im.Caption)}
		if len(c.Label) == 0 {
			c.Label = LangMap{"none": {n}}
		}
		thumb := Thumbnail(base, im)
		c.Thumbnail = []Resource{thumb}
		c.Items = []AnnotationPage{{ID: cid + "/page", Type: "AnnotationPage", Items: []Annotation{{
			ID: cid + "/page/painting", Type: "Annotation", Motivation: "painting", Target: cid,
			Body: Resource{ID: base + "/iiif/3/" + im.ID + "/full/max/0/default.jpg", Type: "Image", Format: "image/jpeg",
				Width: im.Width, Height: im.Height, Service: svc},
		}}}}
		m.Items = append(m.Items, c)
		if i == 0 {
			m.Thumbnail = []Resource{thumb}
		}
	}
	return m
}

// Thumbnail returns a thumbnail of an image: at most 400 pixels wide.
func Thumbnail(base string, im *wenyuan.Image) Resource {
	w, h := im.Width, im.Height
	if w > 400 {
		w, h = 400, max(1, (im.Height*400+im.Width/2)/im.Width)
	}
	return Resource{ID: base + "/iiif/3/" + im.ID + "/full/" + strconv.Itoa(w) + "," + strconv.Itoa(h) + "/0/default.jpg",
		Type: "Image", Format: "image/jpeg", Width: w, Height: h,
		Service: []Resource{{ID: base + "/iiif/3/" + im.ID, Type: "ImageService3", Profile: "level2"}}}
}

// CollectionOf returns the collection of an institution's imaged objects.
func CollectionOf(base string, inst *wenyuan.Institution, objects []*wenyuan.Object) *Manifest {
	c := &Manifest{Context: PresentationContext, ID: base + "/iiif/collections/" + inst.ID, Type: "Collection",
		Label: namesMap(inst.Names), Items: []any{}}
	if len(c.Label) == 0 {
		c.Label = LangMap{"none": {inst.ID}}
	}
	for _, o := range objects {
		l := textMap(o.Titles)
		if len(l) == 0 {
			l = LangMap{"none": {o.AccessionNumber}}
		}
		c.Items = append(c.Items, Resource{ID: base + "/iiif/manifests/" + o.ID, Type: "Manifest", Label: l})
	}
	return c
}

// RightsURI returns rights as IIIF accepts it as rights, a Creative
// Commons licence or RightsStatements.org statement URI in its canonical
// http form (as those vocabularies define their URIs; §3.3.2 of the
// Presentation API), or "" if it is not one.
func RightsURI(rights string) string {
	r := strings.TrimSpace(rights)
	if strings.ContainsAny(r, " \t\n") {
		return ""
	}
	r = strings.Replace(r, "https://", "http://", 1)
	for _, p := range []string{"http://creativecommons.org/licenses/", "http://creativecommons.org/publicdomain/", "http://rightsstatements.org/vocab/"} {
		if strings.HasPrefix(r, p) {
			return r
		}
	}
	return ""
}

func textMap(t wenyuan.Text) LangMap {
	m := LangMap{}
	for _, s := range t {
		if s.Value == "" {
			continue
		}
		k := s.Lang
		if k == "" {
			k = "none"
		}
		m[k] = append(m[k], s.Value)
	}
	return m
}

func namesMap(ns wenyuan.Names) LangMap {
	t := make(wenyuan.Text, len(ns))
	for i, n := range ns {
		t[i] = wenyuan.LangString{Lang: n.Lang, Value: n.Value}
	}
	return textMap(t)
}
