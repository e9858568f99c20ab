package wenyuan

import (
	"context"
	"strings"
)

// Image is one master image of an object: a photograph of a scroll, a
// gigapixel capture of a mural. The master file is kept untouched and named
// by its SHA-256; this record is its metadata, versioned like any other.
// Its id is its IIIF identifier, so it appears in the image's URLs.
//
// An image is read by those who may read both the image and its object:
// an internal condition photograph of a public object stays internal, and
// hiding an object hides its images.
type Image struct {
	ID          string `json:"id"`
	Object      string `json:"object"`      // object id
	Institution string `json:"institution"` // the object's institution
	// What the file is; set at ingest and never changed afterwards.
	SHA256   string `json:"sha256"`
	Format   string `json:"format"` // "jpeg", "png", "tiff", "jp2"
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Bytes    int64  `json:"bytes"`
	FileName string `json:"file_name,omitempty"` // as uploaded
	// What people say about it.
	Caption      Text       `json:"caption,omitempty"`
	Photographer string     `json:"photographer,omitempty"`
	Rights       string     `json:"rights,omitempty"` // a URL (Creative Commons, RightsStatements.org) or a statement
	Visibility   Visibility `json:"visibility"`
	Meta
}

// RecordKind returns KindImage.
func (im *Image) RecordKind() Kind { return KindImage }

// RecordID returns the image's id.
func (im *Image) RecordID() string { return im.ID }

// SetRecordID sets the image's id.
func (im *Image) SetRecordID(id string) { im.ID = id }

// Normalize trims text and fills defaults.
func (im *Image) Normalize() {
	im.Object = strings.TrimSpace(im.Object)
	im.Institution = strings.TrimSpace(im.Institution)
	im.SHA256 = strings.ToLower(strings.TrimSpace(im.SHA256))
	im.FileName = normLine(im.FileName)
	im.Photographer = normLine(im.Photographer)
	im.Rights = normLine(im.Rights)
	im.Caption = im.Caption.normalize()
	if im.Visibility == "" {
		im.Visibility = VisibilityPublic
	}
}

// Validate checks the image's own fields.
func (im *Image) Validate() error {
	var v Validator
	if im.ID != "" && !IsValidID(im.ID) {
		v.Addf("id", "%q is not a valid id (lower-case letters, digits, '-', '_', '.'; at most 64)", im.ID)
	}
	if !IsValidID(im.Object) {
		v.Addf("object", "%q is not a valid object id", im.Object)
	}
	if !IsValidID(im.Institution) {
		v.Addf("institution", "%q is not a valid institution id", im.Institution)
	}
	if !isSHA256(im.SHA256) {
		v.Addf("sha256", "%q is not a SHA-256 in hexadecimal", im.SHA256)
	}
	if im.Format == "" {
		v.Add("format", "is required")
	}
	if im.Width < 1 || im.Height < 1 {
		v.Add("width", "width and height must be at least 1")
	}
	if im.Bytes < 1 {
		v.Add("bytes", "must be at least 1")
	}
	if !im.Visibility.IsValid() {
		v.Addf("visibility", "%q is not one of public, consortium, internal", im.Visibility)
	}
	im.Caption.validate(&v, "caption")
	return v.Err("image")
}

// CheckUpdate refuses changes to what an image's file is: a new file is a
// new image.
func (im *Image) CheckUpdate(old *Image) error {
	var v Validator
	if im.Object != old.Object {
		v.Add("object", "cannot be changed; add the file to the other object instead")
	}
	if im.Institution != old.Institution {
		v.Add("institution", "cannot be changed")
	}
	if im.SHA256 != old.SHA256 || im.Format != old.Format || im.Width != old.Width || im.Height != old.Height || im.Bytes != old.Bytes {
		v.Add("sha256", "the file of an image cannot be changed (sha256, format, width, height, bytes); upload a new image")
	}
	return v.Err("image")
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// ImageService finds the images of objects. Writes go through RecordService.
type ImageService interface {
	// FindImages returns the live images of an object, in the order they
	// were added.
	FindImages(ctx context.Context, object string) ([]*Image, error)
	// FindImagedObjects returns the live objects of an institution that
	// have a live image, in the order they were created, keeping to what
	// scope may read (both the object and at least one of its images).
	FindImagedObjects(ctx context.Context, institution string, scope ReadScope) ([]*Object, error)
}
