package sqlite_test

import (
	"path/filepath"
	"testing"

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
