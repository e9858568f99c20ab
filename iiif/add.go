package iiif

import (
	"context"
	"io"
	"strings"

	"wenyuan"
)

// Add ingests the master read from r as an image of object and records
// it: the record takes meta's id (empty: Wenyuan gives one), file name,
// caption, photographer, rights and visibility (empty: the object's). The
// same file added to the same object again is recognised: its existing
// record is returned with created false, and nothing is written.
func Add(ctx context.Context, store wenyuan.Store, files *Files, object string, r io.Reader, meta wenyuan.Image) (im *wenyuan.Image, created bool, err error) {
	rec, err := store.FindRecord(ctx, wenyuan.KindObject, object)
	if err != nil {
		return nil, false, err
	}
	o := rec.(*wenyuan.Object)
	// What the caller says of the image is checked before the file is
	// read, so that a refused record stores no file.
	probe := meta
	probe.Object, probe.Institution = o.ID, o.Institution
	probe.SHA256, probe.Format, probe.Width, probe.Height, probe.Bytes = strings.Repeat("0", 64), "jpeg", 1, 1, 1
	probe.Normalize()
	if err := probe.Validate(); err != nil {
		return nil, false, err
	}
	in, err := files.Ingest(ctx, r)
	if err != nil {
		return nil, false, err
	}
	imgs, err := store.FindImages(ctx, object)
	if err != nil {
		return nil, false, err
	}
	for _, old := range imgs {
		if old.SHA256 == in.SHA256 {
			return old, false, nil
		}
	}
	im = &meta
	im.Meta = wenyuan.Meta{}
	im.Object, im.Institution = o.ID, o.Institution
	im.SHA256, im.Format, im.Width, im.Height, im.Bytes = in.SHA256, in.Format, in.Width, in.Height, in.Bytes
	if im.Visibility == "" {
		im.Visibility = o.Visibility
	}
	if err := store.CreateRecord(ctx, im); err != nil {
		return nil, false, err
	}
	return im, true, nil
}
