package iiif

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"wenyuan"
	"wenyuan/vips"
)

// Files keeps images on disk under one directory:
//
//	masters/ab/abcd….     each master file, untouched, named by its SHA-256
//	pyramids/ab/abcd….tif its serving form: a tiled pyramidal TIFF, JPEG tiles
//	tmp/                  uploads and conversions in progress
//
// A file is only ever renamed into place once complete, so a crash leaves
// no half-written master or pyramid behind, only debris in tmp/.
type Files struct {
	Dir string
	// MaxPixels bounds width × height of a master, so that a small file
	// claiming absurd dimensions (a decompression bomb) is refused before a
	// pixel is decoded. 0 means DefaultMaxPixels.
	MaxPixels int64
	// TileSize and Quality of the pyramids' tiles (0: 256 and 85).
	TileSize, Quality int
}

// DefaultMaxPixels is the default bound on a master's width × height:
// 10 gigapixels, five times the largest mural captures the consortium
// plans (2 gigapixels).
const DefaultMaxPixels = 10_000_000_000

// Formats that ingest accepts, by libvips loader.
var masterFormats = map[string]bool{"jpeg": true, "png": true, "tiff": true, "jp2": true, "webp": true}

// Ingested is what ingest learnt of a master.
type Ingested struct {
	SHA256        string
	Format        string // "jpeg", "png", "tiff", "jp2", "webp"
	Width, Height int    // as served: after the EXIF orientation is applied
	Bytes         int64
	// Existed says the same file had been ingested before: its master and
	// pyramid were reused, nothing was converted.
	Existed bool
}

// MasterPath returns where the master with this SHA-256 is kept.
func (f *Files) MasterPath(sum string) string {
	return filepath.Join(f.Dir, "masters", sum[:2], sum)
}

// PyramidPath returns where the pyramid of the master with this SHA-256 is.
func (f *Files) PyramidPath(sum string) string {
	return filepath.Join(f.Dir, "pyramids", sum[:2], sum+".tif")
}

// Ingest stores the master read from r (streamed to disk while hashed;
// never held in memory) and makes its pyramid, unless the same file was
// ingested before. A refused file (too large, cut short, not an image of
// an accepted format, an image of absurd dimensions, one libvips cannot
// convert) leaves nothing behind: the master is moved into place only
// once its pyramid exists. The errors that are the file's fault are
// EINVALID and say why.
func (f *Files) Ingest(ctx context.Context, r io.Reader) (Ingested, error) {
	tmp, err := f.tempFile("upload-*")
	if err != nil {
		return Ingested{}, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	// The caller bounds r (the server reads uploads through its limit).
	src := &readErrs{r: ctxReader{ctx, r}}
	n, err := io.Copy(io.MultiWriter(tmp, h), src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	var mbe *http.MaxBytesError
	switch {
	case src.err != nil && errors.As(src.err, &mbe):
		return Ingested{}, src.err // the server's limit: 413
	case src.err != nil && ctx.Err() == nil:
		return Ingested{}, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "the upload was cut short or malformed: " + src.err.Error(),
			Fields: []wenyuan.FieldError{{Field: "file", Message: "was not received whole"}}}
	case err != nil:
		return Ingested{}, fmt.Errorf("store upload: %w", err)
	}
	if n == 0 {
		return Ingested{}, wenyuan.Errorf(wenyuan.EINVALID, "the file is empty")
	}
	sum := hex.EncodeToString(h.Sum(nil))
	in := Ingested{SHA256: sum, Bytes: n}
	if err := sniff(tmp.Name()); err != nil {
		return in, err
	}
	// The header alone, before a pixel is decoded: a decompression bomb is
	// caught by its dimensions.
	hd, err := vips.ReadHeader(tmp.Name())
	if err != nil {
		return in, wenyuan.Errorf(wenyuan.EINVALID, "not an image Wenyuan can read: %s", strings.TrimPrefix(err.Error(), "read "+tmp.Name()+": "))
	}
	if err := f.check(hd); err != nil {
		return in, err
	}
	in.Format = hd.Format()
	master := f.MasterPath(sum)
	if _, err := os.Stat(master); err == nil {
		in.Existed = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return in, err
	}
	from := master
	if !in.Existed {
		from = tmp.Name()
	}
	w, hgt, err := f.ensurePyramid(ctx, sum, from, hd)
	if err != nil {
		return in, err
	}
	if !in.Existed {
		if err := os.MkdirAll(filepath.Dir(master), 0o755); err != nil {
			return in, err
		}
		if err := os.Rename(tmp.Name(), master); err != nil {
			return in, err
		}
	}
	in.Width, in.Height = w, hgt
	return in, nil
}

// readErrs remembers the error of reading the upload, to tell the
// client's fault from the server's.
type readErrs struct {
	r   io.Reader
	err error
}

func (e *readErrs) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// sniff refuses a file that does not start as one of the accepted formats
// does, before any libvips loader sees it: libvips has loaders for many
// more formats (SVG, PDF, and others through ImageMagick) than a master
// may be.
func sniff(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var b [16]byte
	n, _ := io.ReadFull(f, b[:])
	head := b[:n]
	for _, magic := range [][]byte{
		{0xff, 0xd8, 0xff}, // JPEG
		{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, // PNG
		{'I', 'I', 42, 0}, {'M', 'M', 0, 42}, // TIFF
		{'I', 'I', 43, 0}, {'M', 'M', 0, 43}, // BigTIFF
		{0, 0, 0, 0x0c, 'j', 'P', ' ', ' '}, // JPEG 2000 (JP2)
		{0xff, 0x4f, 0xff, 0x51},            // JPEG 2000 codestream
	} {
		if bytes.HasPrefix(head, magic) {
			return nil
		}
	}
	if len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")) {
		return nil
	}
	return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "not an image of an accepted format: send JPEG, PNG, TIFF, JPEG 2000 or WebP",
		Fields: []wenyuan.FieldError{{Field: "file", Message: "is not JPEG, PNG, TIFF, JPEG 2000 or WebP"}}}
}

