package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"wenyuan"
)

// Engine is the search engine of one store: it builds the index from the
// store, keeps it fresh by following the store's change feed, and answers
// searches. Writes are searchable within PollInterval.
type Engine struct {
	store  wenyuan.Store
	logger *slog.Logger
	cur    atomic.Pointer[Index]
	wake   chan struct{}

	// PollInterval is how often the change feed is read when nothing
	// wakes the engine sooner.
	PollInterval time.Duration
	// Progress, if set, is called while the index is built with the
	// records indexed so far and the fraction of the store read.
	Progress func(done int, frac float64)

	mu      sync.Mutex // one writer: catch-up, rebuilds and saves
	storeID string
	path    string // where the index is saved; "" keeps it in memory only
	saved   int64  // the rev of the index last saved
}

// NewEngine returns an engine over store with an empty index; Open builds
// or loads it.
func NewEngine(store wenyuan.Store, logger *slog.Logger) *Engine {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{store: store, logger: logger, wake: make(chan struct{}, 1), PollInterval: 250 * time.Millisecond}
	e.cur.Store(NewIndex())
	return e
}

// Open makes the index current: the one saved at path if it is whole, of
// this version of Wenyuan and of this store, else a new one built from the
// store (and saved there). Then it reads the changes written since.
// An empty path keeps the index in memory only.
func (e *Engine) Open(ctx context.Context, path string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.path = path
	if path != "" {
		x, storeID, err := Load(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			e.logger.Info("no search index yet: building it", "path", path)
		case err != nil:
			e.logger.Warn("search index unusable: rebuilding it", "path", path, "err", err)
		default:
			id, err := e.store.StoreID(ctx)
			if err != nil {
				return err
			}
			last, err := e.store.LastRev(ctx)
			if err != nil {
				return err
			}
			if storeID == id && x.rev <= last {
				e.storeID, e.saved = id, x.rev
				e.cur.Store(x)
				e.logger.Info("search index loaded", "documents", x.Len(), "rev", x.rev, "behind", last-x.rev)
				return e.catchUp(ctx)
			}
			e.logger.Warn("search index is of another store or ahead of it: rebuilding it", "path", path)
		}
	}
	if err := e.rebuild(ctx); err != nil {
		return err
	}
	return e.save()
}

// Save writes the index where Open was told to keep it, if it changed
// since it was last saved.
func (e *Engine) Save() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.save()
}

