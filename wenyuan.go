// Package wenyuan is the domain of Wenyuan (文渊), the shared collections
// platform of a consortium of heritage institutions: the records it keeps
// (objects and the authorities they point at), the rules those records obey,
// and the services that store them. It imports no storage, HTTP or template
// package; adapters such as sqlite/ and web/ depend on it, never the reverse.
package wenyuan

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Kind names a type of record. Every record kind shares one history and one
// audit trail.
type Kind string

// The kinds of record Wenyuan keeps.
const (
	KindInstitution Kind = "institution"
	KindObject      Kind = "object"
	KindAgent       Kind = "agent"
	KindPlace       Kind = "place"
	KindPeriod      Kind = "period"
	KindConcept     Kind = "concept"
	KindImage       Kind = "image"
)

// Kinds lists every record kind in the order in which an export writes
// them, so that an import meets every record before those that point at
// it: institutions and authorities, objects, then their images.
var Kinds = []Kind{KindInstitution, KindPeriod, KindConcept, KindPlace, KindAgent, KindObject, KindImage}

// IsValid reports whether k is one of Kinds.
func (k Kind) IsValid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Visibility says who may read a record.
type Visibility string

// The visibilities. A record without one is public.
const (
	VisibilityPublic     Visibility = "public"
	VisibilityConsortium Visibility = "consortium"
	VisibilityInternal   Visibility = "internal"
)

// IsValid reports whether v is a known visibility.
func (v Visibility) IsValid() bool {
	return v == VisibilityPublic || v == VisibilityConsortium || v == VisibilityInternal
}

// Meta is what the store keeps about a record besides its content: the
// version number (1 for a new record, one more for each change) and when the
// record was first and last written. Clients send Version back on update so
// that a concurrent edit is detected rather than overwritten.
type Meta struct {
	Version   int       `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// RecordMeta returns m itself, so that any record embedding Meta exposes it.
func (m *Meta) RecordMeta() *Meta { return m }

// Record is implemented by every kind of record.
type Record interface {
	RecordKind() Kind
	RecordID() string
	SetRecordID(id string)
	RecordMeta() *Meta
	// Normalize trims and tidies the content before validation.
	Normalize()
	// Validate checks the record's own fields; rules that need the store
	// (unique accession numbers, links that must exist) are the store's.
	Validate() error
}

// LangString is a value in one language, tagged with a BCP 47 tag:
// "zh-Hans", "zh-Hant", "en", "zh-Latn-pinyin".
type LangString struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

// Text is a multilingual value: one entry per language (more are allowed,
// the first one of a language is the preferred one).
type Text []LangString

// Common language tags.
const (
	LangHans   = "zh-Hans"
	LangHant   = "zh-Hant"
	LangEn     = "en"
	LangPinyin = "zh-Latn-pinyin"
)

// In returns the value in lang or, failing that, in the closest language:
// simplified and traditional Chinese stand in for each other, then English,
// pinyin, then whatever comes first.
func (t Text) In(lang string) string {
	if s := t.Pick(lang); s != nil {
		return s.Value
	}
	return ""
}

// Pick returns the string In returns, with its language; nil if t has none.
func (t Text) Pick(lang string) *LangString {
	order := []string{lang}
	switch {
	case strings.HasPrefix(lang, "zh"):
		order = append(order, LangHans, LangHant, "zh", LangEn, LangPinyin)
	default:
		order = append(order, LangEn, LangPinyin, LangHans, LangHant, "zh")
	}
	for _, l := range order {
		for i, s := range t {
			if strings.EqualFold(s.Lang, l) && s.Value != "" {
				return &t[i]
			}
		}
	}
	for i, s := range t {
		if s.Value != "" {
			return &t[i]
		}
	}
	return nil
}

// Add appends value in lang unless value is empty or already present.
func (t Text) Add(lang, value string) Text {
	value = strings.TrimSpace(value)
	if value == "" {
		return t
	}
	for _, s := range t {
		if s.Lang == lang && s.Value == value {
			return t
		}
	}
	return append(t, LangString{Lang: lang, Value: value})
}

func (t Text) normalize() Text {
	out := t[:0]
	for _, s := range t {
		s.Lang = strings.TrimSpace(s.Lang)
		s.Value = normLine(s.Value)
		if s.Value == "" && s.Lang == "" {
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// validate adds a problem per bad entry of t, named field[i].lang or
// field[i].value.
func (t Text) validate(v *Validator, field string) {
	for i, s := range t {
		f := field + "[" + strconv.Itoa(i) + "]"
		if !IsWellFormedLangTag(s.Lang) {
			v.Addf(f+".lang", "%q is not a well-formed BCP 47 language tag (use e.g. zh-Hans, zh-Hant, en, zh-Latn-pinyin)", s.Lang)
		}
		if s.Value == "" {
			v.Add(f+".value", "must not be empty")
		}
	}
}

// Clock returns the current time; services take one so tests can fix it.
type Clock func() time.Time

type actorKey struct{}

// WithActor returns a context that records writes as done by actor: a user
// name, "cli:import", or a client address.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor recorded in ctx, or "system".
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

type addressKey struct{}

// WithAddress returns a context for requests from a client at addr, which
// the audit log records.
func WithAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addressKey{}, addr)
}

// AddressFrom returns the client address in ctx, or "".
func AddressFrom(ctx context.Context) string {
	a, _ := ctx.Value(addressKey{}).(string)
	return a
}
