package offheap

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// TestBytes checks that a buffer is zeroed and writable, and that it is
// given back to the kernel once its owner is gone.
func TestBytes(t *testing.T) {
	for _, populate := range []bool{false, true} {
		// Not a tiny object: the runtime packs those together, and a
		// cleanup waits for every one in the block.
		owner := new([64]byte)
		const size = 3<<20 + 7*4096
		b := Bytes(owner, size, populate)
		if len(b) != size {
			t.Fatalf("populate %v: %d bytes, want %d", populate, len(b), size)
		}
		for i := 0; i < size; i += 4096 {
			if b[i] != 0 {
				t.Fatalf("populate %v: byte %d is %d, want 0", populate, i, b[i])
			}
			b[i] = 1
		}
		if runtime.GOOS != "linux" {
			continue
		}
		start := uintptr(unsafe.Pointer(&b[0]))
		if !mapped(t, start) {
			t.Fatalf("populate %v: %x not in /proc/self/maps", populate, start)
		}
		runtime.KeepAlive(owner)
		b, owner = nil, nil
		deadline := time.Now().Add(5 * time.Second)
		for mapped(t, start) {
			if time.Now().After(deadline) {
				t.Fatalf("populate %v: still mapped after its owner was collected", populate)
			}
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// mapped says whether address a is in a mapping of the process.
func mapped(t *testing.T, a uintptr) bool {
	t.Helper()
	m, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(m), "\n") {
		var lo, hi uintptr
		if _, err := fmt.Sscanf(l, "%x-%x", &lo, &hi); err == nil && lo <= a && a < hi {
			return true
		}
	}
	return false
}
