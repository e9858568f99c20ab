// Command gen writes synthetic Walters Art Museum records as JSON Lines, for
// import benchmarks:
//
//	go run ./bench/gen -n 100000 -seed 1 > /tmp/synth.jsonl
//
// Every value comes from the sample file (-sample), recombined at random;
// the same -n and -seed always give the same output.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"wenyuan/bench/gen/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100_000, "number of records")
	seed := fs.Uint64("seed", 1, "random seed")
	sample := fs.String("sample", "sample/walters-chinese.jsonl", "Walters JSON Lines file to draw values from")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *n < 0 {
		fmt.Fprintln(stderr, "usage: gen [-n N] [-seed S] [-sample FILE] > out.jsonl")
		return 2
	}
	if err := generate(*sample, *n, *seed, stdout); err != nil {
		fmt.Fprintf(stderr, "gen: %v\n", err)
		return 1
	}
	return 0
}

func generate(sample string, n int, seed uint64, w io.Writer) error {
	f, err := os.Open(sample)
	if err != nil {
		return err
	}
	defer f.Close()
	v, err := synth.ReadVocabulary(f)
	if err != nil {
		return fmt.Errorf("%s: %w", sample, err)
	}
	return v.Write(w, n, seed)
}
