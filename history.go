package wenyuan

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"time"
)

// Actions recorded in history and in the audit log.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionRevert = "revert"
)

// Version is one version of a record as it was written.
type Version struct {
	Kind    Kind            `json:"kind"`
	ID      string          `json:"id"`
	Version int             `json:"version"`
	Action  string          `json:"action"`
	Actor   string          `json:"actor"`
	At      time.Time       `json:"at"`
	Record  json.RawMessage `json:"record"` // the content, without Meta
}

// HistoryService reads and reverts the history of records.
type HistoryService interface {
	// FindVersions lists every version of a record, oldest first, including
	// the deletion of a deleted record. ENOTFOUND if there is none.
	FindVersions(ctx context.Context, kind Kind, id string) ([]*Version, error)
	FindVersion(ctx context.Context, kind Kind, id string, version int) (*Version, error)
	// RevertRecord writes version's content as a new version (restoring a
	// deleted record too) and returns the record as now stored.
	RevertRecord(ctx context.Context, kind Kind, id string, version int) (Record, error)
}

// AuditEntry is one line of the audit log: who did what to which record
// when, and how it ended.
type AuditEntry struct {
	Seq   int64     `json:"seq"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	// Institution is the institution the entry concerns: the record's
	// owner, or the actor's for sign-ins and denials. Admins see theirs.
	Institution string `json:"institution,omitempty"`
	Address     string `json:"address,omitempty"` // the client's IP address
	Action      string `json:"action"`
	Kind        Kind   `json:"kind,omitempty"`
	RecordID    string `json:"record_id,omitempty"`
	Version     int    `json:"version,omitempty"`
	Outcome     string `json:"outcome"` // "ok", "denied", "failed"
	Detail      string `json:"detail,omitempty"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Institution string
	Actor       string
	Action      string
	Kind        Kind
	RecordID    string
	Since       *time.Time
	Until       *time.Time
	Cursor      string
	Limit       int
}

// AuditService reads the audit log.
type AuditService interface {
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, string, error)
}

// Change is one field that differs between two versions. Field is a path
// into the record's JSON form ("titles[1].value", "date.earliest"); Old or
// New is absent when the field was added or removed.
type Change struct {
	Field string `json:"field"`
	Old   any    `json:"old,omitempty"`
	New   any    `json:"new,omitempty"`
}

// Diff returns the field-level changes from record a to record b, each
// given in its JSON form, sorted by field.
func Diff(a, b json.RawMessage) ([]Change, error) {
	var va, vb any
	if len(a) > 0 {
		if err := decodeJSON(a, &va); err != nil {
			return nil, err
		}
	}
	if len(b) > 0 {
		if err := decodeJSON(b, &vb); err != nil {
			return nil, err
		}
	}
	var out []Change
	diffValue("", va, vb, &out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out, nil
}

func decodeJSON(data []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func diffValue(path string, a, b any, out *[]Change) {
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			for k, x := range av {
				diffValue(join(path, k), x, bv[k], out)
			}
			for k, y := range bv {
				if _, ok := av[k]; !ok {
					diffValue(join(path, k), nil, y, out)
				}
			}
			return
		}
	case []any:
		if bv, ok := b.([]any); ok {
			n := max(len(av), len(bv))
			for i := 0; i < n; i++ {
				var x, y any
				if i < len(av) {
					x = av[i]
				}
				if i < len(bv) {
					y = bv[i]
				}
				diffValue(path+"["+strconv.Itoa(i)+"]", x, y, out)
			}
			return
		}
	}
	if !equalJSON(a, b) {
		*out = append(*out, Change{Field: path, Old: a, New: b})
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
