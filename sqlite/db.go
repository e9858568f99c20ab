// Package sqlite is Wenyuan's embedded storage engine: one SQLite file in
// WAL mode, opened through a pure-Go driver so that building needs no C
// toolchain. It implements wenyuan.Store.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"wenyuan"
)

//go:embed migrations/*.sql
var migrations embed.FS

var _ wenyuan.Store = (*DB)(nil)

// DB is an open Wenyuan store.
type DB struct {
	// Now is the clock used to stamp writes.
	Now func() time.Time

	path  string
	read  *sql.DB // many readers
	write *sql.DB // one writer, transactions begin IMMEDIATE
	// stmts caches prepared read statements by their SQL. The set of
	// queries is fixed by the code (filters only add clauses), so it stays
	// small.
	stmts sync.Map
	cache *cache
	stop  context.CancelFunc
	done  chan struct{}
	// snap, in a DB that Snapshot hands out, is the read transaction every
	// read goes through; such a DB cannot write.
	snap *sql.Tx
	tmp  string // the directory of a ":memory:" store, removed at Close
}

// Snapshot calls fn with a read-only view of the store as it is now: every
// read fn makes sees the same moment, whatever is written meanwhile. An
// export runs in one, so that it always imports back.
func (db *DB) Snapshot(ctx context.Context, fn func(wenyuan.Store) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	// SQLite starts a read transaction at its first read: make it now.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		return translate(err)
	}
	return fn(&DB{Now: db.Now, path: db.path, read: db.read, cache: db.cache, snap: tx})
}

// prepared returns the read statement for q, prepared once.
func (db *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	p, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, translate(err)
	}
	if st, ok := db.stmts.LoadOrStore(q, p); ok {
		p.Close()
		return st.(*sql.Stmt), nil
	}
	return p, nil
}

// query runs a read query through a statement prepared once (in a
// snapshot, through its transaction).
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if db.snap != nil {
		rows, err := db.snap.QueryContext(ctx, q, args...)
		return rows, translate(err)
	}
	st, err := db.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	return rows, translate(err)
}

// queryRow is query for one row; errors come out of Scan.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if db.snap != nil {
		return db.snap.QueryRowContext(ctx, q, args...)
	}
	st, err := db.prepared(ctx, q)
	if err != nil {
		return db.read.QueryRowContext(ctx, q, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// Open opens (creating if needed) the store at path and applies pending
// migrations. A path of ":memory:" gives a private store in a temporary
// file that Close removes: it behaves as any other store (several readers,
// snapshots beside writes), which SQLite's own in-memory databases cannot.
func Open(path string) (*DB, error) {
	db := &DB{Now: time.Now, path: path}
	if path == ":memory:" {
		dir, err := os.MkdirTemp("", "wenyuan-memory-*")
		if err != nil {
			return nil, err
		}
		db.tmp, path = dir, filepath.Join(dir, "wenyuan.db")
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(memory)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas + "&_pragma=journal_mode(WAL)"
	// The writer's cache: 64 MiB. A bulk import's transaction is larger
	// and spills to the WAL as it goes, which measured faster than a
	// cache that holds it all (allocating pages costs more than writing
	// them early).
	w, err := sql.Open("sqlite", u+"&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", u+"&_pragma=cache_size(-32768)&_pragma=mmap_size(268435456)&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db.read, db.write = r, w
	if err := db.migrate(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.cache = newCache(cacheBytes)
	ctx, stop := context.WithCancel(context.Background())
	db.stop, db.done = stop, make(chan struct{})
	go func() { defer close(db.done); db.watch(ctx) }()
	return db, nil
}

// Close closes the store; for a snapshot it does nothing.
func (db *DB) Close() error {
	if db.snap != nil {
		return nil
	}
	if db.stop != nil {
		db.stop()
		<-db.done
	}
	db.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	var err error
	if db.read != nil {
		err = db.read.Close()
	}
	if db.write != nil {
		if e := db.write.Close(); err == nil {
			err = e
		}
	}
	if db.tmp != "" {
		os.RemoveAll(db.tmp)
	}
	return err
}

// Migrations returns the names of the embedded migration files, in the
// order they apply.
func Migrations() []string {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "migrations/")
	}
	sort.Strings(names)
	return names
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, name := range Migrations() {
		var n int
		if err := db.write.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile("migrations/" + name)
		if err != nil {
			return err
		}
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, db.Now().UnixNano()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// translate turns driver errors into wenyuan errors where a user can act.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &wenyuan.Error{Code: wenyuan.ECONFLICT, Message: "a record with the same key already exists"}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_BUSY_SNAPSHOT, sqlite3.SQLITE_BUSY_TIMEOUT:
			return &wenyuan.Error{Code: wenyuan.EUNAVAILABLE, Message: "the catalogue is busy with another write (a bulk import?); try again shortly"}
		}
	}
	return err
}
