package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"wenyuan"
	"wenyuan/search"
)

// objectCard is an object in a list: its title in the page's language, its
// date, institution and accession number, and a thumbnail if it has a
// readable image.
type objectCard struct {
	ID, Title, TitleLang string
	Date                 string
	Institution          string
	Accession            string
	Thumb                string
}

// namer looks up authority names for one request, each at most once, and
// through the server's name cache.
type namer struct {
	names func(wenyuan.Kind, string) wenyuan.Names
	seen  map[string]wenyuan.Names
	cache *nameCache
	rev   int64
}

// nameCache keeps the names of authorities and institutions between
// requests, for the pages and documents that name many (an OAI-PMH page,
// a search page): it is emptied whenever the store has been written
// since it was filled. Authority names are public, so one cache serves
// everyone.
type nameCache struct {
	mu    sync.Mutex
	rev   int64
	names map[string]wenyuan.Names
	// checked is when the store's revision was last read: it is read at
	// most every nameCheck, and at once after a write through this
	// server (reset), so names are never older than nameCheck even when
	// another process writes.
	checked time.Time
}

// nameCheck is how long the name cache trusts the revision it read.
const nameCheck = 100 * time.Millisecond

// reset makes the next request read the store's revision.
func (c *nameCache) reset() {
	c.mu.Lock()
	c.checked = time.Time{}
	c.mu.Unlock()
}

func (s *Server) namer(r *http.Request) *namer {
	n := &namer{names: s.names(r), seen: map[string]wenyuan.Names{}, cache: &s.nameCache, rev: -1}
	c := &s.nameCache
	c.mu.Lock()
	stale := time.Since(c.checked) >= nameCheck
	c.mu.Unlock()
	if stale {
		rev, err := s.Store.LastRev(r.Context())
		if err != nil {
			return n // no cache for this request
		}
		c.mu.Lock()
		if rev > c.rev || c.names == nil { // never back to an older revision
			c.rev, c.names = rev, map[string]wenyuan.Names{}
		}
		c.checked = time.Now()
		c.mu.Unlock()
	}
	c.mu.Lock()
	if c.names != nil {
		n.rev = c.rev
	}
	c.mu.Unlock()
	return n
}

func (n *namer) of(kind wenyuan.Kind, id string) wenyuan.Names {
	k := string(kind) + "/" + id
	if ns, ok := n.seen[k]; ok {
		return ns
	}
	ns, ok := n.cache.get(n.rev, k)
	if !ok {
		ns = n.names(kind, id)
		n.cache.put(n.rev, k, ns)
	}
	n.seen[k] = ns
	return ns
}

// get returns the names of k if the cache holds the store at rev.
func (c *nameCache) get(rev int64, k string) (wenyuan.Names, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev < 0 || c.rev != rev || c.names == nil {
		return nil, false
	}
	ns, ok := c.names[k]
	return ns, ok
}

// put keeps the names of k if the cache still holds the store at rev.
func (c *nameCache) put(rev int64, k string, ns wenyuan.Names) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev >= 0 && c.rev == rev && c.names != nil && len(c.names) < 100_000 {
		c.names[k] = ns
	}
}

// thumb is the URL of a small square of the object's first readable image,
// or "".
func (s *Server) thumb(r *http.Request, object string) (string, error) {
	imgs, err := s.readableImages(r, object)
	if err != nil || len(imgs) == 0 {
		return "", err
	}
	return "/iiif/3/" + imgs[0].ID + "/square/160,/0/default.jpg", nil
}

