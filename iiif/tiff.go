package iiif

// Reading stored tiles out of tiled pyramidal TIFF files without decoding
// them.
//
// The files this is written for come from libvips 8.14:
//
//	vips tiffsave in.jpg out.tif --tile --pyramid --compression jpeg -Q 85 \
//		--tile-width 256 --tile-height 256 [--bigtiff] [--subifd]
//
// What libvips 8.14 writes (checked on generated files, see tiff_test.go):
//
//   - Byte order is the host's (little-endian "II" on x86 and arm64);
//     --bigtiff gives a BigTIFF (version 43) with LONG8 TileOffsets and LONG
//     TileByteCounts, otherwise TileOffsets and TileByteCounts are LONG.
//   - Every level has ImageWidth, ImageLength, BitsPerSample (8 per sample),
//     Compression 7 (JPEG), PhotometricInterpretation, Orientation 1,
//     SamplesPerPixel, X/YResolution, PlanarConfiguration 1 (chunky),
//     ResolutionUnit, TileWidth, TileLength, TileOffsets, TileByteCounts and
//     JPEGTables; the first level also has SampleFormat. Reduced levels carry
//     NewSubfileType 1 (reduced-resolution image).
//   - Three-band images are stored with PhotometricInterpretation 6 (YCbCr),
//     no YCbCrSubsampling tag (so the default 2×2 applies) and a
//     ReferenceBlackWhite tag; the JPEG streams are YCbCr 4:2:0 with
//     component ids 1, 2, 3 and no JFIF or Adobe marker. A decoder treats
//     such a standalone JPEG as YCbCr, which is right, so nothing needs
//     adding. An alpha band is dropped by libvips when it saves as JPEG
//     (RGBA input gives a 3-band YCbCr file). One-band images are stored
//     with PhotometricInterpretation 1 (BlackIsZero) and one-component JPEG.
//   - JPEGTables is an abbreviated JPEG stream: SOI, two (grey: one) DQT and
//     four (grey: two) DHT segments, EOI. Each tile is SOI, SOF0, SOS, the
//     entropy-coded scan and EOI, with no tables of its own.
//   - Pyramid levels are the IFD chain, largest first; with --subifd, the
//     reduced levels are instead listed in the SubIFDs tag (type IFD) of the
//     first IFD, and the chain holds only the full-resolution image.
//   - Each level is floor(w/2) × floor(h/2) of the one above (601×401 gives
//     300×200, then 150×100). With the default --depth onetile, libvips adds
//     a level below one of w×h while w > TileWidth or h > TileHeight and
//     both halves are at least 1, so the smallest level fits in one tile
//     (600×400 with 256×256 tiles gives 600×400, 300×200, 150×100;
//     512×512 gives 512×512, 256×256; 256×256 gives a single level).
//     With --depth onepixel it goes on while both halves are at least 1
//     (601×401 ends with 4×3, 2×1); --depth one writes no reduced levels.
//     Each level is the 2×2 mean of the one above (region-shrink mean;
//     checked to within 1 against vips shrink of the cropped level above),
//     and because halving floors, level i is a 2^i shrink of the top-left
//     floor(W/2^i)·2^i × floor(H/2^i)·2^i pixels of the full image, scale
//     factor exactly 2^i: pixel (x, y) of level i covers full-image
//     pixels [x·2^i, (x+1)·2^i) × [y·2^i, (y+1)·2^i); the last W mod 2^i
//     columns and H mod 2^i rows of the full image are not in level i.
//     IIIF computes the size of a scaled region with ceil, so for the last
//     tile column of a level where W mod 2^i != 0 the IIIF tile is
//     ceil((W-x)/2^i) wide but the level holds floor(W/2^i)-x/2^i columns
//     there: one pixel fewer (likewise for rows).
//   - Edge tiles are stored at full TileWidth × TileHeight like every other
//     tile (TIFF requires it); libvips fills the part outside the image with
//     black (zero), so a decoder shows black margins to the right and below.

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
)

