package iiif

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// DiskCache keeps computed images in files, behind the memory Cache: they
// outlive a restart and can be far more than memory holds. It is bounded
// by its total size in bytes, dropping the least recently used files past
// it. Keys name a master by its SHA-256 and the canonical request, so an
// entry is never stale and is never invalidated, only dropped.
//
// A file is named by the SHA-256 of its key and holds the key, checked on
// every read, then the body. Files are written whole under a temporary
// name and renamed, by a writer of their own, so that a request never
// waits for the disk to take its result; a write the writer cannot keep
// up with is dropped. Files written by an earlier run are found at open
// and ordered by modification time.
type DiskCache struct {
	dir string
	max int64
	log *slog.Logger

	mu    sync.Mutex
	size  int64
	byKey map[string]*list.Element // file name → element of lru
	lru   *list.List               // of *diskEntry, most recently used first

	writes chan diskWrite // closed, under mu, by Close
	done   chan struct{}
	closed bool // under mu
}

type diskEntry struct {
	name string
	size int64
}

type diskWrite struct {
	name, key string
	body      []byte
}

// diskMagic starts every file; a file without it is not the cache's.
const diskMagic = "WYIC1\n"

// OpenDiskCache opens the cache in dir, bounded by max bytes, creating dir
// if it is missing and taking in the files already there (dropping the
// oldest past max, and files that are not whole entries). logger reports
// writes that fail; nil discards.
func OpenDiskCache(dir string, max int64, logger *slog.Logger) (*DiskCache, error) {
	if max <= 0 {
		return nil, fmt.Errorf("iiif: disk cache %s: size %d is not positive", dir, max)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("iiif: disk cache: %w", err)
	}
	d := &DiskCache{dir: dir, max: max, log: logger, byKey: map[string]*list.Element{}, lru: list.New(),
		writes: make(chan diskWrite, 64), done: make(chan struct{})}
	type found struct {
		name string
		size int64
		mod  time.Time
	}
	var files []found
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		name := e.Name()
		if strings.HasPrefix(name, "tmp-") || !validName(name) {
			os.Remove(path) // a write cut off by a crash, or not ours
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return nil
		}
		files = append(files, found{name, info.Size(), info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("iiif: disk cache %s: %w", dir, err)
	}
	slices.SortFunc(files, func(a, b found) int { return a.mod.Compare(b.mod) })
	for _, f := range files { // oldest first, so the newest end up in front
		d.byKey[f.name] = d.lru.PushFront(&diskEntry{f.name, f.size})
		d.size += f.size
	}
	d.mu.Lock()
	d.trim()
	d.mu.Unlock()
	go d.writer()
	return d, nil
}

// Close stops the writer after the writes already queued; a Put after it
// writes nothing.
func (d *DiskCache) Close() {
	d.mu.Lock()
	if !d.closed {
		d.closed = true
		close(d.writes)
	}
	d.mu.Unlock()
	<-d.done
}

// Size is the bytes the cache's files hold.
func (d *DiskCache) Size() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.size
}

func fileName(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

func validName(name string) bool {
	if len(name) != 64 {
		return false
	}
	_, err := hex.DecodeString(name)
	return err == nil
}

func (d *DiskCache) path(name string) string { return filepath.Join(d.dir, name[:2], name) }

// AppendTo appends the body kept for key to dst, if there is one.
func (d *DiskCache) AppendTo(dst []byte, key string) ([]byte, bool) {
	name := fileName(key)
	d.mu.Lock()
	e, ok := d.byKey[name]
	if ok {
		d.lru.MoveToFront(e)
	}
	d.mu.Unlock()
	if !ok {
		return dst, false
	}
	b, err := readEntry(dst, d.path(name), key)
	if err != nil {
		// Gone, cut short or not this key's: drop it.
		d.remove(name)
		return dst, false
	}
	return b, true
}

// readEntry appends the body of the entry file path to dst if it is whole
// and holds key.
func readEntry(dst []byte, path, key string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return dst, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return dst, err
	}
	head := len(diskMagic) + 2 + len(key) + 8
	n := info.Size() - int64(head)
	if n < 0 || n > 1<<30 {
		return dst, errors.New("not an entry")
	}
	start := len(dst)
	dst = slices.Grow(dst, head+int(n))
	buf := dst[start : start+head+int(n)]
	if _, err := io.ReadFull(f, buf); err != nil {
		return dst[:start], err
	}
	m := len(diskMagic)
	if string(buf[:m]) != diskMagic || int(binary.LittleEndian.Uint16(buf[m:])) != len(key) ||
		string(buf[m+2:m+2+len(key)]) != key || binary.LittleEndian.Uint64(buf[m+2+len(key):]) != uint64(n) {
		return dst[:start], errors.New("not this key's entry")
	}
	copy(buf, buf[head:])
	return dst[:start+int(n)], nil
}

// Put keeps body for key. It copies body and returns at once; the file
// is written by the cache's writer, or not at all if it is behind.
func (d *DiskCache) Put(key string, body []byte) {
	if len(key) > 0xffff || int64(len(body)) > d.max/8 {
		return
	}
	name := fileName(key)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.byKey[name]; ok || d.closed {
		return
	}
	select {
	case d.writes <- diskWrite{name, key, append([]byte(nil), body...)}:
	default: // the disk is behind: this one stays in memory only
	}
}

func (d *DiskCache) writer() {
	defer close(d.done)
	for w := range d.writes {
		if err := d.write(w.name, w.key, w.body); err != nil {
			d.log.Warn("image disk cache: write failed", "dir", d.dir, "err", err)
		}
	}
}

// write writes the entry file name of key and body, and counts it.
func (d *DiskCache) write(name, key string, body []byte) error {
	dir := filepath.Join(d.dir, name[:2])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "tmp-*")
	if err != nil {
		return err
	}
	head := make([]byte, 0, len(diskMagic)+2+len(key)+8)
	head = append(head, diskMagic...)
	head = binary.LittleEndian.AppendUint16(head, uint16(len(key)))
	head = append(head, key...)
	head = binary.LittleEndian.AppendUint64(head, uint64(len(body)))
	_, err = f.Write(append(head, body...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), d.path(name))
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	size := int64(len(head) + len(body))
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.byKey[name]; ok { // written twice: count it once
		d.size -= e.Value.(*diskEntry).size
		d.lru.Remove(e)
	}
	d.byKey[name] = d.lru.PushFront(&diskEntry{name, size})
	d.size += size
	d.trim()
	return nil
}

// trim removes the least recently used files past max. Caller holds mu.
func (d *DiskCache) trim() {
	for d.size > d.max {
		e := d.lru.Back()
		if e == nil {
			return
		}
		de := e.Value.(*diskEntry)
		d.lru.Remove(e)
		delete(d.byKey, de.name)
		d.size -= de.size
		os.Remove(d.path(de.name))
	}
}

func (d *DiskCache) remove(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.byKey[name]; ok {
		d.size -= e.Value.(*diskEntry).size
		d.lru.Remove(e)
		delete(d.byKey, name)
	}
	os.Remove(d.path(name))
}
