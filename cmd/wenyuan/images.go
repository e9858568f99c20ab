package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"wenyuan"
	"wenyuan/iiif"
)

// runImages adds master images to objects: each file is kept untouched,
// converted once into its serving pyramid, and recorded.
func runImages(e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"usage: wenyuan images add --data DIR [--id IIIF-ID] [--caption TEXT] [--photographer NAME] [--rights URL] [--visibility V] OBJECT-ID FILE..."}
	}
	fs := newFlags(e, "images add", "--data DIR [--id IIIF-ID] OBJECT-ID FILE...")
	data := dataFlag(fs)
	id := fs.String("id", "", "the IIIF identifier of the image (one file only); default: one Wenyuan gives")
	caption := fs.String("caption", "", "caption, in the language of --lang")
	lang := fs.String("lang", "zh-Hans", "language of the caption")
	photographer := fs.String("photographer", "", "who photographed it")
	rights := fs.String("rights", "", "rights: a URL such as a Creative Commons licence, or a statement")
	visibility := fs.String("visibility", "", "public, consortium or internal (default: the object's)")
	maxPixels := fs.Int64("max-pixels", iiif.DefaultMaxPixels, "refuse images of more pixels than this")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usageError{"images add needs an object id and at least one file"}
	}
	if *id != "" && len(pos) > 2 {
		return usageError{"--id names one image: give one file with it"}
	}
	db, err := openDB(*data, false)
	if err != nil {
		return err
	}
	defer db.Close()
	files := Config{Data: *data}.imageFiles()
	files.MaxPixels = *maxPixels
	ctx := wenyuan.WithActor(e.ctx, "cli:images")
	for _, path := range pos[1:] {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		start := time.Now()
		meta := wenyuan.Image{ID: *id, FileName: filepath.Base(path), Photographer: *photographer, Rights: *rights, Visibility: wenyuan.Visibility(*visibility)}
		if *caption != "" {
			meta.Caption = wenyuan.Text{{Lang: *lang, Value: *caption}}
		}
		im, created, err := iiif.Add(ctx, db, files, pos[0], f, meta)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		what := "added"
		if !created {
			what = "already there"
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%d×%d %s\t%s in %s\n", im.ID, path, im.Width, im.Height, im.Format, what, time.Since(start).Round(time.Millisecond))
	}
	return nil
}
