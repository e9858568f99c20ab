package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"

	"wenyuan/exchange"
)

func runExport(e *env, args []string) error {
	fs := newFlags(e, "export", "--data DIR [--format jsonl|csv] [--out FILE]")
	data := dataFlag(fs)
	format := fs.String("format", "jsonl", "jsonl (every record, lossless, imports back without a mapping) or csv (objects, one row each)")
	out := fs.String("out", "-", "output file; - for standard output")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *format != "jsonl" && *format != "csv" {
		return usageError{"--format must be jsonl or csv"}
	}
	db, err := openDB(*data, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var w io.Writer = e.stdout
	var f *os.File
	if *out != "-" {
		// Write beside the target and rename, so a failed export leaves no
		// half-written file behind.
		f, err = os.CreateTemp(filepath.Dir(*out), ".export-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if *format == "csv" {
		err = exchange.ExportCSV(e.ctx, db, bw)
	} else {
		err = exchange.ExportJSONL(e.ctx, db, bw)
	}
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), *out)
		}
	}
	return err
}
