package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	_ "modernc.org/sqlite"

	"wenyuan"
	"wenyuan/search"
)

// fts5Engine is SQLite FTS5 with the trigram tokenizer (case folding and
// diacritics removal on), the records' columns in a table beside it.
// Queries of fewer than three characters, which a trigram index cannot
// answer, fall back to LIKE, as FTS5 itself does.
type fts5Engine struct {
	path string
	db   *sql.DB
	tx   *sql.Tx
	ins  [2]*sql.Stmt
	n    int
}

func newFTS5(dir string) (*fts5Engine, error) {
	os.MkdirAll(dir, 0o755)
	p := filepath.Join(dir, "fts5.db")
	db, err := sql.Open("sqlite", p+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE VIRTUAL TABLE fts USING fts5(text, tokenize = 'trigram remove_diacritics 1')`,
		`CREATE TABLE meta (rowid INTEGER PRIMARY KEY, acc TEXT, institution TEXT, classification TEXT, visibility TEXT, earliest INTEGER, latest INTEGER)`,
	} {
		if _, err := db.Exec(q); err != nil {
			return nil, err
		}
	}
	return &fts5Engine{path: p, db: db}, nil
}

func (f *fts5Engine) name() string { return "fts5" }

func (f *fts5Engine) add(o *wenyuan.Object, text string) error {
	if f.tx == nil {
		var err error
		if f.tx, err = f.db.Begin(); err != nil {
			return err
		}
		if f.ins[0], err = f.tx.Prepare(`INSERT INTO fts (rowid, text) VALUES (?, ?)`); err != nil {
			return err
		}
		if f.ins[1], err = f.tx.Prepare(`INSERT INTO meta (rowid, acc, institution, classification, visibility, earliest, latest) VALUES (?, ?, ?, ?, ?, ?, ?)`); err != nil {
			return err
		}
	}
	f.n++
	if _, err := f.ins[0].Exec(f.n, text); err != nil {
		return err
	}
	class := ""
	if len(o.Classification) > 0 {
		class = o.Classification[0]
	}
	var early, late any
	if o.Date != nil && o.Date.Earliest != nil {
		early, late = *o.Date.Earliest, *o.Date.Latest
	}
	if _, err := f.ins[1].Exec(f.n, o.AccessionNumber, o.Institution, class, string(o.Visibility), early, late); err != nil {
		return err
	}
	if f.n%10000 == 0 {
		return f.finish()
	}
	return nil
}

func (f *fts5Engine) finish() error {
	if f.tx == nil {
		return nil
	}
	err := f.tx.Commit()
	f.tx = nil
	return err
}

func (f *fts5Engine) size() (int64, error) {
	if _, err := f.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, err
	}
	st, err := os.Stat(f.path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// where translates a Wenyuan query into FTS5: MATCH for words of three
// characters or more, LIKE for shorter ones, NOT for exclusions; field
// prefixes search the whole text.
func (f *fts5Engine) where(q string, scope wenyuan.ReadScope, from, to *int) (string, []any, bool, error) {
	p, err := search.ParseQuery(q)
	if err != nil {
		return "", nil, false, err
	}
	var match, not []string
	var conds []string
	var args []any
	for _, c := range p.Clauses {
		t := strings.ReplaceAll(c.Text, `"`, `""`)
		if utf8.RuneCountInString(c.Text) >= 3 {
			if c.Exclude {
				not = append(not, `"`+t+`"`)
			} else {
				match = append(match, `"`+t+`"`)
			}
			continue
		}
		op := "LIKE"
		if c.Exclude {
			op = "NOT LIKE"
		}
		conds = append(conds, "fts.text "+op+" ?")
		args = append(args, "%"+c.Text+"%")
	}
	hasMatch := len(match) > 0
	if hasMatch {
		expr := strings.Join(match, " AND ")
		for _, n := range not {
			expr += " NOT " + n
		}
		conds = append([]string{"fts MATCH ?"}, conds...)
		args = append([]any{expr}, args...)
	} else {
		for _, n := range not {
			conds = append(conds, "fts.text NOT LIKE ?")
			args = append(args, "%"+strings.Trim(n, `"`)+"%")
		}
	}
	vis := []string{"'public'"}
	if scope.Consortium {
		vis = append(vis, "'consortium'")
	}
	visCond := "m.visibility IN (" + strings.Join(vis, ",") + ")"
	if scope.Institution != "" {
		visCond = "(" + visCond + " OR (m.visibility = 'internal' AND m.institution = ?))"
		args = append(args, scope.Institution)
	}
	conds = append(conds, visCond)
	if p.From != nil {
		from = p.From
	}
	if p.To != nil {
		to = p.To
	}
	if from != nil {
		conds = append(conds, "m.latest >= ?")
		args = append(args, *from)
	}
	if to != nil {
		conds = append(conds, "m.earliest <= ?")
		args = append(args, *to)
	}
	if len(conds) == 0 {
		conds = []string{"1"}
	}
	return strings.Join(conds, " AND "), args, hasMatch, nil
}

func (f *fts5Engine) search(q string, scope wenyuan.ReadScope, from, to *int, all bool) ([]string, error) {
	where, args, hasMatch, err := f.where(q, scope, from, to)
	if err != nil {
		return nil, err
	}
	base := ` FROM fts JOIN meta m ON m.rowid = fts.rowid WHERE ` + where
	order := " ORDER BY m.rowid"
	if hasMatch {
		order = " ORDER BY rank"
	}
	limit := " LIMIT 20"
	if all {
		limit = ""
	}
	rows, err := f.db.Query(`SELECT m.acc`+base+order+limit, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	var out []string
	for rows.Next() {
		var acc string
		if err := rows.Scan(&acc); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, acc)
	}
	rows.Close()
	if all {
		return out, nil
	}
	for _, col := range []string{"institution", "classification"} {
		rows, err := f.db.Query(`SELECT m.`+col+`, count(*)`+base+` GROUP BY 1 ORDER BY 2 DESC LIMIT 10`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
		}
		rows.Close()
	}
	return out, nil
}

func (f *fts5Engine) close() error { return f.db.Close() }