func (f *Files) check(hd vips.Header) error {
	max := f.MaxPixels
	if max == 0 {
		max = DefaultMaxPixels
	}
	if !masterFormats[hd.Format()] {
		return wenyuan.Errorf(wenyuan.EINVALID, "%s images are not accepted; send JPEG, PNG, TIFF, JPEG 2000 or WebP", hd.Format())
	}
	if hd.Width < 1 || hd.Height < 1 {
		return wenyuan.Errorf(wenyuan.EINVALID, "the image claims a size of %d × %d pixels", hd.Width, hd.Height)
	}
	if px := int64(hd.Width) * int64(hd.Height); px > max {
		return wenyuan.Errorf(wenyuan.EINVALID, "the image claims %d × %d = %d pixels, more than the limit of %d: refused (a decompression bomb, or a file too large for one image)", hd.Width, hd.Height, px, max)
	}
	return nil
}

// ensurePyramid makes the pyramid of master sum from the file at src if it
// does not exist, and returns its full size. It is written by a child
// process (vips.WritePyramidIsolated): a file that crashes libvips fails
// the upload, not the server.
func (f *Files) ensurePyramid(ctx context.Context, sum, src string, hd vips.Header) (int, int, error) {
	dst := f.PyramidPath(sum)
	if w, h, err := pyramidSize(dst); err == nil {
		return w, h, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	tmp, err := f.tempFile("pyramid-*.tif")
	if err != nil {
		return 0, 0, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	// Classic TIFF addresses 4 GB; JPEG tiles of more than a gigapixel
	// may pass that.
	big := int64(hd.Width)*int64(hd.Height) > 1<<30
	err = vips.WritePyramidIsolated(ctx, src, tmp.Name(), vips.PyramidOptions{TileSize: f.TileSize, Quality: f.Quality, BigTIFF: big})
	if errors.Is(err, vips.ErrConvert) {
		return 0, 0, &wenyuan.Error{Code: wenyuan.EINVALID, Message: err.Error(), Fields: []wenyuan.FieldError{{Field: "file", Message: "could not be converted (damaged or cut short?)"}}}
	} else if err != nil {
		return 0, 0, err
	}
	w, h, err := pyramidSize(tmp.Name())
	if err != nil {
		return 0, 0, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, 0, err
	}
	return w, h, os.Rename(tmp.Name(), dst)
}

// quality is the JPEG quality of the pyramids' tiles.
func (f *Files) quality() int {
	if f.Quality == 0 {
		return 85
	}
	return f.Quality
}

func pyramidSize(path string) (int, int, error) {
	p, err := OpenPyramid(path)
	if err != nil {
		return 0, 0, err
	}
	defer p.Close()
	l := p.Levels()[0]
	return l.Width, l.Height, nil
}

func (f *Files) tempFile(pattern string) (*os.File, error) {
	dir := filepath.Join(f.Dir, "tmp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, pattern)
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