func (e *Engine) save() error {
	x := e.cur.Load()
	if e.path == "" || x.Rev() == e.saved {
		return nil
	}
	start := time.Now()
	if err := x.Save(e.path, e.storeID); err != nil {
		return err
	}
	e.saved = x.Rev()
	e.logger.Info("search index saved", "rev", e.saved, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// StoreID returns the id of the store the index was built from.
func (e *Engine) StoreID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.storeID
}

// Index returns the current index.
func (e *Engine) Index() *Index { return e.cur.Load() }

// Search runs r on the current index.
func (e *Engine) Search(r *Request) (*Result, error) { return e.Index().Search(r) }

// Rebuild builds a new index from the store, makes it current and saves
// it.
func (e *Engine) Rebuild(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.rebuild(ctx); err != nil {
		return err
	}
	return e.save()
}

func (e *Engine) rebuild(ctx context.Context) error {
	start := time.Now()
	x := NewIndex()
	err := e.store.Snapshot(ctx, func(s wenyuan.Store) error {
		id, err := s.StoreID(ctx)
		if err != nil {
			return err
		}
		e.storeID = id
		last, err := s.LastRev(ctx)
		if err != nil {
			return err
		}
		insts, err := s.FindInstitutions(ctx)
		if err != nil {
			return err
		}
		for _, in := range insts {
			x.setAuthority(in)
		}
		for _, kind := range []wenyuan.Kind{wenyuan.KindAgent, wenyuan.KindPlace, wenyuan.KindPeriod, wenyuan.KindConcept} {
			cursor := ""
			for {
				page, next, err := s.FindAuthorities(ctx, kind, wenyuan.AuthorityFilter{Cursor: cursor, Limit: 1000})
				if err != nil {
					return err
				}
				for _, r := range page {
					x.setAuthority(r)
				}
				if next == "" {
					break
				}
				cursor = next
			}
		}
		// Objects with images, so that only those are asked for theirs.
		imaged := map[string]bool{}
		for _, in := range insts {
			objs, err := s.FindImagedObjects(ctx, in.ID, wenyuan.ReadScope{Consortium: true, Institution: in.ID})
			if err != nil {
				return err
			}
			for _, o := range objs {
				imaged[o.ID] = true
			}
		}
		done := 0
		for {
			cs, err := s.Changes(ctx, x.rev, 2000)
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				return nil
			}
			for i := range cs {
				c := &cs[i]
				if c.Record.Kind == wenyuan.KindObject && !c.Deleted {
					img := false
					if imaged[c.Record.ID] {
						if img, err = hasImage(ctx, s, &c.Record); err != nil {
							return err
						}
					}
					d, err := documentOf(&c.Record, &x.auth, img)
					if err != nil {
						return err
					}
					x.add(d)
					done++
				}
			}
			x.rev = cs[len(cs)-1].Rev
			if e.Progress != nil {
				e.Progress(done, float64(x.rev)/float64(max(last, 1)))
			}
		}
	})
	if err != nil {
		return fmt.Errorf("build the search index: %w", err)
	}
	x.Pack()
	e.cur.Store(x)
	e.logger.Info("search index built", "documents", x.docs.nlive, "rev", x.rev, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func documentOf(raw *wenyuan.RawRecord, a *authorities, img bool) (*document, error) {
	r, err := raw.Decode()
	if err != nil {
		return nil, fmt.Errorf("decode object %s: %w", raw.ID, err)
	}
	d := newDocument(r.(*wenyuan.Object), a)
	d.hasImage = img
	return d, nil
}

// hasImage reports whether an object has an image that all who may read
// the object may read too: an image at least as open as the object. So
// the has_image facet never tells the public of an internal photograph.
func hasImage(ctx context.Context, s wenyuan.Store, o *wenyuan.RawRecord) (bool, error) {
	imgs, err := s.FindImages(ctx, o.ID)
	if err != nil {
		return false, err
	}
	for _, im := range imgs {
		if openness(im.Visibility) >= openness(o.Visibility) {
			return true, nil
		}
	}
	return false, nil
}

func openness(v wenyuan.Visibility) int {
	switch v {
	case wenyuan.VisibilityInternal:
		return 0
	case wenyuan.VisibilityConsortium:
		return 1
	}
	return 2
}

// Notify tells the engine that the store was written, so that it reads the
// change feed now rather than at the next poll.
func (e *Engine) Notify() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// SaveInterval is how often Run saves an index that changed.
const SaveInterval = 10 * time.Minute

// Run keeps the index fresh until ctx ends, saving it every SaveInterval
// and when ctx ends.
func (e *Engine) Run(ctx context.Context) {
	t := time.NewTicker(e.PollInterval)
	defer t.Stop()
	lastSave := time.Now()
	for {
		select {
		case <-ctx.Done():
			if err := e.Save(); err != nil {
				e.logger.Error("search index: save", "err", err)
			}
			return
		case <-t.C:
		case <-e.wake:
		}
		if time.Since(lastSave) > SaveInterval {
			if err := e.Save(); err != nil {
				e.logger.Error("search index: save", "err", err)
			}
			lastSave = time.Now()
		}
		if err := e.CatchUp(ctx); err != nil && !errors.Is(err, context.Canceled) {
			e.logger.Error("search index: follow the store", "err", err)
		}
	}
}

// CatchUp applies every change written since the index was last brought
// up to date.
func (e *Engine) CatchUp(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.catchUp(ctx)
}

func (e *Engine) catchUp(ctx context.Context) error {
	x := e.cur.Load()
	for {
		cs, err := e.store.Changes(ctx, x.rev, 1000)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			break
		}
		if err := e.apply(ctx, x, cs); err != nil {
			return err
		}
	}
	// Deleted and replaced documents stay in the lists until a rebuild.
	if n, live := x.docs.len(), x.docs.nlive; n > 10000 && n-live > n/3 {
		return e.rebuild(ctx)
	}
	return nil
}

// apply applies one page of the change feed. Authorities first: an object
// is indexed with the names of what it links to, and the objects of an
// authority whose names change are indexed again.
func (e *Engine) apply(ctx context.Context, x *Index, cs []wenyuan.Written) error {
	var again []string // objects to index again
	x.mu.Lock()
	for i := range cs {
		c := &cs[i]
		if c.Record.Kind == wenyuan.KindImage {
			// Its object's has_image may change. A deleted image's feed
			// entry has no content: its object is read from its history.
			if obj := e.imageObject(ctx, c); obj != "" {
				again = append(again, obj)
			}
			continue
		}
		if c.Record.Kind == wenyuan.KindObject {
			continue
		}
		changed := false
		if c.Deleted {
			changed = x.removeAuthority(c.Record.ID)
		} else {
			r, err := c.Record.Decode()
			if err != nil {
				x.mu.Unlock()
				return fmt.Errorf("decode %s %s: %w", c.Record.Kind, c.Record.ID, err)
			}
			changed = x.setAuthority(r)
		}
		if changed {
			again = append(again, x.linkedTo(c.Record.ID)...)
		}
	}
	x.mu.Unlock()

	docs := make([]*document, 0, len(cs))
	var gone []string
	seen := map[string]bool{}
	for i := range cs {
		c := &cs[i]
		if c.Record.Kind != wenyuan.KindObject {
			continue
		}
		seen[c.Record.ID] = true
		if c.Deleted {
			gone = append(gone, c.Record.ID)
			continue
		}
		img, err := hasImage(ctx, e.store, &c.Record)
		if err != nil {
			return err
		}
		d, err := documentOf(&c.Record, &x.auth, img)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	for _, id := range again {
		if seen[id] {
			continue
		}
		seen[id] = true
		raw, err := e.store.FindRawRecord(ctx, wenyuan.KindObject, id)
		if wenyuan.ErrorCode(err) == wenyuan.ENOTFOUND {
			continue // deleted since: a later page of the feed says so
		}
		if err != nil {
			return err
		}
		img, err := hasImage(ctx, e.store, raw)
		if err != nil {
			return err
		}
		d, err := documentOf(raw, &x.auth, img)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	x.mu.Lock()
	for _, id := range gone {
		x.remove(id)
	}
	for _, d := range docs {
		x.add(d)
	}
	x.rev = cs[len(cs)-1].Rev
	x.mu.Unlock()
	return nil
}

// imageObject returns the object an image in the change feed is of.
func (e *Engine) imageObject(ctx context.Context, c *wenyuan.Written) string {
	doc := c.Record.Doc
	if c.Deleted {
		vs, err := e.store.FindVersions(ctx, wenyuan.KindImage, c.Record.ID)
		if err != nil || len(vs) == 0 {
			return ""
		}
		doc = vs[len(vs)-1].Record
	}
	var im struct {
		Object string `json:"object"`
	}
	if json.Unmarshal(doc, &im) != nil {
		return ""
	}
	return im.Object
}

// linkedTo returns the ids of the live objects that link to authority id
// (directly or through a narrower one). Caller holds mu.
func (x *Index) linkedTo(id string) []string {
	var out []string
	for _, code := range linkFacets {
		p := x.terms.get(string(nsFacet) + string(code) + id)
		if p == nil {
			continue
		}
		c := newCursor(p, false)
		for c.next() {
			if x.docs.isLive(c.doc) {
				out = append(out, x.docs.id(c.doc))
			}
		}
	}
	return out
}
