package exchange

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestBatchGC checks that an import's collector setting is restored after
// it, and that a GOGC from the environment wins.
func TestBatchGC(t *testing.T) {
	if v, set := os.LookupEnv("GOGC"); set {
		t.Setenv("GOGC", v) // restored after the test
		os.Unsetenv("GOGC")
	}
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := BatchGC()
	if got := debug.SetGCPercent(batchGCPercent); got != batchGCPercent {
		t.Errorf("during an import the GC percent is %d, want %d", got, batchGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after an import the GC percent is %d, want the 100 before it", got)
	}
	t.Setenv("GOGC", "150")
	restore = BatchGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, BatchGC changed the GC percent to %d", got)
	}
	restore()
}
