package search

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"unsafe"

	"wenyuan"
)

// The index file: a header, the sections, and a CRC-32C of all that came
// before. Anything that changes what analysis makes of a text changes
// analysisVersion, so an index made by another version is rebuilt rather
// than served.
const (
	fileMagic     = "WENYUAN-INDEX\n"
	formatVersion = 8
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// analysisVersion identifies the analysis pipeline: the format, the
// folding table and the pinyin overrides.
func analysisVersion() uint32 {
	h := crc32.Checksum([]byte(foldTSV), castagnoli)
	h = crc32.Update(h, castagnoli, []byte(pinyinOverrideTSV))
	return h ^ formatVersion
}

// ErrDamaged is returned by Load for an index file that is not whole or
// not of this version of Wenyuan.
var ErrDamaged = errors.New("the search index file is damaged or from another version")

type fileWriter struct {
	w   *bufio.Writer
	crc uint32
	err error
	buf [binary.MaxVarintLen64]byte
}

func (f *fileWriter) bytes(b []byte) {
	if f.err != nil {
		return
	}
	f.crc = crc32.Update(f.crc, castagnoli, b)
	_, f.err = f.w.Write(b)
}

func (f *fileWriter) uvarint(v uint64) { f.bytes(f.buf[:binary.PutUvarint(f.buf[:], v)]) }
func (f *fileWriter) varint(v int64)   { f.bytes(f.buf[:binary.PutVarint(f.buf[:], v)]) }
func (f *fileWriter) blob(b []byte)    { f.uvarint(uint64(len(b))); f.bytes(b) }

// slice writes a slice of fixed-size numbers as its length and its bytes
// (little-endian, as on every machine Wenyuan runs on).
func writeSlice[T uint8 | uint16 | uint32 | int32 | uint64](f *fileWriter, s []T) {
	f.uvarint(uint64(len(s)))
	if len(s) > 0 {
		f.bytes(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0]))))
	}
}

// savedAuthority is an authority as the index file keeps it.
type savedAuthority struct {
	ID     string        `json:"id"`
	Kind   wenyuan.Kind  `json:"kind,omitempty"`
	Parent string        `json:"parent,omitempty"`
	Names  wenyuan.Names `json:"names,omitempty"`
	Dyn    bool          `json:"dynasty,omitempty"`
}

// Save writes the index to path atomically (a temporary file renamed over
// it), tagged with the store it was built from.
func (x *Index) Save(path, storeID string) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".search-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	f := &fileWriter{w: bufio.NewWriterSize(tmp, 1<<20)}
	f.bytes([]byte(fileMagic))
	f.uvarint(uint64(analysisVersion()))
	f.blob([]byte(storeID))
	f.varint(x.rev)

	order := x.terms.sorted()
	f.uvarint(uint64(len(order)))
	for _, n := range order {
		p := x.terms.at(n)
		f.blob(x.terms.key(n))
		f.uvarint(uint64(p.n))
		f.uvarint(uint64(p.last))
		f.blob(p.buf)
		writeSlice(f, p.skips)
	}
	d := &x.docs
	f.blob(d.ids)
	writeSlice(f, d.idEnd)
	f.blob(d.accNo)
	writeSlice(f, d.accEnd)
	writeSlice(f, d.inst)
	writeSlice(f, d.vis)
	writeSlice(f, d.flags)
	writeSlice(f, d.earliest)
	writeSlice(f, d.latest)
	writeSlice(f, d.length)
	writeSlice(f, d.facEnd)
	writeSlice(f, d.facets)
	writeSlice(f, d.live)
	f.uvarint(uint64(d.nlive))
	f.uvarint(d.totalLen)
	f.uvarint(uint64(len(x.insts)))
	for _, s := range x.insts {
		f.blob([]byte(s))
	}
	as := make([]savedAuthority, len(x.auth.list))
	for i, a := range x.auth.list {
		as[i] = savedAuthority{a.id, a.kind, a.parent, a.names, a.dynasty}
	}
	b, err := json.Marshal(as)
	if err != nil {
		return err
	}
	f.blob(b)
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], f.crc)
	if f.err == nil {
		_, f.err = f.w.Write(sum[:])
	}
	if f.err == nil {
		f.err = f.w.Flush()
	}
	if f.err == nil {
		f.err = tmp.Sync()
	}
	if err := tmp.Close(); f.err == nil {
		f.err = err
	}
	if f.err != nil {
		return fmt.Errorf("save the search index: %w", f.err)
	}
	return os.Rename(tmp.Name(), path)
}

type fileReader struct {
	b   []byte
	err error
}

func (r *fileReader) fail() {
	if r.err == nil {
		r.err = ErrDamaged
	}
	r.b = nil
}

func (r *fileReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *fileReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *fileReader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	out := r.b[:n:n] // capped: appending copies, never overwrites the next section
	r.b = r.b[n:]
	return out
}

