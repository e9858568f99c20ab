// Command wenyuan runs Wenyuan (文渊): the server, the demo, bulk import and
// export, and the date parser, on one data directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"wenyuan"
	"wenyuan/vips"
)

func main() {
	vips.RunIfChild() // a pyramid writer started by ingest
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a subcommand reads and writes.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve an existing data directory over HTTP", runServe},
		{"demo", "create a data directory with the sample collection and serve it", runDemo},
		{"import", "import a CSV or JSON Lines file through a mapping, or a Wenyuan export", runImport},
		{"export", "export every record as JSON Lines or CSV", runExport},
		{"institutions", "add or list the partner institutions", runInstitutions},
		{"users", "add, list, set-roles, disable, enable, reset-password of users", runUsers},
		{"dates", "read date texts on stdin, write earliest<TAB>latest<TAB>text", runDates},
		{"migrate", "create or upgrade a data directory's database", runMigrate},
		{"reindex", "rebuild the search index from the store", runReindex},
		{"images", "add master images to objects (images add OBJECT-ID FILE...)", runImages},
	}
}

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(e, args[1:])
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "wenyuan %s: %s\n", c.name, describe(err))
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		if errors.Is(err, context.Canceled) {
			return 130
		}
		return 1
	}
	fmt.Fprintf(stderr, "wenyuan: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// describe renders an error for a person at a terminal, one field per line.
func describe(err error) string {
	fields := wenyuan.ErrorFields(err)
	if len(fields) == 0 {
		return err.Error()
	}
	var b strings.Builder
	var we *wenyuan.Error
	if errors.As(err, &we) {
		b.WriteString(we.Message)
	}
	for _, f := range fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return b.String()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: wenyuan <command> [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun wenyuan <command> -h for a command's flags.")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("wenyuan "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: wenyuan %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, allowing flags after positional arguments too.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dataFlag adds --data with its default from WENYUAN_DATA.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", os.Getenv("WENYUAN_DATA"), "data directory (default $WENYUAN_DATA)")
}
