package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"wenyuan"
	"wenyuan/exchange"
)

func runImport(e *env, args []string) error {
	fs := newFlags(e, "import", "--data DIR [--institution SLUG --mapping FILE] [--encoding gb18030] [--partial] [--rejects FILE] INPUT")
	data := dataFlag(fs)
	inst := fs.String("institution", "", "institution that owns the imported objects")
	mapping := fs.String("mapping", "", "mapping file (YAML or JSON); without it INPUT must be a Wenyuan JSON Lines export")
	encoding := fs.String("encoding", "", "input encoding: utf-8 (default) or gb18030 (also GBK/GB2312)")
	format := fs.String("format", "", "input format: csv or jsonl (default: the mapping's, else from the file name); lido or linked-art for a partner's LIDO XML or Linked Art JSON-LD")
	base := fs.String("base", "", "lido, linked-art: the public URL of the Wenyuan that wrote the file, whose record URLs become ids again")
	partial := fs.Bool("partial", false, "import the good rows even if some are rejected (default: a file with rejected rows imports nothing)")
	rejects := fs.String("rejects", "", "where to write rejected rows (default: INPUT.rejects.csv or .jsonl beside the input)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"give exactly one INPUT file (or - for standard input)"}
	}
	input := pos[0]
	defer exchange.BatchGC()()
	if *format == "lido" || *format == "linked-art" {
		return importStandard(e, *data, input, exchange.StandardOptions{Format: *format, Institution: *inst, Base: strings.TrimSuffix(*base, "/"), Partial: *partial})
	}
	if *base != "" {
		return usageError{"--base goes with --format lido or linked-art"}
	}
	opts := exchange.Options{Institution: *inst, Encoding: *encoding, Format: *format, Partial: *partial}
	if *mapping != "" {
		m, err := exchange.ReadMapping(*mapping)
		if err != nil {
			return err
		}
		opts.Mapping = m
		if opts.Format == "" && m.Format == "" {
			opts.Format = exchange.FormatOf(input)
		}
	} else if *inst != "" {
		return usageError{"--institution goes with --mapping; a Wenyuan export names its institutions itself"}
	}
	var in io.Reader = e.stdin
	if input != "-" {
		f, err := os.Open(input)
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			opts.Size = st.Size()
		}
		in = f
	}
	opts.RejectsPath = *rejects
	if opts.RejectsPath == "" && input != "-" {
		ext := ".csv"
		if opts.Format == "jsonl" || (opts.Mapping != nil && opts.Mapping.Format == "jsonl") || opts.Mapping == nil {
			ext = ".jsonl"
		}
		opts.RejectsPath = input + ".rejects" + ext
	}
	db, err := openDB(*data, false)
	if err != nil {
		return err
	}
	defer db.Close()
	bar := newProgress(e.stderr, "import", "rows")
	opts.Progress = bar.update
	opts.ProgressEvery = bar.every
	ctx := wenyuan.WithActor(e.ctx, "cli:import")
	res, err := exchange.Import(ctx, db, in, opts)
	bar.done()
	for i, r := range res.Rejects {
		if i == 20 {
			fmt.Fprintf(e.stderr, "… and %d more\n", len(res.Rejects)-20)
			break
		}
		fmt.Fprintf(e.stderr, "rejected %s\n", r)
	}
	if len(res.Rejects) > 0 && opts.RejectsPath != "" {
		fmt.Fprintf(e.stderr, "%d rejected rows written to %s\n", len(res.Rejects), opts.RejectsPath)
	}
	switch {
	case errors.Is(err, exchange.ErrRejected):
		return fmt.Errorf("%d of %d rows rejected; nothing was imported (fix them, or use --partial to import the %d good rows)", len(res.Rejects), res.Rows, res.Rows-len(res.Rejects))
	case errors.Is(err, e.ctx.Err()) && e.ctx.Err() != nil:
		return fmt.Errorf("interrupted; nothing was imported: %w", e.ctx.Err())
	case err != nil:
		return err
	}
	secs := res.Elapsed.Seconds()
	fmt.Fprintf(e.stdout, "imported %d rows in %.1fs (%.0f rows/s): %d created, %d updated, %d unchanged, %d rejected\n",
		res.Rows, secs, float64(res.Rows)/max(secs, 1e-9), res.Created, res.Updated, res.Unchanged, len(res.Rejects))
	if res.DatesNotUnderstood > 0 {
		fmt.Fprintf(e.stdout, "%d date texts were not understood; they are kept as written, without years\n", res.DatesNotUnderstood)
	}
	return nil
}

// importStandard imports a LIDO or Linked Art file.
func importStandard(e *env, data, input string, opts exchange.StandardOptions) error {
	var in io.Reader = e.stdin
	if input != "-" {
		f, err := os.Open(input)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	db, err := openDB(data, false)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := wenyuan.WithActor(e.ctx, "cli:import")
	res, err := exchange.ImportStandard(ctx, db, in, opts)
	for i, r := range res.Rejects {
		if i == 20 {
			fmt.Fprintf(e.stderr, "… and %d more\n", len(res.Rejects)-20)
			break
		}
		fmt.Fprintf(e.stderr, "rejected record %d: %s\n", r.Row, strings.TrimPrefix(r.String(), fmt.Sprintf("row %d", r.Row)+": "))
	}
	for i, n := range res.Notes {
		if i == 20 {
			fmt.Fprintf(e.stderr, "… and %d more notes\n", len(res.Notes)-20)
			break
		}
		fmt.Fprintf(e.stderr, "record %d, %s: not kept: %s\n", n.Record, n.Element, n.Reason)
	}
	switch {
	case errors.Is(err, exchange.ErrRejected):
		return fmt.Errorf("%d of %d records rejected; nothing was imported (fix them, or use --partial to import the %d good ones)", len(res.Rejects), res.Rows, res.Rows-len(res.Rejects))
	case err != nil:
		return err
	}
	fmt.Fprintf(e.stdout, "imported %d records: %d created, %d updated, %d unchanged, %d rejected\n", res.Rows, res.Created, res.Updated, res.Unchanged, len(res.Rejects))
	return nil
}

// progress draws an import's progress: a bar with rate and ETA on a
// terminal, a plain line every few seconds otherwise.
type progress struct {
	w     io.Writer
	label string // "import"
	unit  string // "rows"
	tty   bool
	every time.Duration
	last  exchange.Progress
	drawn bool
}

func newProgress(w io.Writer, label, unit string) *progress {
	p := &progress{w: w, label: label, unit: unit, every: 5 * time.Second}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty, p.every = true, 200*time.Millisecond
		}
	}
	return p
}

func (p *progress) update(s exchange.Progress) {
	p.last = s
	rate := float64(s.Rows) / max(s.Elapsed.Seconds(), 1e-9)
	if !p.tty {
		if s.Rows > 0 {
			fmt.Fprintf(p.w, "%s: %d %s, %.0f %s/s, %s\n", p.label, s.Rows, p.unit, rate, p.unit, s.Elapsed.Round(time.Second))
		}
		return
	}
	const width = 30
	frac := 0.0
	if s.Size > 0 {
		frac = min(float64(s.Bytes)/float64(s.Size), 1)
	}
	n := int(frac * width)
	eta := "?"
	if frac > 0 {
		eta = (time.Duration(float64(s.Elapsed)/frac) - s.Elapsed).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d %s  %.0f %s/s  ETA %s   ", strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, s.Rows, p.unit, rate, p.unit, eta)
	p.drawn = true
}

func (p *progress) done() {
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
	}
}
