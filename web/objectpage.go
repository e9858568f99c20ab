package web

import (
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"

	"wenyuan"
	"wenyuan/iiif"
)

// objectView is what an object's page shows: every field of the record in
// Chinese and English where it has both, its images in a deep-zoom viewer,
// and how to cite it.
type objectView struct {
	Object      *wenyuan.Object
	Title       string
	TitleLang   string
	OtherTitles []wenyuan.LangString
	Institution pair
	Fields      []fieldView
	Images      []imageView
	Manifest    string // URL of the IIIF manifest, if there are images
	URL         string // the record's stable URL
	APIURL      string
}

// pair is a value in Chinese and in English (either may be empty).
type pair struct{ Zh, En string }

type fieldView struct {
	Label  pair
	Values []pair
}

type imageView struct {
	ID            string
	Info          string // info.json
	Thumb         string
	Width, Height int
	Caption       string
	Credit        string
}

func names2pair(ns wenyuan.Names) pair {
	p := pair{Zh: ns.In(wenyuan.LangHans), En: ns.In(wenyuan.LangEn)}
	if p.En == p.Zh {
		p.En = ""
	}
	return p
}

func (s *Server) handleObjectPage(w http.ResponseWriter, r *http.Request) error {
	raw, err := s.visible(r, wenyuan.KindObject, r.PathValue("id"))
	if err != nil {
		return err
	}
	rec, err := raw.Decode()
	if err != nil {
		return err
	}
	o := rec.(*wenyuan.Object)
	base := s.baseURL(r)
	v := objectView{Object: o, URL: base + "/objects/" + o.ID, APIURL: "/api/v1/objects/" + o.ID}
	if t := o.Titles.Pick(wenyuan.LangHans); t != nil {
		v.Title, v.TitleLang = t.Value, t.Lang
	}
	for _, t := range o.Titles {
		if t.Value != v.Title {
			v.OtherTitles = append(v.OtherTitles, t)
		}
	}
	names := s.names(r)
	v.Institution = names2pair(names(wenyuan.KindInstitution, o.Institution))
	field := func(zh, en string, vals ...pair) {
		var keep []pair
		for _, p := range vals {
			if p.Zh != "" || p.En != "" {
				keep = append(keep, p)
			}
		}
		if len(keep) > 0 {
			v.Fields = append(v.Fields, fieldView{Label: pair{zh, en}, Values: keep})
		}
	}
	linked := func(kind wenyuan.Kind, ids []string) []pair {
		var out []pair
		for _, id := range ids {
			out = append(out, names2pair(names(kind, id)))
		}
		return out
	}
	field("藏品编号", "Accession number", pair{Zh: o.AccessionNumber})
	field("名称", "Object name", pair{Zh: o.ObjectName})
	field("分类", "Classification", linked(wenyuan.KindConcept, o.Classification)...)
	var makers []pair
	for _, m := range o.Makers {
		p := pair{Zh: m.Name}
		if m.Agent != "" {
			p = names2pair(names(wenyuan.KindAgent, m.Agent))
		}
		if extra := strings.TrimSpace(m.Qualifier + " " + m.Role); extra != "" {
			p.En = strings.TrimSpace(p.En + " (" + extra + ")")
		}
		makers = append(makers, p)
	}
	field("作者", "Makers", makers...)
	if d := o.Date; d != nil {
		vals := []pair{{Zh: d.Display}}
		vals = append(vals, linked(wenyuan.KindPeriod, d.Periods)...)
		if d.Earliest != nil && d.Latest != nil {
			vals = append(vals, pair{Zh: yearText(*d.Earliest) + "–" + yearText(*d.Latest)})
		}
		field("年代", "Date", vals...)
	}
	field("产地", "Place made", linked(wenyuan.KindPlace, o.Places)...)
	field("材质", "Materials", append(linked(wenyuan.KindConcept, o.Materials), pair{Zh: o.Medium})...)
	field("工艺", "Techniques", linked(wenyuan.KindConcept, o.Techniques)...)
	var dims []pair
	for _, d := range o.Dimensions {
		switch {
		case d.Display != "":
			dims = append(dims, pair{Zh: d.Display})
		case d.Value != nil:
			dims = append(dims, pair{Zh: strings.TrimSpace(d.Type + " " + strconv.FormatFloat(*d.Value, 'f', -1, 64) + " " + d.Unit)})
		}
	}
	field("尺寸", "Dimensions", dims...)
	var ins []pair
	for _, in := range o.Inscriptions {
		ins = append(ins, pair{Zh: strings.TrimSpace(in.Type + " " + in.Text), En: in.Translation})
	}
	field("题识", "Inscriptions", ins...)
	field("描述", "Description", pair{Zh: o.Description.In(wenyuan.LangHans), En: otherLang(o.Description)})
	field("来源", "Provenance", pair{Zh: o.Provenance.In(wenyuan.LangHans), En: otherLang(o.Provenance)})
	field("现藏", "Location", pair{Zh: o.CurrentLocation})
	field("致谢", "Credit line", pair{Zh: o.CreditLine})
	field("版权", "Rights", pair{Zh: o.Rights})
	imgs, err := s.readableImages(r, o.ID)
	if err != nil {
		return err
	}
	for _, im := range imgs {
		iv := imageView{ID: im.ID, Info: "/iiif/3/" + im.ID + "/info.json", Width: im.Width, Height: im.Height,
			Thumb: iiif.Thumbnail("", im).ID, Caption: im.Caption.In(wenyuan.LangHans)}
		var credit []string
		if im.Photographer != "" {
			credit = append(credit, "摄影 Photo: "+im.Photographer)
		}
		if im.Rights != "" {
			credit = append(credit, im.Rights)
		}
		iv.Credit = strings.Join(credit, " · ")
		v.Images = append(v.Images, iv)
	}
	if len(imgs) > 0 {
		v.Manifest = "/iiif/manifests/" + o.ID
	}
	return render(w, "object.html", v)
}

// otherLang returns t in English if it differs from its Chinese.
func otherLang(t wenyuan.Text) string {
	en := t.In(wenyuan.LangEn)
	if en == t.In(wenyuan.LangHans) {
		return ""
	}
	return en
}

// yearText writes a year for people: negative years are BCE.
func yearText(y int) string {
	if y < 0 {
		return "前" + strconv.Itoa(-y)
	}
	return strconv.Itoa(y)
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
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Del("Vary")
	_, err = w.Write(b)
	return err
}
