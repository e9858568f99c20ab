package iiif

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	// MaxBytes bounds an upload (0: no bound).
	MaxBytes int64
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
// ingested before. A refused file (too large, not an image, an image of
// absurd dimensions) leaves nothing behind; the error says why, as an
// EINVALID error.
func (f *Files) Ingest(ctx context.Context, r io.Reader) (Ingested, error) {
	tmp, err := f.tempFile("upload-*")
	if err != nil {
		return Ingested{}, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	src := r
	if f.MaxBytes > 0 {
		src = io.LimitReader(r, f.MaxBytes+1)
	}
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, src})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Ingested{}, fmt.Errorf("store upload: %w", err)
	}
	if f.MaxBytes > 0 && n > f.MaxBytes {
		return Ingested{}, wenyuan.Errorf(wenyuan.EINVALID, "the file is larger than the limit of %d bytes", f.MaxBytes)
	}
	if n == 0 {
		return Ingested{}, wenyuan.Errorf(wenyuan.EINVALID, "the file is empty")
	}
	sum := hex.EncodeToString(h.Sum(nil))
	in := Ingested{SHA256: sum, Bytes: n}
	master := f.MasterPath(sum)
	if _, err := os.Stat(master); err == nil {
		in.Existed = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return in, err
	}
	// Check before keeping: a refused file must not stay as a master.
	hd, err := vips.ReadHeader(tmp.Name())
	if err != nil {
		return in, wenyuan.Errorf(wenyuan.EINVALID, "not an image Wenyuan can read (JPEG, PNG, TIFF, JPEG 2000, WebP): %s", strings.TrimPrefix(err.Error(), "read "+tmp.Name()+": "))
	}
	if err := f.check(hd); err != nil {
		return in, err
	}
	in.Format = hd.Format()
	if !in.Existed {
		if err := os.MkdirAll(filepath.Dir(master), 0o755); err != nil {
			return in, err
		}
		if err := os.Rename(tmp.Name(), master); err != nil {
			return in, err
		}
	}
	w, hgt, err := f.ensurePyramid(ctx, sum, hd)
	if err != nil {
		return in, err
	}
	in.Width, in.Height = w, hgt
	return in, nil
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

// ensurePyramid makes the pyramid of master sum if it does not exist and
// returns its full size.
func (f *Files) ensurePyramid(ctx context.Context, sum string, hd vips.Header) (int, int, error) {
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
	if err := vips.WritePyramid(f.MasterPath(sum), tmp.Name(), vips.PyramidOptions{TileSize: f.TileSize, Quality: f.Quality, BigTIFF: big}); err != nil {
		return 0, 0, wenyuan.Errorf(wenyuan.EINVALID, "the image could not be converted: %s", err)
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
