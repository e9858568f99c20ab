// Package offheap gives big, long-lived byte buffers that live outside
// Go's heap: the rings of Wenyuan's caches. A buffer on the heap counts
// towards the collector's goal, which is twice the live heap: a 128 MiB
// cache lets 128 MiB of garbage pile up before each collection, every page
// of it new memory that the kernel must fault in and zero (13 µs a page on
// a virtual machine), where a small heap reuses pages that are already
// there. Memory from here is not scanned either; it must hold no pointers.
package offheap

import "runtime"

// Bytes returns size zeroed bytes outside Go's heap that are given back
// when owner becomes unreachable: owner must be what holds the buffer, and
// whoever uses the buffer must keep owner reachable meanwhile (the caches
// use theirs only in methods of the owner that hold its lock until they
// return, or with runtime.KeepAlive). populate makes every
// page at once, one system call instead of a fault every 4 KiB: for a
// buffer about to be filled; otherwise pages are made as they are first
// written. Where memory cannot be mapped, Bytes returns a heap slice.
func Bytes[T any](owner *T, size int, populate bool) []byte {
	b := anon(size, populate)
	if b == nil {
		return make([]byte, size)
	}
	runtime.AddCleanup(owner, unmap, b)
	return b
}
