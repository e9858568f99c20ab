//go:build !linux

package iiif

import "os"

func newChunk(size int) []byte { return make([]byte, size) }

func mapFile(*os.File, int64) []byte { return nil }

func unmapFile([]byte) {}
