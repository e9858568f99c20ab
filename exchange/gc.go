package exchange

import (
	"os"
	"runtime/debug"
)

// batchGCPercent is the collector's goal for an import run as a process
// of its own: the heap may grow to five times what is live between
// collections. An import's live heap stays small (rows stream through
// it) while it allocates some 16 KB a row, so at Go's default of 100 it
// collects many times a second; at 400, 15 % more rows a second were
// imported (BenchmarkImport100k, medians of three alternate runs), for a
// heap of tens of megabytes more.
const batchGCPercent = 400

// BatchGC sets the garbage collector for a bulk import in a process that
// does nothing else (the import command), and returns what restores the
// previous setting. A GOGC set in the environment is left alone. A server
// importing beside its requests should not call it: the setting is the
// whole process's.
func BatchGC() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	old := debug.SetGCPercent(batchGCPercent)
	return func() { debug.SetGCPercent(old) }
}