// TIFF tags read by OpenPyramid.
const (
	tiffTagNewSubfileType  = 254
	tiffTagImageWidth      = 256
	tiffTagImageLength     = 257
	tiffTagCompression     = 259
	tiffTagPhotometric     = 262
	tiffTagStripOffsets    = 273
	tiffTagSamplesPerPixel = 277
	tiffTagPlanarConfig    = 284
	tiffTagTileWidth       = 322
	tiffTagTileLength      = 323
	tiffTagTileOffsets     = 324
	tiffTagTileByteCounts  = 325
	tiffTagSubIFDs         = 330
	tiffTagJPEGTables      = 347
)

// TIFF field types used by the tags above.
const (
	tiffTypeByte      = 1
	tiffTypeShort     = 3
	tiffTypeLong      = 4
	tiffTypeUndefined = 7
	tiffTypeIFD       = 13
	tiffTypeLong8     = 16
	tiffTypeIFD8      = 18
)

// Limits that keep a malformed file from causing huge allocations.
const (
	tiffMaxTileBytes   = 16 << 20 // a single stored tile
	tiffMaxTablesBytes = 1 << 20  // JPEGTables
	tiffMaxIFDEntries  = 1 << 16  // entries in one IFD (BigTIFF allows more)
	tiffMaxLevels      = 64       // pyramid levels
	tiffMaxTileSide    = 1 << 16  // TileWidth, TileLength (JPEG allows 65535)
	tiffMaxImageSide   = 1 << 31  // ImageWidth, ImageLength
)

// tiffCompressionJPEG is the TIFF Compression value for JPEG ("new-style",
// TIFF Technical Note 2).
const tiffCompressionJPEG = 7

// Pyramid is an open tiled pyramidal TIFF. It is safe for concurrent use:
// tiles are copied out of the file mapped into memory (on Linux), or read
// with ReadAt.
type Pyramid struct {
	f      *os.File
	name   string
	size   int64
	levels []Level
	// data is the file mapped read-only, or nil. A tile read from it
	// costs no system call (each one costs some 10 µs on this virtual
	// machine, a third of a cold tile's time). It is unmapped by Close,
	// or when the Pyramid is collected.
	data    []byte
	unmap   runtime.Cleanup
	closing sync.Once
}

// Level is one resolution of the pyramid, largest first. Level i of a file
// written by libvips is floor(W/2^i) × floor(H/2^i) of the full W×H image,
// so its scale factor is exactly 2^i (not W/Width): tile (col, row) covers
// full-image pixels from (col·TileWidth·2^i, row·TileHeight·2^i), each
// level pixel a 2^i × 2^i block.
type Level struct {
	Width, Height         int // size in pixels
	TileWidth, TileHeight int // size of every stored tile, edge tiles included
	Compression           int // TIFF compression tag value (7 = JPEG)
	Bands                 int // samples per pixel

	photometric int // PhotometricInterpretation, -1 if absent
	planar      int // PlanarConfiguration
	across      int // tiles per row
	down        int // tiles per column
	offsets     []uint64
	counts      []uint64
	tables      []byte // JPEGTables without its SOI and EOI, or nil
}

// jpegTiles says why Tile cannot give the level's tiles as JPEG streams
// of their own, or nil if it can.
func (l *Level) jpegTiles() error {
	if l.Compression != tiffCompressionJPEG {
		return fmt.Errorf("compression %d, not JPEG (7)", l.Compression)
	}
	if l.planar != 1 {
		return fmt.Errorf("planar configuration %d not supported", l.planar)
	}
	switch {
	case l.Bands == 1 && l.photometric == 1:
	case l.Bands == 3 && (l.photometric == 6 || l.photometric == 2):
	default:
		return fmt.Errorf("photometric %d with %d bands not supported", l.photometric, l.Bands)
	}
	return nil
}

// Tiles returns the number of tile columns and rows of the level:
// ceil(Width/TileWidth) and ceil(Height/TileHeight).
func (l Level) Tiles() (cols, rows int) { return l.across, l.down }

// OpenPyramid opens path and reads its directory: the first IFD is the
// full-resolution level; if it has a SubIFDs tag, those IFDs are the reduced
// levels, otherwise the following IFDs of the chain that are marked as
// reduced-resolution images (NewSubfileType bit 0) are, up to the first one
// that is not. Levels are returned largest first. Every level must be tiled.
// An error names the file and what is wrong.
func OpenPyramid(path string) (*Pyramid, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("iiif: open pyramid: %w", err)
	}
	p, err := readPyramid(f, path)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("iiif: pyramid %s: %w", path, err)
	}
	return p, nil
}

