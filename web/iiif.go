package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"mime"
	"net/http"
	"strings"
	"sync"

	"wenyuan"
	"wenyuan/iiif"
)

// The IIIF Image API 3.0 routes: /iiif/3/{id}/info.json and
// /iiif/3/{id}/{region}/{size}/{rotation}/{quality}.{format}. An image is
// served to those who may read both it and its object, as every other read.

// baseURL returns the scheme and host of the absolute URLs that IIIF
// documents carry: the configured public URL, else the one the client used.
func (s *Server) baseURL(r *http.Request) string {
	if s.PublicURL != "" {
		return s.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// imageOf returns the image id names, decoded, if the request's principal
// may read it and its object; one it may not is not found. public says
// both are public: the answer is the same for everyone.
func (s *Server) imageOf(r *http.Request, id string) (im *wenyuan.Image, public bool, err error) {
	raw, err := s.Store.FindRawRecord(r.Context(), wenyuan.KindImage, id)
	if err != nil {
		return nil, false, err
	}
	if t := targetOfRaw(raw); !wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionRead, t) {
		return nil, false, s.notVisible(r.Context(), r, t, id)
	}
	if im, err = s.decodedImage(raw); err != nil {
		return nil, false, err
	}
	obj, err := s.objectVisible(r, wenyuan.KindImage, id, im.Object)
	if err != nil {
		return nil, false, err
	}
	return im, im.Visibility == wenyuan.VisibilityPublic && obj.Visibility == wenyuan.VisibilityPublic, nil
}

// decodedImage decodes an image record, keeping the last few hundred
// decoded by id and version: a viewer asks for dozens of tiles of one
// image a second, and each asks for the record.
func (s *Server) decodedImage(raw *wenyuan.RawRecord) (*wenyuan.Image, error) {
	s.imagesMu.Lock()
	if im, ok := s.images[raw.ID]; ok && im.Version == raw.Meta.Version {
		s.imagesMu.Unlock()
		return im, nil
	}
	s.imagesMu.Unlock()
	rec, err := raw.Decode()
	if err != nil {
		return nil, err
	}
	im := rec.(*wenyuan.Image)
	s.imagesMu.Lock()
	if s.images == nil || len(s.images) >= 1024 {
		s.images = map[string]*wenyuan.Image{}
	}
	s.images[raw.ID] = im
	s.imagesMu.Unlock()
	return im, nil
}

// imageCache is what decodedImage keeps, and the built IIIF documents
// (manifests, collections; safe for concurrent use on its own).
type imageCache struct {
	imagesMu sync.Mutex
	images   map[string]*wenyuan.Image
	docCache *iiif.Cache
}

// objectVisible returns the object an image is of if the principal may
// read it: hiding an object hides its images.
func (s *Server) objectVisible(r *http.Request, kind wenyuan.Kind, id, object string) (*wenyuan.RawRecord, error) {
	o, err := s.Store.FindRawRecord(r.Context(), wenyuan.KindObject, object)
	if err != nil && wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
		return nil, err
	}
	if o == nil || !wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionRead, targetOfRaw(o)) {
		return nil, s.notVisible(r.Context(), r, wenyuan.Target{Kind: kind}, id)
	}
	return o, nil
}

func (s *Server) imageService() (*iiif.Service, error) {
	if s.Images == nil {
		return nil, wenyuan.Errorf(wenyuan.EUNAVAILABLE, "images are not served by this server")
	}
	return s.Images, nil
}

