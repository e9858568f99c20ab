package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// gzipped keeps the gzip form of the embedded text assets, made once on
// first request: the deep-zoom viewer's script is 350 KB as it is and
// under 90 KB compressed, which keeps an object page under 200 KB.
type gzipped struct {
	mu    sync.Mutex
	files map[string][]byte
}

// compressible are the content types worth compressing.
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "image/svg")
}

// writeAsset writes an embedded file, compressed when the client accepts
// gzip and the type gains from it.
func (s *Server) writeAsset(w http.ResponseWriter, r *http.Request, name, ct string, b []byte, maxAge string) error {
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "public, max-age="+maxAge)
	h.Del("Vary")
	if compressible(ct) {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			z, err := s.gzipped.get(name, b)
			if err != nil {
				return err
			}
			h.Set("Content-Encoding", "gzip")
			b = z
		}
	}
	_, err := w.Write(b)
	return err
}

func (g *gzipped) get(name string, b []byte) ([]byte, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if z, ok := g.files[name]; ok {
		return z, nil
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if g.files == nil {
		g.files = map[string][]byte{}
	}
	g.files[name] = buf.Bytes()
	return buf.Bytes(), nil
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
		}
	}
	return false
}