func readPyramid(f *os.File, name string) (*Pyramid, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	r := &tiffReader{f: f, size: fi.Size()}
	first, err := r.header()
	if err != nil {
		return nil, err
	}
	seen := map[uint64]bool{}
	d, err := r.ifd(first, seen)
	if err != nil {
		return nil, fmt.Errorf("IFD 0: %w", err)
	}
	l, err := r.level(d)
	if err != nil {
		return nil, fmt.Errorf("IFD 0: %w", err)
	}
	levels := []Level{l}
	if e, ok := d.entries[tiffTagSubIFDs]; ok {
		subs, err := r.uints(e, -1, false)
		if err != nil {
			return nil, fmt.Errorf("IFD 0: SubIFDs: %w", err)
		}
		if len(subs) >= tiffMaxLevels {
			return nil, fmt.Errorf("IFD 0: %d SubIFDs, want at most %d", len(subs), tiffMaxLevels-1)
		}
		for i, off := range subs {
			sd, err := r.ifd(off, seen)
			if err != nil {
				return nil, fmt.Errorf("SubIFD %d: %w", i, err)
			}
			l, err := r.level(sd)
			if err != nil {
				return nil, fmt.Errorf("SubIFD %d: %w", i, err)
			}
			levels = append(levels, l)
		}
	} else {
		for n, off := 1, d.next; off != 0; n++ {
			if n >= tiffMaxLevels {
				return nil, fmt.Errorf("more than %d IFDs", tiffMaxLevels)
			}
			cd, err := r.ifd(off, seen)
			if err != nil {
				return nil, fmt.Errorf("IFD %d: %w", n, err)
			}
			st, _, err := r.uint(cd, tiffTagNewSubfileType, 0)
			if err != nil {
				return nil, fmt.Errorf("IFD %d: %w", n, err)
			}
			if st&1 == 0 {
				break // not a reduced-resolution image: another page
			}
			l, err := r.level(cd)
			if err != nil {
				return nil, fmt.Errorf("IFD %d: %w", n, err)
			}
			levels = append(levels, l)
			off = cd.next
		}
	}
	// libvips writes the levels largest first; make sure of it.
	slices.SortStableFunc(levels, func(a, b Level) int {
		return cmp.Compare(uint64(b.Width)*uint64(b.Height), uint64(a.Width)*uint64(a.Height))
	})
	p := &Pyramid{f: f, name: name, size: r.size, levels: levels}
	if data := mapFile(f, r.size); data != nil {
		p.data = data
		p.unmap = runtime.AddCleanup(p, unmapFile, data)
	}
	return p, nil
}

// Levels returns the levels of the pyramid, largest first. The slice is a
// copy; the caller may keep or modify it.
func (p *Pyramid) Levels() []Level { return slices.Clone(p.levels) }

// Close closes the underlying file and unmaps it. No tile may be being
// read: a pyramid that requests may still be reading is left to the
// garbage collector, which does the same when none can.
func (p *Pyramid) Close() error {
	p.closing.Do(func() {
		if p.data != nil {
			p.unmap.Stop()
			unmapFile(p.data)
			p.data = nil
		}
	})
	return p.f.Close()
}

