package wenyuan

import (
	"context"
	"time"
)

// Harvesting: aggregators take the public objects (OAI-PMH) a page at a
// time, and a harvest must neither skip nor repeat a record while the
// catalogue changes under it. A harvest therefore reads the store as it
// was when it began (its HarvestMark): objects created later are left to
// the next harvest, objects changed later are given as they were then,
// and pages follow the order objects were created in, which never
// changes. An object that was public once and is no longer (withdrawn or
// deleted) is a tombstone, so harvesters can drop their copy; one never
// public is not there at all.

// HarvestMark fixes the moment a harvest reads the store at.
type HarvestMark struct {
	Seq int64     // the last object created before it
	Rev int64     // the last write before it
	At  time.Time // when it was taken
}

// HarvestFilter selects a page of a harvest.
type HarvestFilter struct {
	Mark HarvestMark
	// Set: objects of an institution, or classified as a concept ("" for
	// any).
	Institution    string
	Classification string
	// From and Until bound the datestamps, inclusive, to the second.
	From, Until *time.Time
	// After is the position of the previous page's last item (0 first).
	After int64
	Limit int // default 100, at most 1000
}

// HarvestItem is an object as a harvest gives it.
type HarvestItem struct {
	Pos       int64 // its position in every harvest's order
	ID        string
	Datestamp time.Time // its last change, to the second, UTC
	// Deleted marks a tombstone: an object public once and no longer.
	// Object is then its last public content, for its sets.
	Deleted bool
	Object  *Object
}

// HarvestService reads the store for harvesters. Only public objects and
// the tombstones of objects once public are ever returned.
type HarvestService interface {
	// MarkHarvest takes the mark a new harvest reads at.
	MarkHarvest(ctx context.Context) (HarvestMark, error)
	// Harvest returns the next page of f in harvest order; fewer than
	// Limit items does not mean the end: the last page is the empty one.
	// next is the After of the page that follows.
	Harvest(ctx context.Context, f HarvestFilter) (items []HarvestItem, next int64, err error)
	// CountHarvest estimates how many items f selects in all (objects
	// changed since the mark are counted as they are now).
	CountHarvest(ctx context.Context, f HarvestFilter) (int, error)
	// HarvestObject returns an object as a harvester sees it now (its
	// Pos unset): ENOTFOUND if it was never public.
	HarvestObject(ctx context.Context, id string) (*HarvestItem, error)
	// EarliestDatestamp is the oldest datestamp a harvest can return.
	EarliestDatestamp(ctx context.Context) (time.Time, error)
}