// cards makes the list entries of objs, which the caller has already
// filtered to what the request's principal may read.
func (s *Server) cards(r *http.Request, f frame, n *namer, objs []*wenyuan.Object) ([]objectCard, error) {
	out := make([]objectCard, 0, len(objs))
	for _, o := range objs {
		c := objectCard{ID: o.ID, Accession: o.AccessionNumber, Institution: f.In(n.of(wenyuan.KindInstitution, o.Institution))}
		if c.Institution == "" {
			c.Institution = o.Institution
		}
		if t := f.Pick(o.Titles); t != nil {
			c.Title, c.TitleLang = t.Value, t.Lang
		}
		if o.Date != nil {
			c.Date = o.Date.Display
		}
		var err error
		if c.Thumb, err = s.thumb(r, o.ID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// homeView is the home page: the search box, the institutions and the
// latest objects.
type homeView struct {
	frame
	Institutions []*wenyuan.Institution
	Objects      []objectCard
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	f := s.newFrame(r, "")
	insts, err := s.Store.FindInstitutions(r.Context())
	if err != nil {
		return err
	}
	scope := wenyuan.ReadScopeOf(wenyuan.PrincipalFrom(r.Context()))
	objs, _, err := s.Store.FindObjects(r.Context(), wenyuan.ObjectFilter{Limit: 12, Scope: &scope})
	if err != nil {
		return err
	}
	v := homeView{frame: f, Institutions: insts}
	if v.Objects, err = s.cards(r, f, s.namer(r), objs); err != nil {
		return err
	}
	return render(w, "home.html", v)
}

// institutionsView lists the partners.
type institutionsView struct {
	frame
	Institutions []*wenyuan.Institution
}

func (s *Server) handleInstitutionsPage(w http.ResponseWriter, r *http.Request) error {
	insts, err := s.Store.FindInstitutions(r.Context())
	if err != nil {
		return err
	}
	f := s.newFrame(r, "")
	f.Title = f.T("nav.institutions")
	return render(w, "institutions.html", institutionsView{frame: f, Institutions: insts})
}

// institutionView is an institution's page: its names and its objects,
// a page at a time.
type institutionView struct {
	frame
	Institution *wenyuan.Institution
	Names       []wenyuan.Name
	Objects     []objectCard
	Next        string
	Collection  string
}

func (s *Server) handleInstitutionPage(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.visibleRecord(r, wenyuan.KindInstitution, r.PathValue("id"))
	if err != nil {
		return err
	}
	inst := rec.(*wenyuan.Institution)
	if wantsLinkedArt(r) {
		return s.writeLinkedArt(w, r, inst)
	}
	f := s.newFrame(r, "")
	f.Title = f.In(inst.Names)
	scope := wenyuan.ReadScopeOf(wenyuan.PrincipalFrom(r.Context()))
	objs, next, err := s.Store.FindObjects(r.Context(), wenyuan.ObjectFilter{Institution: inst.ID, Cursor: r.URL.Query().Get("cursor"), Limit: 24, Scope: &scope})
	if err != nil {
		return err
	}
	v := institutionView{frame: f, Institution: inst, Names: inst.Names, Collection: "/iiif/collections/" + inst.ID}
	if v.Objects, err = s.cards(r, f, s.namer(r), objs); err != nil {
		return err
	}
	if next != "" {
		v.Next = "/institutions/" + inst.ID + "?cursor=" + url.QueryEscape(next)
	}
	return render(w, "institution.html", v)
}

// authorityView is the page of a person or group, a place, a period or a
// concept: its names, what it is, and the objects that name it.
type authorityView struct {
	frame
	Kind     wenyuan.Kind
	KindKey  string // message key of the kind
	Names    []wenyuan.Name
	Facts    []fieldView
	Objects  []objectCard
	Total    int
	More     string // the search listing all of them
	Edit     string // the console's form, for who may write it
	ID       string
	KindPath string
}

// authorityFilter is the search filter that finds an authority's objects.
var authorityFilter = map[wenyuan.Kind]string{wenyuan.KindAgent: "maker", wenyuan.KindPlace: "place", wenyuan.KindPeriod: "period"}

func (s *Server) handleAuthorityPage(kind wenyuan.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		rec, err := s.visibleRecord(r, kind, r.PathValue("id"))
		if err != nil {
			return err
		}
		if wantsLinkedArt(r) {
			return s.writeLinkedArt(w, r, rec)
		}
		f := s.newFrame(r, "")
		n := s.namer(r)
		v := authorityView{frame: f, Kind: kind, KindKey: "kind." + string(kind), ID: rec.RecordID(), KindPath: kindPaths[kind]}
		add := func(key string, vals ...valueView) {
			var keep []valueView
			for _, x := range vals {
				if x.Text != "" {
					keep = append(keep, x)
				}
			}
			if len(keep) > 0 {
				v.Facts = append(v.Facts, fieldView{Key: key, Values: keep})
			}
		}
		link := func(k wenyuan.Kind, id string) valueView {
			if id == "" {
				return valueView{}
			}
			return linkTo(f, k, id, n.of(k, id))
		}
		var names wenyuan.Names
		var external []string
		param := authorityFilter[kind]
		switch a := rec.(type) {
		case *wenyuan.Agent:
			names, external = a.Names, a.ExternalIDs
			add("agent.type", valueView{Text: f.Term("agent.type", a.Type)})
			if a.Born != nil || a.Died != nil {
				life := "?"
				if a.Born != nil {
					life = f.Year(*a.Born)
				}
				life += "–"
				if a.Died != nil {
					life += f.Year(*a.Died)
				}
				add("agent.life", valueView{Text: life})
			}
			add("agent.biography", textValue(f, a.Biography))
		case *wenyuan.Place:
			names, external = a.Names, a.ExternalIDs
			add("place.type", valueView{Text: f.Term("place.type", a.Type)})
			add("place.parent", link(wenyuan.KindPlace, a.Parent))
			if a.Latitude != nil && a.Longitude != nil {
				add("place.coordinates", valueView{Text: strconv.FormatFloat(*a.Latitude, 'f', -1, 64) + ", " + strconv.FormatFloat(*a.Longitude, 'f', -1, 64)})
			}
		case *wenyuan.Period:
			names, external = a.Names, a.ExternalIDs
			add("period.type", valueView{Text: f.Term("period.type", a.Type)})
			add("period.parent", link(wenyuan.KindPeriod, a.Parent))
			add("period.years", valueView{Text: f.Year(a.Start) + "–" + f.Year(a.End)})
		case *wenyuan.Concept:
			names, external = a.Names, a.ExternalIDs
			add("concept.scheme", valueView{Text: f.Term("scheme", a.Scheme)})
			add("concept.broader", link(wenyuan.KindConcept, a.Broader))
			add("concept.note", textValue(f, a.Note))
			switch a.Scheme {
			case wenyuan.SchemeClassification:
				param = "classification"
			case wenyuan.SchemeMaterial, wenyuan.SchemeTechnique:
				param = "material"
			}
		}
		var ext []valueView
		for _, u := range external {
			ext = append(ext, valueView{Text: u, Href: u})
		}
		add("authority.external", ext...)
		v.Names = names
		f.Title = f.In(names)
		if wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionWrite, wenyuan.TargetOf(rec)) {
			v.Edit = "/console/" + kindPaths[kind] + "/" + rec.RecordID() + "/edit"
		}
		v.frame = f
		if param != "" && s.Search != nil {
			p := wenyuan.PrincipalFrom(r.Context())
			req := &search.Request{Scope: wenyuan.ReadScopeOf(p), Limit: 24}
			switch param {
			case "maker":
				req.Makers = []string{rec.RecordID()}
			case "place":
				req.Places = []string{rec.RecordID()}
			case "period":
				req.Periods = []string{rec.RecordID()}
			case "classification":
				req.Classifications = []string{rec.RecordID()}
			case "material":
				req.Materials = []string{rec.RecordID()}
			}
			res, err := s.Search.Search(req)
			if err != nil {
				return err
			}
			var objs []*wenyuan.Object
			for _, h := range res.Hits {
				if o, err := s.readableObject(r, h.ID); err == nil {
					objs = append(objs, o)
				} else if wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
					return err
				}
			}
			if v.Objects, err = s.cards(r, f, n, objs); err != nil {
				return err
			}
			v.Total = res.Total
			v.More = "/search?" + param + "=" + url.QueryEscape(rec.RecordID())
		}
		return render(w, "authority.html", v)
	}
}

