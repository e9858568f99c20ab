package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"wenyuan"
	"wenyuan/iiif"
)

// ImageList is the images of an object.
type ImageList struct {
	Items []*wenyuan.Image `json:"items"`
}

func (s *Server) handleObjectImages(w http.ResponseWriter, r *http.Request) error {
	obj, err := s.visible(r, wenyuan.KindObject, r.PathValue("id"))
	if err != nil {
		return err
	}
	imgs, err := s.readableImages(r, obj.ID)
	if err != nil {
		return err
	}
	if imgs == nil {
		imgs = []*wenyuan.Image{}
	}
	return writeJSON(w, http.StatusOK, ImageList{Items: imgs})
}

// ImageMetadata is what an upload may say about its image, in a part named
// "metadata" before the file.
type ImageMetadata struct {
	Caption      wenyuan.Text       `json:"caption,omitempty"`
	Photographer string             `json:"photographer,omitempty"`
	Rights       string             `json:"rights,omitempty"`
	Visibility   wenyuan.Visibility `json:"visibility,omitempty"`
}

// handleUpload adds an image to an object from a multipart/form-data body:
// an optional part "metadata" (JSON, ImageMetadata) and a part "file", the
// master. The file is streamed to disk, never held in memory. 201 with the
// new image record; 200 with the existing one if the object has this file
// already.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) error {
	obj, err := s.visible(r, wenyuan.KindObject, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.mayWrite(r, wenyuan.Target{Kind: wenyuan.KindImage, Institution: obj.Institution, Visibility: wenyuan.VisibilityPublic}, ""); err != nil {
		return err
	}
	svc, err := s.imageService()
	if err != nil {
		return err
	}
	limit := s.MaxUploadBytes
	if limit <= 0 {
		limit = 4 << 30
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "send the image as multipart/form-data with a part named file",
			Fields: []wenyuan.FieldError{{Field: "file", Message: "is required"}}}
	}
	var meta ImageMetadata
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return wenyuan.Errorf(wenyuan.EINVALID, "the multipart body is malformed: %s", err)
		}
		switch part.FormName() {
		case "metadata":
			dec := json.NewDecoder(io.LimitReader(part, 64<<10))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&meta); err != nil {
				return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid metadata", Fields: []wenyuan.FieldError{{Field: "metadata", Message: jsonError(err).Error()}}}
			}
		case "file":
			im := wenyuan.Image{Institution: obj.Institution, FileName: part.FileName(), Caption: meta.Caption, Photographer: meta.Photographer, Rights: meta.Rights, Visibility: meta.Visibility}
			if err := s.mayWrite(r, wenyuan.TargetOf(&im), ""); err != nil {
				return err
			}
			got, created, err := iiif.Add(r.Context(), s.Store, svc.Files, obj.ID, part, im)
			if err != nil {
				return err
			}
			// The rest of the body, if any, is not read: one file per upload.
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			w.Header().Set("Location", "/api/v1/images/"+got.ID)
			w.Header().Set("ETag", etag(&got.Meta))
			return writeJSON(w, status, got)
		default:
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "unknown part " + part.FormName(),
				Fields: []wenyuan.FieldError{{Field: part.FormName(), Message: "is not a part of an upload (metadata, file)"}}}
		}
	}
	return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "no file in the upload", Fields: []wenyuan.FieldError{{Field: "file", Message: "is required"}}}
}
