package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"wenyuan"
	"wenyuan/exchange"
	"wenyuan/sample"
	"wenyuan/sqlite"
)

func runDemo(e *env, args []string) error {
	c := DefaultConfig()
	fs := newFlags(e, "demo", "[--data DIR] [--addr HOST:PORT]")
	fs.StringVar(&c.Data, "data", envOr("WENYUAN_DATA", "wenyuan-demo"), "data directory, created and loaded with the sample if new")
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:0", "listen address (default: a free port on 127.0.0.1)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fresh := false
	if _, err := os.Stat(filepath.Join(c.Data, "wenyuan.db")); os.IsNotExist(err) {
		fresh = true
	}
	db, err := openDB(c.Data, true)
	if err != nil {
		return err
	}
	if fresh {
		fmt.Fprintf(e.stdout, "new data directory %s: loading the sample collection\n", c.Data)
		if err := LoadSample(e.ctx, db, func(s string) { fmt.Fprintln(e.stdout, s) }); err != nil {
			db.Close()
			os.Remove(filepath.Join(c.Data, "wenyuan.db"))
			return fmt.Errorf("load sample: %w", err)
		}
	}
	return serveUntilDone(e, &Main{Config: c, DB: db})
}

// LoadSample creates the demo's institutions and imports every sample file.
func LoadSample(ctx context.Context, db *sqlite.DB, say func(string)) error {
	ctx = wenyuan.WithActor(ctx, "demo")
	err := db.Batch(ctx, func(b wenyuan.Batch) error {
		for _, inst := range sample.Institutions {
			i := *inst
			if _, err := b.PutRecord(&i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, src := range sample.Sources {
		f, err := sample.FS.Open(src.File)
		if err != nil {
			return err
		}
		opts := exchange.Options{Institution: src.Institution}
		if src.Mapping != "" {
			b, err := sample.FS.ReadFile(src.Mapping)
			if err != nil {
				return err
			}
			if opts.Mapping, err = exchange.ParseMapping(b); err != nil {
				return fmt.Errorf("%s: %w", src.Mapping, err)
			}
		}
		res, err := exchange.Import(ctx, db, f, opts)
		f.Close()
		if err != nil {
			for _, r := range res.Rejects {
				say("  rejected " + r.String())
			}
			return fmt.Errorf("%s: %w", src.File, err)
		}
		say(fmt.Sprintf("  %-24s %4d records", src.File, res.Created+res.Updated+res.Unchanged))
	}
	return nil
}
