package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"wenyuan"
	"wenyuan/web"
)

// quadrants returns a w×h PNG in four colours: red top-left, green
// top-right, blue bottom-left, white bottom-right.
func quadrants(tb testing.TB, w, h int) []byte {
	tb.Helper()
	im := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.RGBA
			switch {
			case x < w/2 && y < h/2:
				c = color.RGBA{220, 0, 0, 255}
			case y < h/2:
				c = color.RGBA{0, 200, 0, 255}
			case x < w/2:
				c = color.RGBA{0, 0, 220, 255}
			default:
				c = color.RGBA{255, 255, 255, 255}
			}
			im.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, im); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// multipartUpload returns a body and its content type for an upload of
// file with optional metadata JSON.
func multipartUpload(tb testing.TB, metadata string, name string, file []byte) ([]byte, string) {
	tb.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if metadata != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="metadata"`)
		h.Set("Content-Type", "application/json")
		pw, _ := mw.CreatePart(h)
		pw.Write([]byte(metadata))
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// setupImages gives every fixed object of the matrix three images, one of
// each visibility, all of one master.
func (m *matrix) setupImages() {
	srv := m.srv.Config.Handler.(*web.Server)
	in, err := srv.Images.Files.Ingest(context.Background(), bytes.NewReader(quadrants(m.t, 600, 400)))
	if err != nil {
		m.t.Fatal(err)
	}
	m.master = in
	m.images = map[string]map[wenyuan.Visibility]map[wenyuan.Visibility]string{}
	for inst, byVis := range m.objects {
		m.images[inst] = map[wenyuan.Visibility]map[wenyuan.Visibility]string{}
		for ov, oid := range byVis {
			m.images[inst][ov] = map[wenyuan.Visibility]string{}
			for _, iv := range visibilities {
				m.images[inst][ov][iv] = m.image(inst, oid, iv)
			}
		}
	}
}

func (m *matrix) image(inst, object string, vis wenyuan.Visibility) string {
	im := &wenyuan.Image{Object: object, Institution: inst, SHA256: m.master.SHA256, Format: m.master.Format,
		Width: m.master.Width, Height: m.master.Height, Bytes: m.master.Bytes, Visibility: vis}
	if err := m.db.CreateRecord(wenyuan.WithActor(context.Background(), "setup"), im); err != nil {
		m.t.Fatal(err)
	}
	return im.ID
}

// eachImage calls fn for every fixed image with whether p may read it: it
// and its object both.
func (m *matrix) eachImage(p who, fn func(inst string, ov, iv wenyuan.Visibility, id string, read bool)) {
	for inst, byObj := range m.images {
		for ov, byImg := range byObj {
			for iv, id := range byImg {
				fn(inst, ov, iv, id, p.mayRead(inst, ov) && p.mayRead(inst, iv))
			}
		}
	}
}

func (m *matrix) checkIIIF(p who, method, pattern string) bool {
	switch pattern {
	case "/iiif/3/{id}", "/iiif/3/{id}/info.json", "/iiif/3/{id}/{region}/{size}/{rotation}/{file}":
		path := strings.NewReplacer("{region}", "full", "{size}", "max", "{rotation}", "0", "{file}", "default.jpg").Replace(pattern)
		m.eachImage(p, func(inst string, ov, iv wenyuan.Visibility, id string, read bool) {
			m.outcome(p, method, strings.Replace(path, "{id}", id, 1), nil, read)
		})
		return true
	case "/iiif/manifests/{id}":
		for inst, byVis := range m.objects {
			for ov, oid := range byVis {
				r := do(m.t, m.srv, method, "/iiif/manifests/"+oid, nil, p.header...)
				if !p.mayRead(inst, ov) {
					if r.status != 404 {
						m.t.Errorf("%s: manifest of %s object of %s = %d, want 404", p.name, ov, inst, r.status)
					}
					continue
				}
				var man struct {
					Items []struct {
						Items []struct {
							Items []struct {
								Body struct {
									Service []struct{ ID string } `json:"service"`
								} `json:"body"`
							} `json:"items"`
						} `json:"items"`
					} `json:"items"`
				}
				r.json(m.t, &man)
				var got []string
				for _, c := range man.Items {
					svc := c.Items[0].Items[0].Body.Service[0].ID
					got = append(got, svc[strings.LastIndex(svc, "/")+1:])
				}
				for _, iv := range visibilities {
					if id := m.images[inst][ov][iv]; slices.Contains(got, id) != p.mayRead(inst, iv) {
						m.t.Errorf("%s: manifest of %s object of %s has the %s image: %v, want %v", p.name, ov, inst, iv, !p.mayRead(inst, iv), p.mayRead(inst, iv))
					}
				}
			}
		}
		return true
	case "/iiif/collections/{institution}":
		for inst, byVis := range m.objects {
			var col struct {
				Items []struct{ ID string } `json:"items"`
			}
			do(m.t, m.srv, method, "/iiif/collections/"+inst, nil, p.header...).json(m.t, &col)
			var got []string
			for _, it := range col.Items {
				got = append(got, it.ID[strings.LastIndex(it.ID, "/")+1:])
			}
			for ov, oid := range byVis {
				if slices.Contains(got, oid) != p.mayRead(inst, ov) {
					m.t.Errorf("%s: collection of %s lists the %s object: %v, want %v", p.name, inst, ov, !p.mayRead(inst, ov), p.mayRead(inst, ov))
				}
			}
		}
		return true
	}
	return false
}

func (m *matrix) checkObjectImages(p who, method string) bool {
	for inst, byVis := range m.objects {
		for ov, oid := range byVis {
			read := p.mayRead(inst, ov)
			if method == "POST" {
				body, ct := multipartUpload(m.t, `{"visibility":"internal"}`, "scan.png", quadrants(m.t, 64, 48+len(p.name)))
				m.outcome(p, method, "/api/v1/objects/"+oid+"/images", body, read && p.mayWriteObject(inst), "Content-Type", ct)
				continue
			}
			r := do(m.t, m.srv, method, "/api/v1/objects/"+oid+"/images", nil, p.header...)
			if !read {
				if r.status != 404 {
					m.t.Errorf("%s: images of %s object of %s = %d, want 404", p.name, ov, inst, r.status)
				}
				continue
			}
			var list web.ImageList
			r.json(m.t, &list)
			for _, im := range list.Items {
				if !p.mayRead(im.Institution, im.Visibility) {
					m.t.Errorf("%s: images of %s object of %s lists a %s image", p.name, ov, inst, im.Visibility)
				}
			}
			for _, iv := range visibilities {
				found := slices.ContainsFunc(list.Items, func(im *wenyuan.Image) bool { return im.ID == m.images[inst][ov][iv] })
				if found != p.mayRead(inst, iv) {
					m.t.Errorf("%s: images of %s object of %s has the %s image: %v, want %v", p.name, ov, inst, iv, found, p.mayRead(inst, iv))
				}
			}
		}
	}
	return true
}

func (m *matrix) checkImages(p who, method, rest string) bool {
	known := true
	m.eachImage(p, func(inst string, ov, iv wenyuan.Visibility, id string, read bool) {
		write := read && p.mayWriteObject(inst)
		base := "/api/v1/images/" + id
		switch method + " " + rest {
		case "GET {id}":
			m.outcome(p, method, base, nil, read)
		case "PUT {id}":
			body := map[string]any{"object": m.objects[inst][ov], "institution": inst, "sha256": m.master.SHA256, "format": m.master.Format,
				"width": m.master.Width, "height": m.master.Height, "bytes": m.master.Bytes, "visibility": iv,
				"caption": []map[string]string{{"lang": "en", "value": "caption by " + p.name}}}
			m.outcome(p, method, base, body, write)
		case "DELETE {id}":
			fresh := m.image(inst, m.objects[inst][ov], iv)
			m.outcome(p, method, "/api/v1/images/"+fresh, nil, write)
		case "GET {id}/versions", "GET {id}/diff":
			m.outcome(p, method, base+"/"+strings.TrimPrefix(rest, "{id}/"), nil, read)
		case "GET {id}/versions/{version}":
			m.outcome(p, method, base+"/versions/1", nil, read)
		case "POST {id}/revert":
			m.outcome(p, method, base+"/revert", map[string]int{"version": 1}, write)
		default:
			known = false
		}
	})
	return known
}