func (s *Server) handleImageBase(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.imageOf(r, r.PathValue("id")); err != nil {
		return err
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	http.Redirect(w, r, "/iiif/3/"+r.PathValue("id")+"/info.json", http.StatusSeeOther)
	return nil
}

func (s *Server) handleImageInfo(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.imageService()
	if err != nil {
		return err
	}
	im, public, err := s.imageOf(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	info, err := svc.Info(iiif.Source{SHA256: im.SHA256, Width: im.Width, Height: im.Height}, s.baseURL(r)+"/iiif/3/"+im.ID)
	if err != nil {
		return err
	}
	info.Rights = iiif.RightsURI(im.Rights)
	b, err := json.Marshal(info)
	if err != nil {
		return err
	}
	h := w.Header()
	imageHeaders(h, public)
	// JSON-LD for those who ask for it (§5.1); plain JSON otherwise.
	ct := "application/json"
	if acceptsJSONLD(r) {
		ct = `application/ld+json;profile="` + iiif.ImageContext + `"`
	}
	h.Set("Content-Type", ct)
	h.Set("Link", `<http://iiif.io/api/image/3/level2.json>;rel="profile"`)
	tag := iiif.ETag(im.SHA256, fmt.Sprintf("info/%d/%s/%s", im.Version, info.Rights, info.ID))
	h.Set("ETag", tag)
	if match(r, tag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func acceptsJSONLD(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "application/ld+json" {
			return true
		}
	}
	return false
}

func match(r *http.Request, tag string) bool {
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimSpace(t); t == tag || t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// imageHeaders sets what every image response carries: CORS for viewers
// on any site, and caching by who may see the image.
func imageHeaders(h http.Header, public bool) {
	h.Set("Access-Control-Allow-Origin", "*")
	if public {
		// The same for everyone; an image can be withdrawn from view, so
		// shared caches keep it an hour only.
		h.Set("Cache-Control", "public, max-age=3600")
		h.Del("Vary")
	} else {
		h.Set("Cache-Control", "private, max-age=3600")
	}
}

func (s *Server) handleImage(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.imageService()
	if err != nil {
		return err
	}
	req, err := iiif.ParseRequest(r.PathValue("region"), r.PathValue("size"), r.PathValue("rotation"), r.PathValue("file"))
	if err != nil {
		return iiifError(err)
	}
	im, public, err := s.imageOf(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	src := iiif.Source{SHA256: im.SHA256, Width: im.Width, Height: im.Height}
	job, err := svc.Prepare(src, req)
	if err != nil {
		return iiifError(err)
	}
	canonical := job.Canonical
	h := w.Header()
	imageHeaders(h, public)
	tag := iiif.ETag(im.SHA256, canonical)
	h.Set("ETag", tag)
	h.Set("Link", `<`+s.baseURL(r)+"/iiif/3/"+im.ID+"/"+canonical+`>;rel="canonical", <http://iiif.io/api/image/3/level2.json>;rel="profile"`)
	// A client that has the image gets its 304 before anything is computed.
	if match(r, tag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	res, err := svc.Render(r.Context(), job)
	if err != nil {
		return iiifError(err)
	}
	defer res.Release()
	h.Set("Content-Type", res.ContentType)
	h.Set("Content-Length", fmt.Sprint(len(res.Body)))
	_, err = w.Write(res.Body)
	return err
}

// iiifError turns a parameter error into a problem naming the parameter:
// 400 for a bad one, 501 for one this server does not do.
func iiifError(err error) error {
	var pe *iiif.ParamError
	if !errors.As(err, &pe) {
		return err
	}
	code := wenyuan.EINVALID
	if pe.Status == http.StatusNotImplemented {
		code = "not_implemented"
	}
	return &wenyuan.Error{Code: code, Message: pe.Msg, Fields: []wenyuan.FieldError{{Field: pe.Param, Message: pe.Msg}}}
}

// iiifJSON writes a IIIF document and sets its Content-Type: JSON-LD with its
// context as profile for those who ask for it, plain JSON otherwise.
func iiifJSON(w http.ResponseWriter, r *http.Request, context string, body []byte) error {
	ct := "application/json"
	if acceptsJSONLD(r) {
		ct = `application/ld+json;profile="` + context + `"`
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Access-Control-Allow-Origin", "*")
	h64 := fnv.New64a()
	h64.Write(body)
	tag := fmt.Sprintf(`"%x"`, h64.Sum64())
	h.Set("ETag", tag)
	if match(r, tag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err := w.Write(body)
	return err
}

// readableImages returns the images of object o that the request's
// principal may read.
func (s *Server) readableImages(r *http.Request, object string) ([]*wenyuan.Image, error) {
	imgs, err := s.Store.FindImages(r.Context(), object)
	if err != nil {
		return nil, err
	}
	p := wenyuan.PrincipalFrom(r.Context())
	out := imgs[:0]
	for _, im := range imgs {
		if wenyuan.Can(p, wenyuan.ActionRead, wenyuan.TargetOf(im)) {
			out = append(out, im)
		}
	}
	return out, nil
}

// names resolves authority ids for documents built from records.
func (s *Server) names(r *http.Request) iiif.Names {
	return func(kind wenyuan.Kind, id string) wenyuan.Names {
		rec, err := s.Store.FindRecord(r.Context(), kind, id)
		if err != nil {
			return nil
		}
		return wenyuan.AuthorityNames(rec)
	}
}

// handleManifest serves an object's IIIF Presentation 3.0 manifest. It is
// built from the records each time it is not in the cache; the cache key
// holds the store's revision, so any write anywhere (the object, its
// images, an authority it names) makes a new one.
func (s *Server) handleManifest(w http.ResponseWriter, r *http.Request) error {
	raw, err := s.visible(r, wenyuan.KindObject, r.PathValue("id"))
	if err != nil {
		return err
	}
	imgs, err := s.readableImages(r, raw.ID)
	if err != nil {
		return err
	}
	if len(imgs) == 0 {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "object %s has no images", raw.ID)
	}
	rev, err := s.Store.LastRev(r.Context())
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	var key strings.Builder
	fmt.Fprintf(&key, "m/%s/%d/%s", base, rev, raw.ID)
	for _, im := range imgs {
		key.WriteString("/" + im.ID)
	}
	if b, ok := s.docCache.Get(key.String()); ok {
		return iiifJSON(w, r, iiif.PresentationContext, b)
	}
	rec, err := raw.Decode()
	if err != nil {
		return err
	}
	o := rec.(*wenyuan.Object)
	var inst *wenyuan.Institution
	if ir, err := s.Store.FindRecord(r.Context(), wenyuan.KindInstitution, o.Institution); err == nil {
		inst = ir.(*wenyuan.Institution)
	}
	b, err := json.Marshal(iiif.ManifestOf(base, o, inst, imgs, s.names(r)))
	if err != nil {
		return err
	}
	b = append(b, '\n')
	s.docCache.Put(key.String(), b)
	return iiifJSON(w, r, iiif.PresentationContext, b)
}

// handleCollection serves an institution's IIIF collection: a manifest
// for each of its objects with images the principal may see.
func (s *Server) handleCollection(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.Store.FindRecord(r.Context(), wenyuan.KindInstitution, r.PathValue("institution"))
	if err != nil {
		return err
	}
	inst := rec.(*wenyuan.Institution)
	objs, err := s.Store.FindImagedObjects(r.Context(), inst.ID, wenyuan.ReadScopeOf(wenyuan.PrincipalFrom(r.Context())))
	if err != nil {
		return err
	}
	b, err := json.Marshal(iiif.CollectionOf(s.baseURL(r), inst, objs))
	if err != nil {
		return err
	}
	return iiifJSON(w, r, iiif.PresentationContext, append(b, '\n'))
}
