package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"wenyuan"
	"wenyuan/internal/storetest"
	"wenyuan/sqlite"
)

// MustOpenDB opens a new store in a temporary directory, closed at cleanup.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "wenyuan.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) wenyuan.Store { return MustOpenDB(tb) })
}

func TestConformanceInMemory(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) wenyuan.Store {
		db, err := sqlite.Open(":memory:")
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	})
}

// TestCacheSeesOtherProcesses: a record read through one store, changed
// through another on the same file (as a command-line import changes the
// server's), reads fresh within a second.
func TestCacheSeesOtherProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wenyuan.db")
	a, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	inst := &wenyuan.Institution{ID: "u", Names: wenyuan.Names{{Lang: "en", Value: "Before"}}}
	if err := a.CreateRecord(ctx, inst); err != nil {
		t.Fatal(err)
	}
	if r, err := a.FindRecord(ctx, wenyuan.KindInstitution, "u"); err != nil || r.(*wenyuan.Institution).Names.In("en") != "Before" {
		t.Fatalf("first read = %v, %v", r, err)
	}
	inst.Names = wenyuan.Names{{Lang: "en", Value: "After"}}
	inst.Version = 0
	if err := b.UpdateRecord(ctx, inst); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for {
		r, err := a.FindRecord(ctx, wenyuan.KindInstitution, "u")
		if err == nil && r.(*wenyuan.Institution).Names.In("en") == "After" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a second after another store's update, read %v, %v", r, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCacheReadsOwnWrites: an update is seen by the very next read.
func TestCacheReadsOwnWrites(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	inst := &wenyuan.Institution{ID: "u", Names: wenyuan.Names{{Lang: "en", Value: "v1"}}}
	if err := db.CreateRecord(ctx, inst); err != nil {
		t.Fatal(err)
	}
	for i := 2; i < 50; i++ {
		db.FindRecord(ctx, wenyuan.KindInstitution, "u")
		inst.Names = wenyuan.Names{{Lang: "en", Value: "v" + strconv.Itoa(i)}}
		if err := db.UpdateRecord(ctx, inst); err != nil {
			t.Fatal(err)
		}
		raw, err := db.FindRawRecord(ctx, wenyuan.KindInstitution, "u")
		if err != nil || raw.Meta.Version != i || !strings.Contains(string(raw.JSON()), `"v`+strconv.Itoa(i)+`"`) {
			t.Fatalf("read after update %d = %v, %v", i, raw, err)
		}
	}
	if err := db.DeleteRecord(ctx, wenyuan.KindInstitution, "u"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindRawRecord(ctx, wenyuan.KindInstitution, "u"); wenyuan.ErrorCode(err) != wenyuan.ENOTFOUND {
		t.Errorf("read after delete: %v", err)
	}
}
