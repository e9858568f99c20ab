package wenyuan

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"time"
)

// RecordService writes and reads records of every kind. Every write keeps
// the previous version and adds an audit entry, in one transaction.
type RecordService interface {
	// FindRecord returns the current version of a record; ENOTFOUND if it
	// never existed or was deleted (its history stays readable).
	FindRecord(ctx context.Context, kind Kind, id string) (Record, error)
	// FindRawRecord is FindRecord without decoding, for serving as it is.
	FindRawRecord(ctx context.Context, kind Kind, id string) (*RawRecord, error)
	// CreateRecord stores a new record, giving it an id if it has none.
	CreateRecord(ctx context.Context, r Record) error
	// UpdateRecord replaces a record's content. If r's Version is set it
	// must equal the stored version, else ECONFLICT.
	UpdateRecord(ctx context.Context, r Record) error
	// DeleteRecord deletes a record; ECONFLICT if other records point at it.
	DeleteRecord(ctx context.Context, kind Kind, id string) error
}

// Store is everything a storage engine provides. Every engine passes the
// conformance suite in internal/storetest unchanged.
type Store interface {
	RecordService
	ObjectService
	ImageService
	AuthorityService
	HistoryService
	AuditService
	BatchService
	AccessService
	ChangeFeed
	HarvestService
	// Snapshot calls fn with a read-only view of the store as it is now:
	// all its reads see one moment, whatever is written meanwhile.
	Snapshot(ctx context.Context, fn func(Store) error) error
	Close() error
}

// Written is a record as its last write left it, from the change feed.
type Written struct {
	Rev     int64
	Deleted bool
	// Record has Kind and ID always, and the rest unless Deleted.
	Record RawRecord
}

// ChangeFeed lets derived data, such as the search index, follow the store.
type ChangeFeed interface {
	// Changes returns up to limit records whose last write has a revision
	// after rev, in order of revision. A record written twice since rev
	// appears once, as it is now. Revisions only grow, in commit order.
	Changes(ctx context.Context, after int64, limit int) ([]Written, error)
	// StoreID identifies the store, so that derived data built from
	// another store (or from this one before it was replaced by a copy)
	// is not taken for this one's.
	StoreID(ctx context.Context) (string, error)
	// LastRev returns the revision of the latest write.
	LastRev(ctx context.Context) (int64, error)
}

// RawRecord is a record as stored: its JSON content without Meta, the Meta,
// and the owner and visibility that access checks need. Serving it needs
// no decoding; Doc must not be modified.
type RawRecord struct {
	Kind        Kind
	ID          string
	Meta        Meta
	Institution string
	Visibility  Visibility
	Doc         json.RawMessage
}

// JSON returns the record's API form: Doc with version, created_at and
// updated_at added, the same fields as encoding the decoded record.
func (r *RawRecord) JSON() []byte {
	var b bytes.Buffer
	b.Grow(len(r.Doc) + 96)
	r.WriteJSON(&b)
	return b.Bytes()
}

// WriteJSON writes what JSON returns, without building it first.
func (r *RawRecord) WriteJSON(w io.Writer) error {
	d := bytes.TrimRight(r.Doc, " \n")
	if len(d) < 2 || d[len(d)-1] != '}' {
		_, err := w.Write(r.Doc)
		return err
	}
	var meta [128]byte
	b := meta[:0]
	if len(d) > 2 {
		b = append(b, ',')
	}
	b = append(b, `"version":`...)
	b = strconv.AppendInt(b, int64(r.Meta.Version), 10)
	b = append(b, `,"created_at":"`...)
	b = r.Meta.CreatedAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","updated_at":"`...)
	b = r.Meta.UpdatedAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `"}`...)
	if _, err := w.Write(d[:len(d)-1]); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

// Decode returns the record as its Go type.
func (r *RawRecord) Decode() (Record, error) {
	rec := NewRecord(r.Kind)
	if rec == nil {
		return nil, Errorf(EINTERNAL, "unknown kind %q", r.Kind)
	}
	if err := json.Unmarshal(r.Doc, rec); err != nil {
		return nil, err
	}
	*rec.RecordMeta() = r.Meta
	return rec, nil
}
