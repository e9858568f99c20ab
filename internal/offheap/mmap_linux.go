package offheap

import "syscall"

func anon(size int, populate bool) []byte {
	if size <= 0 {
		return nil
	}
	flags := syscall.MAP_ANON | syscall.MAP_PRIVATE
	if populate {
		flags |= syscall.MAP_POPULATE
	}
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, flags)
	if err != nil {
		return nil
	}
	return b
}

func unmap(b []byte) { syscall.Munmap(b) }
