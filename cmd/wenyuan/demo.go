package main

import (
	"fmt"
	"os"
	"path/filepath"

	"wenyuan/sample"
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
		if err := sample.Load(e.ctx, db, func(s string) { fmt.Fprintln(e.stdout, s) }); err != nil {
			db.Close()
			os.Remove(filepath.Join(c.Data, "wenyuan.db"))
			return fmt.Errorf("load sample: %w", err)
		}
	}
	return serveUntilDone(e, &Main{Config: c, DB: db})
}