// visibleRecord is visible, decoded.
func (s *Server) visibleRecord(r *http.Request, kind wenyuan.Kind, id string) (wenyuan.Record, error) {
	raw, err := s.visible(r, kind, id)
	if err != nil {
		return nil, err
	}
	return raw.Decode()
}

// readableObject returns the object id if the request's principal may read
// it, and not found otherwise (quietly: the index may be a moment behind).
func (s *Server) readableObject(r *http.Request, id string) (*wenyuan.Object, error) {
	raw, err := s.Store.FindRawRecord(r.Context(), wenyuan.KindObject, id)
	if err != nil {
		return nil, err
	}
	if !wenyuan.Can(wenyuan.PrincipalFrom(r.Context()), wenyuan.ActionRead, targetOfRaw(raw)) {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no object %s", id)
	}
	rec, err := raw.Decode()
	if err != nil {
		return nil, err
	}
	return rec.(*wenyuan.Object), nil
}

// kindPaths are the page paths of the authority kinds.
var kindPaths = map[wenyuan.Kind]string{wenyuan.KindAgent: "agents", wenyuan.KindPlace: "places", wenyuan.KindPeriod: "periods", wenyuan.KindConcept: "concepts", wenyuan.KindInstitution: "institutions", wenyuan.KindObject: "objects"}

// linkTo is a value that links to a record's page, named in the page's
// language (its id when it has no name).
func linkTo(f frame, kind wenyuan.Kind, id string, names wenyuan.Names) valueView {
	v := valueView{Text: id, Href: "/" + kindPaths[kind] + "/" + id}
	if p := f.Pick(names); p != nil {
		v.Text, v.Lang = p.Value, p.Lang
	}
	return v
}

// textValue is multilingual text in the page's language.
func textValue(f frame, t wenyuan.Text) valueView {
	if p := f.Pick(t); p != nil {
		return valueView{Text: p.Value, Lang: p.Lang}
	}
	return valueView{}
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
