package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"wenyuan"
	"wenyuan/linkedart"
)

// A record's page is also its Linked Art document: the same URL answers
// JSON-LD to a client that asks for application/ld+json (or to
// ?format=linked-art, for a link), so a record has one stable URL for
// people and machines alike.

// linkedArtType is the media type of Linked Art documents.
const linkedArtType = `application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"`

// wantsLinkedArt reports whether r asks for the Linked Art document: by
// the format parameter, or by Accept preferring JSON-LD to HTML.
func wantsLinkedArt(r *http.Request) bool {
	if f := r.URL.Query().Get("format"); f != "" {
		return f == "linked-art" || f == "jsonld"
	}
	ld, html := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "application/ld+json":
			ld = max(ld, q)
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
		}
	}
	return ld > 0 && ld > html
}

// linkedArtContext is the Linked Art context of a request.
func (s *Server) linkedArtContext(r *http.Request) *linkedart.Context {
	n := s.namer(r)
	return &linkedart.Context{
		Base:  s.baseURL(r),
		Names: n.of,
		AgentType: func(id string) string {
			if rec, err := s.Store.FindRecord(r.Context(), wenyuan.KindAgent, id); err == nil {
				return rec.(*wenyuan.Agent).Type
			}
			return ""
		},
	}
}

// writeLinkedArt answers a record as its Linked Art document.
func (s *Server) writeLinkedArt(w http.ResponseWriter, r *http.Request, rec wenyuan.Record) error {
	if o, ok := rec.(*wenyuan.Object); ok {
		// Links only to objects the client may read, as on the page.
		rec = s.linksOnly(o, func(id string) bool {
			_, err := s.readableObject(r, id)
			return err == nil
		})
	}
	doc, err := s.linkedArtContext(r).Record(rec)
	if err != nil {
		return err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", linkedArtType)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err = w.Write(append(b, '\n'))
	return err
}