// Tile returns tile (col, row) of level level as a complete, standalone JPEG
// file appended to dst: SOI, the level's JPEGTables (without their own SOI
// and EOI), the tile's frame and scan, EOI. The compressed data is copied,
// not decoded. It works for JPEG-compressed (Compression 7), chunky levels
// with one grey (BlackIsZero) band or three YCbCr or RGB bands only; for RGB
// data an Adobe APP14 marker with transform 0 is added so that decoders do not
// apply a YCbCr conversion.
//
// The JPEG is always a full TileWidth × TileHeight, edge tiles included: TIFF
// pads edge tiles to full size (libvips pads with black), so for the last
// column and row only the top-left min(TileWidth, Width-col·TileWidth) ×
// min(TileHeight, Height-row·TileHeight) pixels are image; a caller that must
// serve exactly the image area has to decode and crop those tiles.
//
// col, row and level must be in range (see Levels and Level.Tiles). Tile is
// safe for concurrent use; reusing dst[:0] across calls avoids allocation.
func (p *Pyramid) Tile(dst []byte, level, col, row int) ([]byte, error) {
	if level < 0 || level >= len(p.levels) {
		return dst, fmt.Errorf("iiif: pyramid %s: level %d out of range [0,%d)", p.name, level, len(p.levels))
	}
	l := &p.levels[level]
	if col < 0 || col >= l.across || row < 0 || row >= l.down {
		return dst, fmt.Errorf("iiif: pyramid %s: level %d: tile (%d,%d) out of range [0,%d)×[0,%d)", p.name, level, col, row, l.across, l.down)
	}
	if err := l.jpegTiles(); err != nil {
		return dst, fmt.Errorf("iiif: pyramid %s: level %d: %w", p.name, level, err)
	}
	adobe := l.Bands == 3 && l.photometric == 2
	i := row*l.across + col
	off, n := l.offsets[i], l.counts[i]
	switch {
	case n == 0:
		return dst, fmt.Errorf("iiif: pyramid %s: level %d: tile (%d,%d) is missing (byte count 0)", p.name, level, col, row)
	case n < 4:
		return dst, fmt.Errorf("iiif: pyramid %s: level %d: tile (%d,%d) has %d bytes, too short for JPEG", p.name, level, col, row, n)
	case n > tiffMaxTileBytes:
		return dst, fmt.Errorf("iiif: pyramid %s: level %d: tile (%d,%d) has %d bytes, over the %d limit", p.name, level, col, row, n, tiffMaxTileBytes)
	case off > uint64(p.size) || n > uint64(p.size)-off:
		return dst, fmt.Errorf("iiif: pyramid %s: level %d: tile (%d,%d) at %d+%d beyond end of file (%d)", p.name, level, col, row, off, n, p.size)
	}

	// Layout: SOI [APP14] tables tile[2:] [EOI]. The tile is read in place
	// so that its own SOI lands on the last two bytes of the header, which
	// is then written over it.
	hdr := 2 + len(l.tables)
	if adobe {
		hdr += len(jpegAdobeRGB)
	}
	start := len(dst)
	dst = slices.Grow(dst, hdr-2+int(n)+2)
	tile := dst[start+hdr-2 : start+hdr-2+int(n)]
	if err := p.read(tile, off); err != nil {
		return dst[:start], fmt.Errorf("iiif: pyramid %s: level %d: tile (%d,%d): %w", p.name, level, col, row, err)
	}
	if tile[0] != 0xff || tile[1] != 0xd8 {
		return dst[:start], fmt.Errorf("iiif: pyramid %s: level %d: tile (%d,%d) does not start with a JPEG SOI marker", p.name, level, col, row)
	}
	eoi := tile[n-2] == 0xff && tile[n-1] == 0xd9
	dst = dst[:start+hdr-2+int(n)]
	dst[start], dst[start+1] = 0xff, 0xd8
	w := start + 2
	if adobe {
		w += copy(dst[w:], jpegAdobeRGB)
	}
	copy(dst[w:], l.tables)
	if !eoi {
		dst = append(dst, 0xff, 0xd9)
	}
	return dst, nil
}

// read fills b from offset off of the file: from its mapping if it has
// one. A file cut short under the mapping (it never should be: pyramids
// are written once, under a name of their content) is an error, not a
// crash.
func (p *Pyramid) read(b []byte, off uint64) (err error) {
	if p.data == nil {
		_, err := p.f.ReadAt(b, int64(off))
		return err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading the mapped file failed (was it cut short?): %v", r)
		}
	}()
	copy(b, p.data[off:off+uint64(len(b))])
	runtime.KeepAlive(p) // the mapping lives until the copy is done
	return nil
}

// jpegAdobeRGB is an APP14 "Adobe" segment with transform 0: the components are
// RGB (or CMYK), not YCbCr.
var jpegAdobeRGB = []byte{
	0xff, 0xee, 0x00, 0x0e, // APP14, length 14
	'A', 'd', 'o', 'b', 'e',
	0x00, 0x64, // version 100
	0x00, 0x00, // flags0
	0x00, 0x00, // flags1
	0x00, // transform: none
}

