package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"wenyuan"
	"wenyuan/auth"
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
	got, created, err := s.upload(w, r, nil, func(part *multipart.Part, meta *ImageMetadata) error {
		if part.FormName() != "metadata" {
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "unknown part " + part.FormName(),
				Fields: []wenyuan.FieldError{{Field: part.FormName(), Message: "is not a part of an upload (metadata, file)"}}}
		}
		dec := json.NewDecoder(io.LimitReader(part, 64<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(meta); err != nil {
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "invalid metadata", Fields: []wenyuan.FieldError{{Field: "metadata", Message: jsonError(err).Error()}}}
		}
		return nil
	})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/images/"+got.ID)
	w.Header().Set("ETag", etag(&got.Meta))
	return writeJSON(w, status, got)
}

// upload adds an image to the object the path names from a multipart
// body: readPart reads each part before the one named "file" into the
// image's metadata, and check, if set, may still refuse before the file; the file is streamed to disk, never held in memory,
// and the rest of the body is not read (one file per upload). It reports
// whether the image is new (false: the object had this file already).
// The API and the console both upload through it.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, check func() error, readPart func(*multipart.Part, *ImageMetadata) error) (*wenyuan.Image, bool, error) {
	obj, err := s.visible(r, wenyuan.KindObject, r.PathValue("id"))
	if err != nil {
		return nil, false, err
	}
	if err := s.mayWrite(r, wenyuan.Target{Kind: wenyuan.KindImage, Institution: obj.Institution, Visibility: wenyuan.VisibilityPublic}, ""); err != nil {
		return nil, false, err
	}
	svc, err := s.imageService()
	if err != nil {
		return nil, false, err
	}
	limit := s.MaxUploadBytes
	if limit <= 0 {
		limit = 4 << 30
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, false, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "send the image as multipart/form-data with a part named file",
			Fields: []wenyuan.FieldError{{Field: "file", Message: "is required"}}}
	}
	var meta ImageMetadata
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, false, wenyuan.Errorf(wenyuan.EINVALID, "the multipart body is malformed: %s", err)
		}
		if part.FormName() != "file" {
			if err := readPart(part, &meta); err != nil {
				return nil, false, err
			}
			continue
		}
		if part.FileName() == "" {
			return nil, false, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "no file in the upload", Fields: []wenyuan.FieldError{{Field: "file", Message: "is required: choose an image file"}}}
		}
		if check != nil {
			if err := check(); err != nil {
				return nil, false, err
			}
		}
		im := wenyuan.Image{Institution: obj.Institution, FileName: part.FileName(), Caption: meta.Caption, Photographer: meta.Photographer, Rights: meta.Rights, Visibility: meta.Visibility}
		if err := s.mayWrite(r, wenyuan.TargetOf(&im), ""); err != nil {
			return nil, false, err
		}
		return iiif.Add(r.Context(), s.Store, svc.Files, obj.ID, part, im)
	}
	return nil, false, &wenyuan.Error{Code: wenyuan.EINVALID, Message: "no file in the upload", Fields: []wenyuan.FieldError{{Field: "file", Message: "is required"}}}
}

// handleUploadForm adds an image from the console's upload form without
// JavaScript (with it, the page sends the file to the API and shows its
// progress): the form's fields come before the file.
func (s *Server) handleUploadForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	sess := sessionFrom(r.Context())
	tokenOK := false
	lang := pageLang(r)
	_, _, err := s.upload(w, r, func() error {
		if sess != nil && !tokenOK {
			return wenyuan.Errorf(wenyuan.EFORBIDDEN, "the form is stale or not from this site: reload the page and send it again")
		}
		return nil
	}, func(part *multipart.Part, meta *ImageMetadata) error {
		b, err := io.ReadAll(io.LimitReader(part, 64<<10))
		if err != nil {
			return wenyuan.Errorf(wenyuan.EINVALID, "the upload is cut: %s", err)
		}
		v := strings.TrimSpace(string(b))
		switch part.FormName() {
		case "csrf_token":
			tokenOK = sess != nil && auth.Equal(v, sess.CSRF)
		case "caption":
			if v != "" {
				meta.Caption = wenyuan.Text{{Lang: lang, Value: v}}
			}
		case "visibility":
			meta.Visibility = wenyuan.Visibility(v)
		case "photographer":
			meta.Photographer = v
		case "rights":
			meta.Rights = v
		default:
			return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "unknown field " + part.FormName(),
				Fields: []wenyuan.FieldError{{Field: part.FormName(), Message: "is not a field of the upload form"}}}
		}
		return nil
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/console/objects/"+r.PathValue("id")+"/edit?saved=1#imgs", http.StatusSeeOther)
	return nil
}
