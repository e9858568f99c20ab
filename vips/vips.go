// Package vips is Wenyuan's thin cgo layer over libvips, the image library
// the fastest image servers are built on: it turns a master file into a
// tiled pyramidal TIFF once, at ingest, and computes the image requests that
// are not a stored tile from the nearest level of that pyramid.
//
// libvips is used the way a server needs it: a region of a pyramid whose
// tiles are JPEG is decoded from those tiles by libjpeg-turbo, no further
// than the region reaches into each (RenderTiles); other files are opened
// for random access and kept open (Handle); each request is computed in
// the calling thread and encoded by libjpeg directly, libvips' own cache is
// off because the IIIF layer caches encoded results itself, only the
// loaders of the accepted formats may run, and pyramids are written in a
// child process (child.go), because libvips can crash on a malformed file.
package vips

/*
#cgo pkg-config: vips libjpeg
#include <stdlib.h>
#include <stdio.h>
#include <setjmp.h>
#include <malloc.h>
#include <string.h>
#include <vips/vips.h>
#include <jpeglib.h>

// wy_malloc_tuning keeps the buffers of one request (decoded tiles, region
// buffers, the encoder's) on the heap for the next one. glibc otherwise
// maps each buffer over 128 KiB fresh from the kernel and unmaps it on
// free, and the page faults of zeroing new pages cost more than decoding
// the tiles (measured: 30 ms for a 1024-pixel region, 12 ms with this).
static void wy_block_loaders(void) {
	vips_operation_block_set("VipsForeignLoad", TRUE);
	vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
	vips_operation_block_set("VipsForeignLoadPng", FALSE);
	vips_operation_block_set("VipsForeignLoadTiff", FALSE);
	vips_operation_block_set("VipsForeignLoadJp2k", FALSE);
	vips_operation_block_set("VipsForeignLoadWebp", FALSE);
}

static void wy_malloc_tuning(void) {
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

static int wy_open(const char *path, int page, int access, VipsImage **out) {
	// Only multi-page loaders (TIFF) know "page"; level 0 is the default page.
	if (page > 0)
		*out = vips_image_new_from_file(path, "access", access, "page", page, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	else
		*out = vips_image_new_from_file(path, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	return *out == NULL ? -1 : 0;
}

static int wy_load_buffer(void *buf, size_t len, VipsImage **out) {
	*out = vips_image_new_from_buffer(buf, len, "", "access", VIPS_ACCESS_RANDOM, NULL);
	return *out == NULL ? -1 : 0;
}

static const char *wy_loader(VipsImage *im) {
	const char *s = NULL;
	if (vips_image_get_typeof(im, VIPS_META_LOADER) == 0 || vips_image_get_string(im, VIPS_META_LOADER, &s))
		return "";
	return s;
}

static int wy_pages(VipsImage *im) {
	int n = 1;
	if (vips_image_get_typeof(im, VIPS_META_N_PAGES) != 0)
		vips_image_get_int(im, VIPS_META_N_PAGES, &n);
	return n;
}

// wy_serving turns a master into what is served: upright (EXIF orientation
// applied), 8-bit sRGB or grey, colour-managed when it carries a profile,
// alpha flattened onto white (JPEG tiles have none).
static int wy_serving(VipsImage *in, VipsImage **out) {
	VipsImage *t[6] = {0};
	VipsImage *cur = in;
	int ret = -1;
	g_object_ref(cur);
	if (vips_autorot(cur, &t[0], NULL)) goto done;
	g_object_unref(cur); cur = t[0]; t[0] = NULL;
	if (vips_image_get_typeof(cur, VIPS_META_ICC_NAME) != 0) {
		if (vips_icc_transform(cur, &t[1], "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL) == 0) {
			g_object_unref(cur); cur = t[1]; t[1] = NULL;
		} else {
			vips_error_clear();
		}
	}
	VipsInterpretation want = vips_image_get_bands(cur) <= 2 && cur->Type != VIPS_INTERPRETATION_CMYK ?
		VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
	if (vips_image_hasalpha(cur)) {
		double white[1] = {cur->BandFmt == VIPS_FORMAT_USHORT ? 65535.0 : 255.0};
		VipsArrayDouble *bg = vips_array_double_new(white, 1);
		int r = vips_flatten(cur, &t[2], "background", bg, NULL);
		vips_area_unref(VIPS_AREA(bg));
		if (r) goto done;
		g_object_unref(cur); cur = t[2]; t[2] = NULL;
	}
	if (vips_colourspace(cur, &t[3], want, NULL)) goto done;
	g_object_unref(cur); cur = t[3]; t[3] = NULL;
	if (cur->BandFmt != VIPS_FORMAT_UCHAR) {
		if (vips_cast_uchar(cur, &t[4], NULL)) goto done;
		g_object_unref(cur); cur = t[4]; t[4] = NULL;
	}
	*out = cur; cur = NULL;
	ret = 0;
done:
	if (cur) g_object_unref(cur);
	for (int i = 0; i < 6; i++) if (t[i]) g_object_unref(t[i]);
	return ret;
}

static int wy_pyramid(VipsImage *in, const char *dst, int tile, int q, int bigtiff) {
	return vips_tiffsave(in, dst, "tile", TRUE, "pyramid", TRUE,
		"compression", VIPS_FOREIGN_TIFF_COMPRESSION_JPEG, "Q", q,
		"tile_width", tile, "tile_height", tile, "bigtiff", bigtiff, "strip", TRUE, NULL);
}

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
} wy_jpeg_err;

// wy_jpeg_quiet drops libjpeg's warnings (corrupt but decodable data),
// which it would print to stderr; errors still end the decode.
static void wy_jpeg_quiet(j_common_ptr c) { (void)c; }

static void wy_jpeg_error_exit(j_common_ptr c) {
	wy_jpeg_err *e = (wy_jpeg_err *)c->err;
	(*c->err->format_message)(c, e->msg);
	longjmp(e->jump, 1);
}

// wy_dest is a libjpeg destination writing into a buffer that grows with
// g_realloc: it is handed to Go (and g_free'd) as it is, and on an error
// the one buffer it holds is freed once (libjpeg's own memory destination
// frees a buffer it has outgrown while the caller still points at it).
typedef struct {
	struct jpeg_destination_mgr pub;
	unsigned char *buf;
	size_t cap, len;
} wy_dest;

static void wy_dest_init(j_compress_ptr c) {
	wy_dest *d = (wy_dest *)c->dest;
	d->pub.next_output_byte = d->buf;
	d->pub.free_in_buffer = d->cap;
}

static boolean wy_dest_empty(j_compress_ptr c) {
	wy_dest *d = (wy_dest *)c->dest;
	size_t old = d->cap;
	d->cap *= 2;
	d->buf = g_realloc(d->buf, d->cap);
	d->pub.next_output_byte = d->buf + old;
	d->pub.free_in_buffer = d->cap - old;
	return TRUE;
}

static void wy_dest_term(j_compress_ptr c) {
	wy_dest *d = (wy_dest *)c->dest;
	d->len = d->cap - d->pub.free_in_buffer;
}

static void wy_dest_set(j_compress_ptr c, wy_dest *d, size_t guess) {
	d->cap = guess < 4096 ? 4096 : guess;
	d->buf = g_malloc(d->cap);
	d->len = 0;
	d->pub.init_destination = wy_dest_init;
	d->pub.empty_output_buffer = wy_dest_empty;
	d->pub.term_destination = wy_dest_term;
	c->dest = &d->pub;
}

// wy_direct_pixels is the largest output computed in one piece and
// encoded by wy_encode_jpeg; larger ones stream through libvips' encoder.
#define wy_direct_pixels (4096 * 4096)

// wy_encode_jpeg computes all of im in the calling thread (vips_region_prepare
// runs the pipeline there, without libvips' thread pool and the hand-offs
// between its threads) and encodes it with libjpeg. It returns 1 if im is
// not 8-bit grey or RGB, or too large, for the caller to use libvips'
// encoder instead.
static int wy_encode_jpeg(VipsImage *im, int q, void **buf, size_t *len) {
	if (im->BandFmt != VIPS_FORMAT_UCHAR || (im->Bands != 1 && im->Bands != 3) ||
		(gint64)im->Xsize * im->Ysize > wy_direct_pixels)
		return 1;
	VipsRegion *reg = vips_region_new(im);
	VipsRect r = {0, 0, im->Xsize, im->Ysize};
	if (vips_region_prepare(reg, &r)) {
		g_object_unref(reg);
		return -1;
	}
	struct jpeg_compress_struct c;
	wy_jpeg_err err;
	wy_dest dest = {0};
	c.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = wy_jpeg_error_exit;
	if (setjmp(err.jump)) {
		jpeg_destroy_compress(&c);
		g_free(dest.buf);
		g_object_unref(reg);
		vips_error("wenyuan", "jpeg: %s", err.msg);
		return -1;
	}
	jpeg_create_compress(&c);
	wy_dest_set(&c, &dest, (size_t)im->Xsize * im->Ysize / 4);
	c.image_width = im->Xsize;
	c.image_height = im->Ysize;
	c.input_components = im->Bands;
	c.in_color_space = im->Bands == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, q, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = (JSAMPROW)VIPS_REGION_ADDR(reg, 0, c.next_scanline);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	g_object_unref(reg);
	*buf = dest.buf;
	*len = dest.len;
	return 0;
}

// wy_crop_jpeg decodes the JPEG in[0:inlen] with libjpeg, keeps its top
// left w×h pixels and encodes them at quality q: an edge tile of a
// pyramid, stored padded to the full tile size, cut to the image.
static int wy_crop_jpeg(const unsigned char *in, size_t inlen, int w, int h, int q, void **buf, size_t *len) {
	struct jpeg_decompress_struct d;
	struct jpeg_compress_struct c;
	wy_jpeg_err derr, cerr;
	// rows and started change after setjmp: volatile, so that the error
	// path sees their values (out is written through its address).
	unsigned char *volatile rows = NULL;
	wy_dest dest = {0};
	volatile int started = 0;
	d.err = jpeg_std_error(&derr.pub);
	derr.pub.error_exit = wy_jpeg_error_exit;
	c.err = jpeg_std_error(&cerr.pub);
	cerr.pub.error_exit = wy_jpeg_error_exit;
	if (setjmp(derr.jump)) {
		jpeg_destroy_decompress(&d);
		if (started) jpeg_destroy_compress(&c);
		free(rows);
		g_free(dest.buf);
		vips_error("wenyuan", "jpeg: %s", derr.msg);
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, (unsigned char *)in, inlen);
	jpeg_read_header(&d, TRUE);
	jpeg_start_decompress(&d);
	if (w < 1 || h < 1 || w > (int)d.output_width || h > (int)d.output_height ||
		(d.output_components != 1 && d.output_components != 3)) {
		jpeg_destroy_decompress(&d);
		vips_error("wenyuan", "crop %dx%d of a %ux%u JPEG of %d components", w, h, d.output_width, d.output_height, d.output_components);
		return -1;
	}
	int comps = d.output_components;
	size_t stride = (size_t)d.output_width * comps;
	rows = malloc(stride * h);
	while ((int)d.output_scanline < h) {
		JSAMPROW row = rows + stride * d.output_scanline;
		jpeg_read_scanlines(&d, &row, 1);
	}
	if (setjmp(cerr.jump)) {
		jpeg_destroy_decompress(&d);
		jpeg_destroy_compress(&c);
		free(rows);
		g_free(dest.buf);
		vips_error("wenyuan", "jpeg: %s", cerr.msg);
		return -1;
	}
	jpeg_abort_decompress(&d);
	jpeg_destroy_decompress(&d);
	jpeg_create_compress(&c);
	started = 1;
	wy_dest_set(&c, &dest, (size_t)w * h / 4);
	c.image_width = w;
	c.image_height = h;
	c.input_components = comps;
	c.in_color_space = comps == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, q, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = rows + stride * c.next_scanline;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(rows);
	*buf = dest.buf;
	*len = dest.len;
	return 0;
}

typedef struct {
	int x, y, w, h;       // region of the input, in its pixels
	int outw, outh;       // scaled size, before rotation
	int mirror;
	double degrees;       // clockwise
	int quality;          // 0 colour, 1 grey, 2 bitonal
	int format;           // 0 jpeg, 1 png, 2 webp
	int q;                // JPEG/WebP quality
} wy_params;

// wy_render computes one image request from in and encodes it. Every step
// is lazy; the encoder pulls the pixels through them once.
static int wy_render(VipsImage *in, wy_params *p, void **buf, size_t *len) {
	VipsImage *t[8] = {0};
	VipsImage *cur = in;
	int ret = -1;
	g_object_ref(cur);
#define STEP(i, call) do { if (call) goto done; g_object_unref(cur); cur = t[i]; t[i] = NULL; } while (0)
	if (p->x != 0 || p->y != 0 || p->w != cur->Xsize || p->h != cur->Ysize)
		STEP(0, vips_extract_area(cur, &t[0], p->x, p->y, p->w, p->h, NULL));
	if (p->outw != cur->Xsize || p->outh != cur->Ysize) {
		double hs = (double)p->outw / cur->Xsize, vs = (double)p->outh / cur->Ysize;
		STEP(1, vips_resize(cur, &t[1], hs, "vscale", vs, "kernel", VIPS_KERNEL_LINEAR, NULL));
		// vips_resize rounds; make the size exact.
		if (cur->Xsize != p->outw || cur->Ysize != p->outh)
			STEP(2, vips_embed(cur, &t[2], 0, 0, p->outw, p->outh, "extend", VIPS_EXTEND_COPY, NULL));
	}
	if (p->quality >= 1 && cur->Type != VIPS_INTERPRETATION_B_W)
		STEP(3, vips_colourspace(cur, &t[3], VIPS_INTERPRETATION_B_W, NULL));
	if (p->quality == 2)
		STEP(4, vips_moreeq_const1(cur, &t[4], 128.0, NULL));
	if (p->mirror)
		STEP(5, vips_flip(cur, &t[5], VIPS_DIRECTION_HORIZONTAL, NULL));
	if (p->degrees == 90.0)
		STEP(6, vips_rot(cur, &t[6], VIPS_ANGLE_D90, NULL));
	else if (p->degrees == 180.0)
		STEP(6, vips_rot(cur, &t[6], VIPS_ANGLE_D180, NULL));
	else if (p->degrees == 270.0)
		STEP(6, vips_rot(cur, &t[6], VIPS_ANGLE_D270, NULL));
	else if (p->degrees != 0.0) {
		double white[1] = {255.0};
		VipsArrayDouble *bg = vips_array_double_new(white, 1);
		int r = vips_rotate(cur, &t[6], p->degrees, "background", bg, NULL);
		vips_area_unref(VIPS_AREA(bg));
		if (r) goto done;
		g_object_unref(cur); cur = t[6]; t[6] = NULL;
	}
#undef STEP
	switch (p->format) {
	case 0:
		ret = wy_encode_jpeg(cur, p->q, buf, len);
		if (ret == 1)
			ret = vips_jpegsave_buffer(cur, buf, len, "Q", p->q, "strip", TRUE, "optimize_coding", FALSE, NULL);
		break;
	case 1:
		ret = vips_pngsave_buffer(cur, buf, len, "compression", 3, "strip", TRUE, NULL);
		break;
	case 2:
		ret = vips_webpsave_buffer(cur, buf, len, "Q", p->q, "strip", TRUE, NULL);
		break;
	}
done:
	if (cur) g_object_unref(cur);
	for (int i = 0; i < 8; i++) if (t[i]) g_object_unref(t[i]);
	return ret;
}

// wy_decode_part decodes the pixels [a,b)×[c,d) of the w×h JPEG in[0:n],
// whose components must be bands, into out, a buffer of rows stride bytes
// apart. libjpeg-turbo skips what lies outside: rows above are entropy-
// decoded only (jpeg_skip_scanlines), rows below not at all, columns
// outside are neither inverse-transformed nor upsampled
// (jpeg_crop_scanline). One iMCU more on every side is decoded, so that
// the upsampler's context is that of the whole tile and the pixels are
// exactly those of a full decode. row is a scratch row of w*bands bytes.
static int wy_decode_part(const unsigned char *in, size_t n, int w, int h, int bands,
	int a, int b, int c, int d, unsigned char *out, size_t stride, unsigned char *row) {
	struct jpeg_decompress_struct j;
	wy_jpeg_err err;
	j.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = wy_jpeg_error_exit;
	err.pub.output_message = wy_jpeg_quiet;
	if (setjmp(err.jump)) {
		jpeg_destroy_decompress(&j);
		vips_error("wenyuan", "tile: jpeg: %s", err.msg);
		return -1;
	}
	jpeg_create_decompress(&j);
	jpeg_mem_src(&j, (unsigned char *)in, n);
	jpeg_read_header(&j, TRUE);
	if ((int)j.image_width != w || (int)j.image_height != h || j.num_components != bands) {
		vips_error("wenyuan", "tile: a %ux%u JPEG of %d components, not %dx%d of %d",
			j.image_width, j.image_height, j.num_components, w, h, bands);
		jpeg_destroy_decompress(&j);
		return -1;
	}
	j.out_color_space = bands == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_start_decompress(&j);
	int mx = j.max_h_samp_factor * DCTSIZE, my = j.max_v_samp_factor * DCTSIZE;
	JDIMENSION x0 = a > mx ? a - mx : 0, x1 = b + mx < w ? b + mx : w, cw = x1 - x0;
	if (x0 > 0 || x1 < (JDIMENSION)w)
		jpeg_crop_scanline(&j, &x0, &cw);
	if (c - my > 0)
		jpeg_skip_scanlines(&j, c - my);
	while ((int)j.output_scanline < d) {
		int y = j.output_scanline;
		JSAMPROW r = row;
		jpeg_read_scanlines(&j, &r, 1);
		if (y >= c)
			memcpy(out + (size_t)(y - c) * stride, row + (size_t)(a - (int)x0) * bands, (size_t)(b - a) * bands);
	}
	// libjpeg goes on past damaged data, filling in grey, and only warns.
	// Stored tiles are written by libvips: damage is an error, not an
	// image to serve and cache.
	long warnings = j.err->num_warnings;
	jpeg_abort_decompress(&j);
	jpeg_destroy_decompress(&j);
	if (warnings > 0) {
		vips_error("wenyuan", "tile: corrupt JPEG data");
		return -1;
	}
	return 0;
}

// wy_render_tiles computes a request from the tiles of a level stored as
// JPEG: cols×rows tiles, each tw×th, in row-major order, tile i being
// data[ends[i-1]:ends[i]]. p's region is in the tiles' pixels, its origin
// inside the first tile. Only the region is decoded, straight into one
// buffer, and that buffer is the input of wy_render: no file is opened and
// libvips' TIFF loader, which decodes whole tiles, is not involved.
static int wy_render_tiles(const unsigned char *data, const size_t *ends, int cols, int rows,
	int tw, int th, int bands, wy_params *p, void **buf, size_t *len) {
	size_t stride = (size_t)p->w * bands;
	unsigned char *px = malloc(stride * p->h);
	unsigned char *row = malloc((size_t)tw * bands);
	int ret = -1;
	if (px == NULL || row == NULL) {
		vips_error("wenyuan", "out of memory for a %dx%d region", p->w, p->h);
		goto done;
	}
	for (int ty = 0; ty < rows; ty++) {
		int c = ty == 0 ? p->y : 0;
		int d = p->y + p->h - ty * th;
		if (d > th) d = th;
		for (int tx = 0; tx < cols; tx++) {
			int a = tx == 0 ? p->x : 0;
			int b = p->x + p->w - tx * tw;
			if (b > tw) b = tw;
			int i = ty * cols + tx;
			size_t start = i == 0 ? 0 : ends[i - 1];
			unsigned char *out = px + (size_t)(ty * th + c - p->y) * stride + (size_t)(tx * tw + a - p->x) * bands;
			if (wy_decode_part(data + start, ends[i] - start, tw, th, bands, a, b, c, d, out, stride, row))
				goto done;
		}
	}
	VipsImage *im = vips_image_new_from_memory(px, stride * p->h, p->w, p->h, bands, VIPS_FORMAT_UCHAR);
	if (im == NULL)
		goto done;
	wy_params q = *p;
	q.x = q.y = 0;
	ret = wy_render(im, &q, buf, len);
	g_object_unref(im);
done:
	free(row);
	free(px);
	return ret;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

var (
	initOnce sync.Once
	initErr  error
)

// Init starts libvips once per process. threads is how many threads one
// libvips pipeline may use: 1 for a server (each request is computed by
// the goroutine that asks, so requests scale with cores and none starves
// the others), more for a command-line ingest. Later calls change nothing.
func Init(threads int) error {
	initOnce.Do(func() {
		C.wy_malloc_tuning()
		name := C.CString("wenyuan")
		defer C.free(unsafe.Pointer(name))
		if C.vips_init(name) != 0 {
			initErr = fmt.Errorf("start libvips: %s", lastError())
			return
		}
		// Masters come from uploads: only the loaders of the accepted
		// formats may read anything (not SVG, PDF, ImageMagick's, …).
		// Ingest also sniffs each file before libvips sees it.
		C.wy_block_loaders()
		C.vips_cache_set_max(0)
		C.vips_cache_set_max_mem(0)
		C.vips_cache_set_max_files(0)
		if threads < 1 {
			threads = 1
		}
		C.vips_concurrency_set(C.int(threads))
	})
	return initErr
}

// lastError returns and clears libvips' error buffer, on one line.
func lastError() string {
	s := strings.TrimSpace(C.GoString(C.vips_error_buffer()))
	C.vips_error_clear()
	s = strings.ReplaceAll(s, "\n", "; ")
	if s == "" {
		s = "libvips failed without saying why"
	}
	return s
}

// Header is what a file's header says, read without decoding pixels.
type Header struct {
	Width, Height int
	Bands         int
	// Loader is the libvips loader that reads the file: "jpegload",
	// "pngload", "tiffload", "jp2kload", …
	Loader string
	Pages  int
}

// Format returns the file's format as a short name: "jpeg", "png",
// "tiff", "jp2", or the loader's name for others.
func (h Header) Format() string {
	l := strings.TrimSuffix(h.Loader, "load")
	switch l {
	case "jp2k":
		return "jp2"
	}
	return l
}

// ReadHeader reads path's header. libvips opens lazily, so this decodes
// no pixels: a decompression bomb is caught here by its dimensions.
func ReadHeader(path string) (Header, error) {
	if err := Init(1); err != nil {
		return Header{}, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var im *C.VipsImage
	if C.wy_open(cpath, 0, C.VIPS_ACCESS_SEQUENTIAL, &im) != 0 {
		return Header{}, fmt.Errorf("read %s: %s", path, lastError())
	}
	defer C.g_object_unref(C.gpointer(im))
	return Header{
		Width:  int(C.vips_image_get_width(im)),
		Height: int(C.vips_image_get_height(im)),
		Bands:  int(C.vips_image_get_bands(im)),
		Loader: C.GoString(C.wy_loader(im)),
		Pages:  int(C.wy_pages(im)),
	}, nil
}

// PyramidOptions say how a serving pyramid is written.
type PyramidOptions struct {
	TileSize int  // pixels, square; default 256
	Quality  int  // JPEG quality of the tiles; default 85
	BigTIFF  bool // needed past 4 GB of compressed tiles
}

// WritePyramid converts the master at src into a tiled pyramidal TIFF with
// JPEG tiles at dst, streaming: the master is read once, top to bottom,
// and memory stays bounded whatever its size.
func WritePyramid(src, dst string, o PyramidOptions) error {
	if err := Init(1); err != nil {
		return err
	}
	if o.TileSize == 0 {
		o.TileSize = 256
	}
	if o.Quality == 0 {
		o.Quality = 85
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	csrc, cdst := C.CString(src), C.CString(dst)
	defer C.free(unsafe.Pointer(csrc))
	defer C.free(unsafe.Pointer(cdst))
	var in, out *C.VipsImage
	if C.wy_open(csrc, 0, C.VIPS_ACCESS_SEQUENTIAL, &in) != 0 {
		return fmt.Errorf("read %s: %s", src, lastError())
	}
	defer C.g_object_unref(C.gpointer(in))
	if C.wy_serving(in, &out) != 0 {
		return fmt.Errorf("convert %s: %s", src, lastError())
	}
	defer C.g_object_unref(C.gpointer(out))
	big := C.int(0)
	if o.BigTIFF {
		big = 1
	}
	if C.wy_pyramid(out, cdst, C.int(o.TileSize), C.int(o.Quality), big) != 0 {
		return fmt.Errorf("write pyramid of %s: %s", src, lastError())
	}
	return nil
}

// Handle is one file (or one page of it: a pyramid level) open for random
// access. A Handle is used by one goroutine at a time; keep several for
// concurrent requests (see Pool).
type Handle struct {
	im            *C.VipsImage
	Width, Height int
}

// Open opens page of path for random access.
func Open(path string, page int) (*Handle, error) {
	if err := Init(1); err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var im *C.VipsImage
	if C.wy_open(cpath, C.int(page), C.VIPS_ACCESS_RANDOM, &im) != 0 {
		return nil, fmt.Errorf("open %s page %d: %s", path, page, lastError())
	}
	return &Handle{im: im, Width: int(C.vips_image_get_width(im)), Height: int(C.vips_image_get_height(im))}, nil
}

// Close releases the handle.
func (h *Handle) Close() {
	if h.im != nil {
		C.g_object_unref(C.gpointer(h.im))
		h.im = nil
	}
}

// Quality of an output image.
type Quality int

// The qualities of the IIIF Image API, as pixels.
const (
	Color Quality = iota
	Gray
	Bitonal
)

// Format of an output image.
type Format int

// The output formats.
const (
	JPEG Format = iota
	PNG
	WebP
)

// Params is one request to compute: a region of the input in its own
// pixels, the size to scale it to, then mirroring, a clockwise rotation,
// a quality and an encoding.
type Params struct {
	X, Y, W, H int
	OutW, OutH int
	Mirror     bool
	Degrees    float64
	Quality    Quality
	Format     Format
	// Q is the JPEG or WebP quality; default DefaultQuality.
	Q int
}

// DefaultQuality is the JPEG and WebP quality of computed images: what
// Cantaloupe defaults to, between IIPImage's 75 and the 85 of the stored
// tiles, which most views are made of.
const DefaultQuality = 80

func (p *Params) c() C.wy_params {
	q := p.Q
	if q == 0 {
		q = DefaultQuality
	}
	m := 0
	if p.Mirror {
		m = 1
	}
	return C.wy_params{x: C.int(p.X), y: C.int(p.Y), w: C.int(p.W), h: C.int(p.H),
		outw: C.int(p.OutW), outh: C.int(p.OutH), mirror: C.int(m), degrees: C.double(p.Degrees),
		quality: C.int(p.Quality), format: C.int(p.Format), q: C.int(q)}
}

// ErrParams is returned for a region outside the input or a size below 1.
var ErrParams = errors.New("vips: region outside the image or empty size")

// maxCoord bounds every coordinate and size handed to C, so that none is
// cut short by the conversion to C's int and no sum of two overflows it
// (libvips' own limit is 10,000,000).
const maxCoord = 1 << 24

func (p *Params) check(w, h int) error {
	if p.X < 0 || p.Y < 0 || p.W < 1 || p.H < 1 || p.X+p.W > w || p.Y+p.H > h || p.OutW < 1 || p.OutH < 1 ||
		w > maxCoord || h > maxCoord || p.OutW > maxCoord || p.OutH > maxCoord {
		return fmt.Errorf("%w: region %d,%d,%d,%d of %d×%d to %d×%d", ErrParams, p.X, p.Y, p.W, p.H, w, h, p.OutW, p.OutH)
	}
	return nil
}

// Render computes p from the handle's image and appends the encoded bytes
// to dst.
func (h *Handle) Render(p Params, dst []byte) ([]byte, error) {
	if err := p.check(h.Width, h.Height); err != nil {
		return dst, err
	}
	return render(h.im, &p, dst)
}

// RenderBuffer computes p from an encoded image in memory (a stored tile
// that must be cropped, say).
func RenderBuffer(img []byte, p Params) ([]byte, error) {
	if err := Init(1); err != nil {
		return nil, err
	}
	if len(img) == 0 {
		return nil, errors.New("vips: empty image buffer")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// libvips may keep a pointer into the buffer while the image lives:
	// give it C memory that outlives the call.
	cbuf := C.CBytes(img)
	defer C.free(cbuf)
	var im *C.VipsImage
	if C.wy_load_buffer(cbuf, C.size_t(len(img)), &im) != 0 {
		return nil, fmt.Errorf("decode image buffer: %s", lastError())
	}
	defer C.g_object_unref(C.gpointer(im))
	if err := p.check(int(im.Xsize), int(im.Ysize)); err != nil {
		return nil, err
	}
	return render(im, &p, nil)
}

// CropJPEG returns the top-left w×h pixels of a JPEG, encoded at quality
// q: libjpeg decodes and encodes in the calling thread, nothing else.
func CropJPEG(img []byte, w, h, q int) ([]byte, error) {
	if len(img) == 0 {
		return nil, errors.New("vips: empty image buffer")
	}
	if err := Init(1); err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var buf unsafe.Pointer
	var n C.size_t
	if C.wy_crop_jpeg((*C.uchar)(unsafe.Pointer(&img[0])), C.size_t(len(img)), C.int(w), C.int(h), C.int(q), &buf, &n) != 0 {
		return nil, fmt.Errorf("crop JPEG: %s", lastError())
	}
	return appendFree(nil, buf, n), nil
}

func render(im *C.VipsImage, p *Params, dst []byte) ([]byte, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cp := p.c()
	var buf unsafe.Pointer
	var n C.size_t
	if C.wy_render(im, &cp, &buf, &n) != 0 {
		return dst, fmt.Errorf("render: %s", lastError())
	}
	return appendFree(dst, buf, n), nil
}

// appendFree appends the n bytes libvips or libjpeg returned at buf to dst
// and frees them.
func appendFree(dst []byte, buf unsafe.Pointer, n C.size_t) []byte {
	dst = append(dst, unsafe.Slice((*byte)(buf), int(n))...)
	C.g_free(C.gpointer(buf))
	return dst
}

// Tiles is a region of one level of a tiled image whose tiles are JPEG:
// the tiles that cover it, each a whole JPEG stream (tables included).
type Tiles struct {
	// Data holds the tiles one after another, row by row; tile i is
	// Data[Ends[i-1]:Ends[i]] (Data[:Ends[0]] for the first).
	Data []byte
	Ends []int
	// Cols×Rows tiles of TileW×TileH pixels (edge tiles padded to full
	// size, as TIFF stores them), of Bands components: 1 (grey) or 3.
	Cols, Rows   int
	TileW, TileH int
	Bands        int
}

// RenderTiles computes p from the tiles of t, p's region being in the
// pixels of the tiles' mosaic (origin in the first tile's top-left corner).
// Only the region's pixels are decoded, from the tiles in memory, and the
// result is appended to dst. Regions over 4096×4096 pixels are refused:
// Handle.Render streams those.
func RenderTiles(t *Tiles, p Params, dst []byte) ([]byte, error) {
	if err := Init(1); err != nil {
		return dst, err
	}
	if t.Bands != 1 && t.Bands != 3 {
		return dst, fmt.Errorf("vips: tiles of %d bands", t.Bands)
	}
	if t.TileW < 1 || t.TileH < 1 || t.TileW > 65535 || t.TileH > 65535 || t.Cols < 1 || t.Rows < 1 ||
		t.Cols > maxCoord/t.TileW || t.Rows > maxCoord/t.TileH || len(t.Ends) != t.Cols*t.Rows {
		return dst, fmt.Errorf("vips: %d tiles given for %d×%d of %d×%d pixels", len(t.Ends), t.Cols, t.Rows, t.TileW, t.TileH)
	}
	if err := p.check(t.Cols*t.TileW, t.Rows*t.TileH); err != nil {
		return dst, err
	}
	if p.X >= t.TileW || p.Y >= t.TileH || p.X+p.W <= (t.Cols-1)*t.TileW || p.Y+p.H <= (t.Rows-1)*t.TileH {
		return dst, fmt.Errorf("%w: region %d,%d,%d,%d does not need all %d×%d tiles", ErrParams, p.X, p.Y, p.W, p.H, t.Cols, t.Rows)
	}
	if p.W*p.H > MaxTilesRegion {
		return dst, fmt.Errorf("%w: region %d×%d over %d pixels", ErrParams, p.W, p.H, MaxTilesRegion)
	}
	ends := make([]C.size_t, len(t.Ends))
	prev := 0
	for i, e := range t.Ends {
		if e <= prev || e > len(t.Data) {
			return dst, fmt.Errorf("vips: tile %d at %d:%d of %d bytes", i, prev, e, len(t.Data))
		}
		ends[i], prev = C.size_t(e), e
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The tiles are read, not kept, while the call runs: Go memory may be
	// passed as it holds no Go pointers.
	cp := p.c()
	var buf unsafe.Pointer
	var n C.size_t
	if C.wy_render_tiles((*C.uchar)(unsafe.Pointer(&t.Data[0])), &ends[0], C.int(t.Cols), C.int(t.Rows),
		C.int(t.TileW), C.int(t.TileH), C.int(t.Bands), &cp, &buf, &n) != 0 {
		return dst, fmt.Errorf("render tiles: %s", lastError())
	}
	return appendFree(dst, buf, n), nil
}

// MaxTilesRegion is the most pixels RenderTiles decodes for one request.
const MaxTilesRegion = 4096 * 4096

// Pool keeps handles open between requests, a few per file and page, so
// that a request does not pay for opening a file and reading its
// directory. It closes the least recently used idle handles past its
// bound. The zero Pool is ready to use and keeps up to 256 idle handles.
type Pool struct {
	// Max is how many idle handles it keeps at most; 0 means 256.
	Max int

	mu   sync.Mutex
	idle []pooled // least recently used first
}

type pooled struct {
	path string
	page int
	h    *Handle
}

// Get returns an open handle on page of path, idle or new.
func (p *Pool) Get(path string, page int) (*Handle, error) {
	p.mu.Lock()
	for i := len(p.idle) - 1; i >= 0; i-- {
		if e := p.idle[i]; e.path == path && e.page == page {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			p.mu.Unlock()
			return e.h, nil
		}
	}
	p.mu.Unlock()
	return Open(path, page)
}

// Put gives h back for later requests.
func (p *Pool) Put(path string, page int, h *Handle) {
	max := p.Max
	if max == 0 {
		max = 256
	}
	p.mu.Lock()
	p.idle = append(p.idle, pooled{path, page, h})
	var drop []pooled
	if n := len(p.idle) - max; n > 0 {
		drop = append(drop, p.idle[:n]...)
		p.idle = append(p.idle[:0], p.idle[n:]...)
	}
	p.mu.Unlock()
	for _, e := range drop {
		e.h.Close()
	}
}

// Forget closes the idle handles of path (a file about to be removed).
func (p *Pool) Forget(path string) {
	p.mu.Lock()
	keep := p.idle[:0]
	var drop []pooled
	for _, e := range p.idle {
		if e.path == path {
			drop = append(drop, e)
		} else {
			keep = append(keep, e)
		}
	}
	p.idle = keep
	p.mu.Unlock()
	for _, e := range drop {
		e.h.Close()
	}
}

// Close closes every idle handle.
func (p *Pool) Close() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, e := range idle {
		e.h.Close()
	}
}