// tiffReader reads the structure of a TIFF or BigTIFF file.
type tiffReader struct {
	f    *os.File
	size int64
	bo   binary.ByteOrder
	big  bool
}

// tiffEntry is one IFD entry; val holds the value bytes as stored in the entry
// (4 bytes, or 8 for BigTIFF): the value itself if it fits, else its offset.
type tiffEntry struct {
	typ   uint16
	count uint64
	val   [8]byte
}

// tiffDir is one parsed IFD.
type tiffDir struct {
	entries map[uint16]tiffEntry
	next    uint64
}

var errTIFFTruncated = errors.New("file truncated")

// read reads exactly len(b) bytes at off, checking against the file size.
func (r *tiffReader) read(b []byte, off uint64) error {
	if off > uint64(r.size) || uint64(len(b)) > uint64(r.size)-off {
		return fmt.Errorf("%d bytes at offset %d beyond end of file (%d bytes): %w", len(b), off, r.size, errTIFFTruncated)
	}
	_, err := r.f.ReadAt(b, int64(off))
	return err
}

// header reads the file header and returns the offset of the first IFD.
func (r *tiffReader) header() (uint64, error) {
	var h [16]byte
	if r.size < 8 {
		return 0, fmt.Errorf("%d bytes, too short for a TIFF header", r.size)
	}
	n := 16
	if r.size < 16 {
		n = 8
	}
	if err := r.read(h[:n], 0); err != nil {
		return 0, err
	}
	switch string(h[:2]) {
	case "II":
		r.bo = binary.LittleEndian
	case "MM":
		r.bo = binary.BigEndian
	default:
		return 0, fmt.Errorf("not a TIFF file (byte order %q)", h[:2])
	}
	var off uint64
	switch v := r.bo.Uint16(h[2:]); v {
	case 42:
		off = uint64(r.bo.Uint32(h[4:]))
	case 43:
		if n < 16 || r.bo.Uint16(h[4:]) != 8 || r.bo.Uint16(h[6:]) != 0 {
			return 0, errors.New("bad BigTIFF header")
		}
		r.big = true
		off = r.bo.Uint64(h[8:])
	default:
		return 0, fmt.Errorf("not a TIFF file (version %d)", v)
	}
	if off == 0 {
		return 0, errors.New("no image directory")
	}
	return off, nil
}

// ifd reads the IFD at off; seen guards against loops.
func (r *tiffReader) ifd(off uint64, seen map[uint64]bool) (*tiffDir, error) {
	if seen[off] {
		return nil, fmt.Errorf("IFD offset %d already read (loop)", off)
	}
	seen[off] = true
	countSize, entrySize, offSize := uint64(2), uint64(12), uint64(4)
	if r.big {
		countSize, entrySize, offSize = 8, 20, 8
	}
	var b [8]byte
	if err := r.read(b[:countSize], off); err != nil {
		return nil, fmt.Errorf("entry count: %w", err)
	}
	var n uint64
	if r.big {
		n = r.bo.Uint64(b[:])
	} else {
		n = uint64(r.bo.Uint16(b[:]))
	}
	if n == 0 || n > tiffMaxIFDEntries {
		return nil, fmt.Errorf("%d entries", n)
	}
	buf := make([]byte, n*entrySize+offSize)
	if err := r.read(buf, off+countSize); err != nil {
		return nil, fmt.Errorf("%d entries: %w", n, err)
	}
	d := &tiffDir{entries: make(map[uint16]tiffEntry, n)}
	for i := range n {
		e := buf[i*entrySize : (i+1)*entrySize]
		tag := r.bo.Uint16(e)
		if _, dup := d.entries[tag]; dup {
			continue // the first one wins
		}
		var x tiffEntry
		x.typ = r.bo.Uint16(e[2:])
		if r.big {
			x.count = r.bo.Uint64(e[4:])
			copy(x.val[:], e[12:20])
		} else {
			x.count = uint64(r.bo.Uint32(e[4:]))
			copy(x.val[:], e[8:12])
		}
		d.entries[tag] = x
	}
	if r.big {
		d.next = r.bo.Uint64(buf[n*entrySize:])
	} else {
		d.next = uint64(r.bo.Uint32(buf[n*entrySize:]))
	}
	return d, nil
}

