//go:build !linux

package offheap

func anon(int, bool) []byte { return nil }

func unmap([]byte) {}