func (r *fileReader) blob() []byte { return r.bytes(r.uvarint()) }

func readSlice[T uint8 | uint16 | uint32 | int32 | uint64](r *fileReader) []T {
	n := r.uvarint()
	var zero T
	size := uint64(unsafe.Sizeof(zero))
	if n > uint64(len(r.b))/size {
		r.fail()
		return nil
	}
	b := r.bytes(n * size)
	out := make([]T, n) // copied: the file's bytes need not be aligned
	if n > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), len(b)), b)
	}
	return out
}

// Load reads an index saved by Save. It returns ErrDamaged for a file cut
// short, altered, or made by a version of Wenyuan that analyses text
// differently, and the store id the index was built from.
func Load(path string) (*Index, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	if len(b) < len(fileMagic)+4 || string(b[:len(fileMagic)]) != fileMagic {
		return nil, "", ErrDamaged
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, "", ErrDamaged
	}
	r := &fileReader{b: body[len(fileMagic):]}
	if uint32(r.uvarint()) != analysisVersion() {
		return nil, "", ErrDamaged
	}
	storeID := string(r.blob())
	x := NewIndex()
	x.rev = r.varint()
	nterms := r.uvarint()
	if nterms > uint64(len(r.b)) {
		return nil, "", ErrDamaged
	}
	x.terms = newTermDict(int(nterms))
	for range nterms {
		k := r.blob()
		if r.err != nil {
			return nil, "", r.err
		}
		if x.terms.get(string(k)) != nil {
			return nil, "", ErrDamaged // a key twice
		}
		p := x.terms.term(k)
		p.n, p.last = uint32(r.uvarint()), uint32(r.uvarint())
		p.buf = r.blob()
		p.skips = readSlice[uint32](r)
		if len(p.skips) > 0 {
			p.skips = p.skips[:len(p.skips):len(p.skips)]
		}
		if r.err != nil {
			return nil, "", r.err
		}
	}
	d := &x.docs
	d.ids = r.blob()
	d.idEnd = readSlice[uint32](r)
	d.accNo = r.blob()
	d.accEnd = readSlice[uint32](r)
	d.inst = readSlice[uint16](r)
	d.vis = readSlice[uint8](r)
	d.flags = readSlice[uint8](r)
	d.earliest = readSlice[int32](r)
	d.latest = readSlice[int32](r)
	d.length = readSlice[uint32](r)
	d.facEnd = readSlice[uint32](r)
	d.facets = readSlice[uint32](r)
	d.live = readSlice[uint64](r)
	d.nlive = int(r.uvarint())
	d.totalLen = r.uvarint()
	ninst := r.uvarint()
	if ninst > 1<<16 {
		return nil, "", ErrDamaged
	}
	for range ninst {
		x.institution(string(r.blob()))
	}
	var as []savedAuthority
	ab := r.blob()
	if r.err != nil {
		return nil, "", r.err
	}
	if err := json.Unmarshal(ab, &as); err != nil {
		return nil, "", ErrDamaged
	}
	for _, a := range as {
		n := x.auth.number(a.ID)
		x.auth.list[n] = authority{id: a.ID, kind: a.Kind, parent: a.Parent, names: a.Names, folded: typeaheadKeys(a.Names), dynasty: a.Dyn}
		x.auth.indexNames(n, a.Names, true)
		x.auth.indexPinyin(n, a.Names, true)
	}
	if r.err != nil || len(r.b) != 0 || !x.consistent() {
		return nil, "", ErrDamaged
	}
	x.byID = newHashIndex(d.nlive)
	for doc := range uint32(d.len()) {
		if d.isLive(doc) {
			x.setLive(doc)
		}
	}
	return x, storeID, nil
}

// consistent checks that the columns agree with each other, so that a file
// that passed its checksum but was written wrongly cannot make a search
// read out of bounds.
func (x *Index) consistent() bool {
	d := &x.docs
	n := len(d.inst)
	if len(d.idEnd) != n || len(d.accEnd) != n || len(d.vis) != n || len(d.flags) != n || len(d.earliest) != n ||
		len(d.latest) != n || len(d.length) != n || len(d.facEnd) != n || len(d.live) != (n+63)/64 {
		return false
	}
	last := uint32(0)
	for i := range n {
		if d.idEnd[i] < last || int(d.inst[i]) >= len(x.insts) || int(d.vis[i]) >= len(visibilities) {
			return false
		}
		last = d.idEnd[i]
	}
	if n > 0 && (int(d.idEnd[n-1]) != len(d.ids) || int(d.accEnd[n-1]) != len(d.accNo) || int(d.facEnd[n-1]) != len(d.facets)) {
		return false
	}
	for _, v := range d.facets {
		if int(v>>3) >= len(x.auth.list) {
			return false
		}
	}
	for t := range uint32(x.terms.len()) {
		if p := x.terms.at(t); p.n > 0 && int(p.last) >= n {
			return false
		}
	}
	return true
}