// tiffTypeSize is the size of one value of a TIFF field type, 0 if the type is
// not one this reader accepts.
func tiffTypeSize(t uint16) uint64 {
	switch t {
	case tiffTypeByte, tiffTypeUndefined:
		return 1
	case tiffTypeShort:
		return 2
	case tiffTypeLong, tiffTypeIFD:
		return 4
	case tiffTypeLong8, tiffTypeIFD8:
		return 8
	}
	return 0
}

// data returns the bytes of the first limit values of e (all of them if
// limit is negative), reading them from the file if they do not fit in the entry.
// The size is checked against the file size first.
func (r *tiffReader) data(e tiffEntry, limit int) ([]byte, error) {
	ts := tiffTypeSize(e.typ)
	if ts == 0 {
		return nil, fmt.Errorf("unexpected field type %d", e.typ)
	}
	if e.count > uint64(r.size)/ts {
		return nil, fmt.Errorf("%d values, more than the file holds: %w", e.count, errTIFFTruncated)
	}
	n := e.count * ts
	inline := uint64(4)
	if r.big {
		inline = 8
	}
	if n <= inline {
		return e.val[:n], nil
	}
	if limit >= 0 && uint64(limit) < e.count {
		n = uint64(limit) * ts
	}
	var off uint64
	if r.big {
		off = r.bo.Uint64(e.val[:])
	} else {
		off = uint64(r.bo.Uint32(e.val[:]))
	}
	b := make([]byte, n)
	if err := r.read(b, off); err != nil {
		return nil, err
	}
	return b, nil
}

// uints decodes an integer-valued entry; want >= 0 requires exactly that
// many values. With first set, only the first value is decoded.
func (r *tiffReader) uints(e tiffEntry, want int, first bool) ([]uint64, error) {
	switch e.typ {
	case tiffTypeShort, tiffTypeLong, tiffTypeLong8, tiffTypeIFD, tiffTypeIFD8:
	default:
		return nil, fmt.Errorf("field type %d, want an unsigned integer", e.typ)
	}
	if want >= 0 && e.count != uint64(want) {
		return nil, fmt.Errorf("%d values, want %d", e.count, want)
	}
	limit := -1
	if first {
		limit = 1
	}
	b, err := r.data(e, limit)
	if err != nil {
		return nil, err
	}
	v := make([]uint64, len(b)/int(tiffTypeSize(e.typ)))
	for i := range v {
		switch e.typ {
		case tiffTypeShort:
			v[i] = uint64(r.bo.Uint16(b[2*i:]))
		case tiffTypeLong, tiffTypeIFD:
			v[i] = uint64(r.bo.Uint32(b[4*i:]))
		default:
			v[i] = r.bo.Uint64(b[8*i:])
		}
	}
	return v, nil
}

// uint returns the first value of an integer tag, or def if the tag is
// absent; ok reports whether it was present.
func (r *tiffReader) uint(d *tiffDir, tag uint16, def uint64) (v uint64, ok bool, err error) {
	e, ok := d.entries[tag]
	if !ok {
		return def, false, nil
	}
	if e.count == 0 {
		return 0, true, fmt.Errorf("tag %d: no value", tag)
	}
	vs, err := r.uints(e, -1, true)
	if err != nil {
		return 0, true, fmt.Errorf("tag %d: %w", tag, err)
	}
	return vs[0], true, nil
}

