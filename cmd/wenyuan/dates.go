package main

import (
	"bufio"

	"wenyuan/dating"
)

// runDates reads one date expression per line and writes
// earliest<TAB>latest<TAB>input, both empty when the text is not understood.
func runDates(e *env, args []string) error {
	fs := newFlags(e, "dates", "< lines")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	w := bufio.NewWriter(e.stdout)
	for sc.Scan() {
		line := sc.Text()
		w.WriteString(dating.FormatLine(dating.Parse(line), line))
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		w.Flush()
		return err
	}
	return w.Flush()
}
