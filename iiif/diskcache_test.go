package iiif

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestDiskCache keeps bodies across a restart, within its size, most
// recently used first, and treats damaged, foreign and half-written files
// as absent.
func TestDiskCache(t *testing.T) {
	dir := t.TempDir()
	body := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 1000+i) }
	key := func(i int) string { return fmt.Sprintf("%064d/full/max/0/default.jpg#%d", 0, i) }
	d, err := OpenDiskCache(dir, 20_000, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		d.Put(key(i), body(i))
	}
	d.Close() // the writes are done
	for i := range 10 {
		if b, ok := d.AppendTo([]byte("x"), key(i)); !ok || !bytes.Equal(b, append([]byte("x"), body(i)...)) {
			t.Fatalf("entry %d: %v, %d bytes", i, ok, len(b))
		}
	}

	// After a restart the entries are there; past the size, the least
	// recently used go first.
	d, err = OpenDiskCache(dir, 20_000, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.AppendTo(nil, key(0)); !ok {
		t.Fatal("entry 0 lost in a restart")
	}
	for i := 10; i < 20; i++ {
		d.Put(key(i), body(i))
	}
	d.Close()
	if s := d.Size(); s > 20_000 {
		t.Errorf("cache holds %d bytes, over its 20,000", s)
	}
	if _, ok := d.AppendTo(nil, key(0)); !ok {
		t.Error("entry 0, read just before, was dropped before older ones")
	}
	if _, ok := d.AppendTo(nil, key(1)); ok {
		t.Error("entry 1, the least recently used, is still kept")
	}
	if _, ok := d.AppendTo(nil, key(19)); !ok {
		t.Error("entry 19, the newest, is missing")
	}

	// A file cut short, a file holding another key, a half-written file
	// and a stranger.
	cut := filepath.Join(dir, fileName(key(19))[:2], fileName(key(19)))
	b, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, b[:len(b)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.AppendTo(nil, key(19)); ok {
		t.Error("a file cut short was served")
	}
	if _, err := os.Stat(cut); !os.IsNotExist(err) {
		t.Error("a file cut short was not removed")
	}
	other := filepath.Join(dir, fileName(key(18))[:2], fileName(key(18)))
	b, err = os.ReadFile(filepath.Join(dir, fileName(key(17))[:2], fileName(key(17))))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, ok := d.AppendTo(nil, key(18)); ok {
		t.Errorf("a file holding another key was served for key 18: %d bytes", len(got))
	}
	tmp := filepath.Join(dir, "ab", "tmp-123")
	stranger := filepath.Join(dir, "notes.txt")
	os.MkdirAll(filepath.Dir(tmp), 0o755)
	os.WriteFile(tmp, []byte("half"), 0o644)
	os.WriteFile(stranger, []byte("hello"), 0o644)
	d, err = OpenDiskCache(dir, 20_000, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, p := range []string{tmp, stranger} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was not cleared at open", p)
		}
	}
	if _, ok := d.AppendTo(nil, key(0)); !ok {
		t.Error("entry 0 lost in the second restart")
	}
	d.Close()
	d.Put(key(30), body(30)) // after Close: nothing, and no panic
	if _, ok := d.AppendTo(nil, key(30)); ok {
		t.Error("a Put after Close was kept")
	}
	if _, err := OpenDiskCache(t.TempDir(), 0, nil); err == nil {
		t.Error("a disk cache of 0 bytes opened")
	}
}

// TestServiceDiskCache checks that a computed image is written to the
// disk cache and that a server with an empty memory cache answers from it.
func TestServiceDiskCache(t *testing.T) {
	s := serveValidatorImage(t)
	dir := t.TempDir()
	d, err := OpenDiskCache(dir, 64<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.svc.Disk = d
	const path = "100,100,300,200/150,/0/gray.png"
	res, err := s.render(t, path)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte(nil), res.Body...)
	res.Release()
	d.Close()
	key := s.src.SHA256 + "/" + res.Canonical
	if b, ok := d.AppendTo(nil, key); !ok || !bytes.Equal(b, want) {
		t.Fatalf("the computed image is not on disk (%v, %d bytes)", ok, len(b))
	}

	// A fresh memory cache: the answer must come from the disk. The file
	// is made to hold a marker, so that a recomputation would show.
	fresh := NewService(s.svc.Files, 8<<20)
	defer fresh.Close()
	d2, err := OpenDiskCache(dir, 64<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Disk = d2
	d2.Close()
	if err := d2.write(fileName(key), key, []byte("from the disk")); err != nil {
		t.Fatal(err)
	}
	req, err := parsePath(path)
	if err != nil {
		t.Fatal(err)
	}
	j, err := fresh.Prepare(s.src, req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := fresh.Render(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != "from the disk" {
		t.Errorf("a server with an empty memory cache computed the image again instead of reading the disk (%d bytes)", len(got.Body))
	}
}

// BenchmarkDiskCacheHit reads a 200 KB entry (a 1024-px view) back from
// the disk cache, the page cache holding the file.
func BenchmarkDiskCacheHit(b *testing.B) {
	d, err := OpenDiskCache(b.TempDir(), 64<<20, nil)
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 200<<10/16)
	const key = "0000/full/1024,/0/default.jpg"
	if err := d.write(fileName(key), key, body); err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	buf := make([]byte, 0, 256<<10)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var ok bool
		if buf, ok = d.AppendTo(buf[:0], key); !ok {
			b.Fatal("miss")
		}
	}
}