// level reads the description of one pyramid level from an IFD.
func (r *tiffReader) level(d *tiffDir) (Level, error) {
	var l Level
	get := func(tag uint16, name string, def uint64, required bool, lo, hi uint64) (int, error) {
		v, ok, err := r.uint(d, tag, def)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		if !ok && required {
			return 0, fmt.Errorf("no %s", name)
		}
		if v < lo || v > hi {
			return 0, fmt.Errorf("%s %d out of range [%d,%d]", name, v, lo, hi)
		}
		return int(v), nil
	}
	var err error
	if l.Width, err = get(tiffTagImageWidth, "ImageWidth", 0, true, 1, tiffMaxImageSide); err != nil {
		return l, err
	}
	if l.Height, err = get(tiffTagImageLength, "ImageLength", 0, true, 1, tiffMaxImageSide); err != nil {
		return l, err
	}
	if _, tiled := d.entries[tiffTagTileWidth]; !tiled {
		if _, ok := d.entries[tiffTagStripOffsets]; ok {
			return l, errors.New("not tiled (stored in strips)")
		}
		return l, errors.New("not tiled (no TileWidth)")
	}
	if l.TileWidth, err = get(tiffTagTileWidth, "TileWidth", 0, true, 1, tiffMaxTileSide); err != nil {
		return l, err
	}
	if l.TileHeight, err = get(tiffTagTileLength, "TileLength", 0, true, 1, tiffMaxTileSide); err != nil {
		return l, err
	}
	if l.Compression, err = get(tiffTagCompression, "Compression", 1, false, 1, 1<<16-1); err != nil {
		return l, err
	}
	if l.Bands, err = get(tiffTagSamplesPerPixel, "SamplesPerPixel", 1, false, 1, 1<<16-1); err != nil {
		return l, err
	}
	if l.planar, err = get(tiffTagPlanarConfig, "PlanarConfiguration", 1, false, 1, 2); err != nil {
		return l, err
	}
	if _, ok := d.entries[tiffTagPhotometric]; ok {
		if l.photometric, err = get(tiffTagPhotometric, "PhotometricInterpretation", 0, true, 0, 1<<16-1); err != nil {
			return l, err
		}
	} else {
		l.photometric = -1
	}
	l.across = int((uint64(l.Width) + uint64(l.TileWidth) - 1) / uint64(l.TileWidth))
	l.down = int((uint64(l.Height) + uint64(l.TileHeight) - 1) / uint64(l.TileHeight))
	want := uint64(l.across) * uint64(l.down)
	if l.planar == 2 {
		want *= uint64(l.Bands)
	}
	// Every tile needs at least a one-byte offset entry: this bounds the
	// arrays by the file size before anything is allocated.
	if want > uint64(r.size) {
		return l, fmt.Errorf("%d×%d tiles of %d×%d for %d×%d, more than the file can hold", l.across, l.down, l.TileWidth, l.TileHeight, l.Width, l.Height)
	}
	e, ok := d.entries[tiffTagTileOffsets]
	if !ok {
		return l, errors.New("no TileOffsets")
	}
	if l.offsets, err = r.uints(e, int(want), false); err != nil {
		return l, fmt.Errorf("TileOffsets: %w", err)
	}
	if e, ok = d.entries[tiffTagTileByteCounts]; !ok {
		return l, errors.New("no TileByteCounts")
	}
	if l.counts, err = r.uints(e, int(want), false); err != nil {
		return l, fmt.Errorf("TileByteCounts: %w", err)
	}
	for i, n := range l.counts {
		if off := l.offsets[i]; n > 0 && (off > uint64(r.size) || n > uint64(r.size)-off) {
			return l, fmt.Errorf("tile %d at %d+%d beyond end of file (%d bytes)", i, off, n, r.size)
		}
	}
	if l.Compression == tiffCompressionJPEG {
		if e, ok := d.entries[tiffTagJPEGTables]; ok {
			if e.typ != tiffTypeUndefined && e.typ != tiffTypeByte {
				return l, fmt.Errorf("JPEGTables: field type %d, want UNDEFINED", e.typ)
			}
			if e.count > tiffMaxTablesBytes {
				return l, fmt.Errorf("JPEGTables: %d bytes, over the %d limit", e.count, tiffMaxTablesBytes)
			}
			t, err := r.data(e, -1)
			if err != nil {
				return l, fmt.Errorf("JPEGTables: %w", err)
			}
			n := len(t)
			if n < 4 || t[0] != 0xff || t[1] != 0xd8 || t[n-2] != 0xff || t[n-1] != 0xd9 {
				return l, errors.New("JPEGTables: not an abbreviated JPEG stream (SOI … EOI)")
			}
			l.tables = slices.Clone(t[2 : n-2])
		}
	}
	return l, nil
}
