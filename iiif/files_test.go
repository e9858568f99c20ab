package iiif

import (
	"bytes"
	"context"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"wenyuan/internal/testenv"
)

// TestIngestFormats: every accepted master format ingests into a pyramid
// of the right size, and the same file again is recognised.
func TestIngestFormats(t *testing.T) {
	testenv.Command(t, "vips", "no vips command to make TIFF and WebP masters: ./run installs libvips-tools")
	dir := t.TempDir()
	pngPath := filepath.Join("testdata", "validator.png")
	pngBytes, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	im, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, im, nil); err != nil {
		t.Fatal(err)
	}
	vipsMake := func(name string, args ...string) string {
		out := filepath.Join(dir, name)
		cmd := exec.Command("vips", append(args[:1:1], append([]string{pngPath, out}, args[1:]...)...)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("vips %v: %v %s", args, err, b)
		}
		return out
	}
	files := map[string]string{
		"tiff":           vipsMake("plain.tif", "copy"),
		"bigtiff":        vipsMake("big.tif", "tiffsave", "--bigtiff"),
		"pyramidal tiff": vipsMake("pyr.tif", "tiffsave", "--tile", "--pyramid", "--compression", "jpeg"),
		"webp":           vipsMake("x.webp", "copy"),
		"jp2":            filepath.Join("testdata", "validator.jp2"),
	}
	tests := []struct {
		name, format string
		data         []byte
	}{
		{"jpeg", "jpeg", jpg.Bytes()},
		{"png", "png", pngBytes},
		{"tiff", "tiff", nil},
		{"bigtiff", "tiff", nil},
		{"pyramidal tiff", "tiff", nil},
		{"webp", "webp", nil},
		{"jp2", "jp2", nil},
	}
	f := &Files{Dir: filepath.Join(dir, "images")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if data == nil {
				if data, err = os.ReadFile(files[tt.name]); err != nil {
					t.Fatal(err)
				}
			}
			in, err := f.Ingest(context.Background(), bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Ingest(%s) = %v", tt.name, err)
			}
			if in.Format != tt.format || in.Width != 1000 || in.Height != 1000 || in.Existed {
				t.Errorf("Ingest(%s) = %+v, want a new %s of 1000×1000", tt.name, in, tt.format)
			}
			if _, err := OpenPyramid(f.PyramidPath(in.SHA256)); err != nil {
				t.Errorf("pyramid of %s: %v", tt.name, err)
			}
			again, err := f.Ingest(context.Background(), bytes.NewReader(data))
			if err != nil || !again.Existed || again.SHA256 != in.SHA256 {
				t.Errorf("Ingest(%s) again = %+v, %v; want it recognised", tt.name, again, err)
			}
		})
	}
}
