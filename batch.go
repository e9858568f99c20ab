package wenyuan

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// Batch is a unit of bulk work, such as one import: every write made
// through it commits together or not at all. It is used from one goroutine.
type Batch interface {
	// PutObject creates o, or updates the live object with the same
	// institution and accession number (o takes its id). It returns
	// ActionCreate, ActionUpdate, or "" when the stored content is already
	// equal, so that re-running an import changes nothing.
	PutObject(o *Object) (string, error)
	// PutRecord creates r, or updates the record with r's id, as PutObject.
	PutRecord(r Record) (string, error)
	// ResolveName returns the id of the live authority of kind (and, for
	// concepts, scheme) that has name among its names, compared by NormName.
	// With create, a record named name in lang is made when there is none;
	// without, ENOTFOUND.
	ResolveName(kind Kind, scheme, lang, name string, create bool) (string, error)
	// ObjectID returns the id of the live object with this accession number,
	// including objects put earlier in the batch; ENOTFOUND if none.
	ObjectID(institution, accession string) (string, error)
	// Exists reports whether a live record of kind has id.
	Exists(kind Kind, id string) (bool, error)
	// Try runs fn so that, if it fails, none of its writes stay while the
	// batch goes on: one row of a partial import.
	Try(fn func() error) error
}

// LinkError says that a record in a batch points at a record that the
// batch never made. Its code is EINVALID.
type LinkError struct {
	Kind   Kind
	ID     string
	Field  string
	Target Link
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("%s %s, field %s: no %s with id %q", e.Kind, e.ID, e.Field, e.Target.Kind, e.Target.ID)
}

// Unwrap gives the error its EINVALID code.
func (e *LinkError) Unwrap() error {
	return &Error{Code: EINVALID, Message: e.Error(), Fields: []FieldError{{Field: e.Field, Message: fmt.Sprintf("no %s with id %q", e.Target.Kind, e.Target.ID)}}}
}

// BatchService runs bulk work in one transaction.
type BatchService interface {
	// Batch calls fn with a Batch and commits if fn returns nil; otherwise,
	// or if ctx is cancelled, it rolls everything back.
	Batch(ctx context.Context, fn func(Batch) error) error
}

// Link is a reference from one record to another, by id.
type Link struct {
	Rel  string // the field: "classification", "material", "maker", "period", "part_of", …
	Kind Kind   // the kind of record pointed at
	ID   string
}

// Links returns every reference r makes to another record; the store keeps
// them so that a link to a missing record is refused and a record that
// others point at cannot be deleted.
func Links(r Record) []Link {
	var out []Link
	add := func(rel string, k Kind, ids ...string) {
		for _, id := range ids {
			if id != "" {
				out = append(out, Link{Rel: rel, Kind: k, ID: id})
			}
		}
	}
	switch r := r.(type) {
	case *Object:
		add("institution", KindInstitution, r.Institution)
		add("classification", KindConcept, r.Classification...)
		add("material", KindConcept, r.Materials...)
		add("technique", KindConcept, r.Techniques...)
		add("place", KindPlace, r.Places...)
		for _, m := range r.Makers {
			add("maker", KindAgent, m.Agent)
		}
		if r.Date != nil {
			add("period", KindPeriod, r.Date.Periods...)
		}
		for _, in := range r.Inscriptions {
			add("inscription_author", KindAgent, in.Author)
		}
		add("part_of", KindObject, r.PartOf)
		for _, rel := range r.Related {
			add("related", KindObject, rel.Object)
		}
	case *Place:
		add("parent", KindPlace, r.Parent)
	case *Period:
		add("parent", KindPeriod, r.Parent)
	case *Concept:
		add("broader", KindConcept, r.Broader)
	case *Image:
		add("object", KindObject, r.Object)
	}
	return out
}

// NormName folds a name for lookup: full-width ASCII to half-width, lower
// case, inner runs of space to one, outer space trimmed. "Qing  Dynasty",
// "ＱＩＮＧ dynasty" and "qing dynasty" are one name.
func NormName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		} else if r == 0x3000 {
			r = ' '
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
