// Package web serves Wenyuan over HTTP: the JSON API under /api/v1, its
// OpenAPI description, health checks and the pages.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"wenyuan"
	"wenyuan/iiif"
	"wenyuan/search"
)

// Server is the HTTP face of Wenyuan. Its fields are its dependencies.
type Server struct {
	Store  wenyuan.Store
	Logger *slog.Logger
	// Search answers /api/v1/search and the search page; nil answers 503.
	Search *search.Engine
	// Images answers the IIIF Image API; nil answers 503.
	Images *iiif.Service
	// MaxUploadBytes bounds an image upload; 0 means 4 GiB.
	MaxUploadBytes int64
	// PublicURL is the scheme and host of the absolute URLs in IIIF
	// documents ("https://wenyuan.example.org"); empty: as requested.
	PublicURL string
	// MaxBodyBytes bounds a JSON request body; 0 means 1 MiB.
	MaxBodyBytes int64
	// Now is the clock for sessions and tokens; nil means time.Now.
	Now func() time.Time
	// OAIPageSize is the number of records an OAI-PMH page holds; 0
	// means 500.
	OAIPageSize int
	// AdminEmail is the address harvesters write to (OAI-PMH Identify).
	AdminEmail string
	// ImportMappings are the mappings the console's import offers, by
	// name (YAML or JSON text, as exchange.ParseMapping reads).
	ImportMappings map[string][]byte

	mux       *http.ServeMux
	guard     *guard
	imports   imports
	gzipped   gzipped
	nameCache nameCache
	imageCache
}

// NewServer returns a server over store with every route registered.
func NewServer(store wenyuan.Store, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{Store: store, Logger: logger, mux: http.NewServeMux(), guard: newGuard()}
	s.docCache = iiif.NewCache(16 << 20) // built manifests and collections
	for _, rt := range s.routes() {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.adapt(rt.Handler))
	}
	// Anything no route takes gets a problem document, not the mux's text.
	s.mux.HandleFunc("/", s.noRoute)
	return s
}

// ServeHTTP serves a request: it finds who makes it, refuses a forged one,
// and hands it to its route with the principal in its context.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	// What a response holds depends on who asks: no shared cache may keep
	// one user's answer for another.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Cookie, Authorization, Accept")
	ctx := wenyuan.WithAddress(r.Context(), clientAddress(r))
	r = r.WithContext(ctx)
	p, sess, err := s.authenticate(r)
	if err != nil {
		h.Set("WWW-Authenticate", `Bearer realm="wenyuan"`)
		s.problem(w, r, err)
		return
	}
	ctx = wenyuan.WithPrincipal(ctx, p)
	if sess != nil {
		ctx = context.WithValue(ctx, sessionKey{}, sess)
	}
	r = r.WithContext(ctx)
	if err := checkCSRF(r, sess); err != nil {
		s.audit(ctx, r, &wenyuan.AuditEntry{Action: "csrf", Outcome: "denied", Detail: r.Method + " " + r.URL.Path})
		s.problem(w, r, err)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// noRoute answers a request no route matches: 405 with Allow if the path
// is served for other methods, else 404; both as problem documents.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.problem(w, r, wenyuan.Errorf(wenyuan.ENOTFOUND, "nothing is at %s", r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.problem(w, r, wenyuan.Errorf("method_not_allowed", "%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
}

// handlerFunc is a handler that returns its error for adapt to answer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				s.problem(w, r, errors.New("panic"))
			}
		}()
		err := h(w, r)
		if r.Method != "GET" && r.Method != "HEAD" {
			// A write: the index reads the change feed now, and the name
			// cache the store's revision.
			s.nameCache.reset()
			if s.Search != nil {
				s.Search.Notify()
			}
		}
		if err != nil {
			if r.Method != "GET" && r.Method != "HEAD" {
				if code := wenyuan.ErrorCode(err); code != wenyuan.EUNAUTHORIZED && code != wenyuan.EFORBIDDEN && r.URL.Path != "/api/v1/session" {
					// Refused writes are in the log too (denials already are).
					s.audit(r.Context(), r, &wenyuan.AuditEntry{Action: strings.ToLower(r.Method), Outcome: "failed", Detail: r.URL.Path + ": " + wenyuan.ErrorMessage(err)})
				}
			}
			s.problem(w, r, err)
		}
	})
}

// statusOf maps error codes to HTTP statuses.
var statusOf = map[string]int{
	wenyuan.ENOTFOUND:     http.StatusNotFound,
	wenyuan.EINVALID:      http.StatusBadRequest,
	wenyuan.ECONFLICT:     http.StatusConflict,
	wenyuan.EUNAUTHORIZED: http.StatusUnauthorized,
	wenyuan.EFORBIDDEN:    http.StatusForbidden,
	wenyuan.EUNAVAILABLE:  http.StatusServiceUnavailable,
	wenyuan.EINTERNAL:     http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Code   string               `json:"code"`
	Errors []wenyuan.FieldError `json:"errors,omitempty"`
}

func (s *Server) problem(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		return // the client went away; nobody is there to answer
	}
	code := wenyuan.ErrorCode(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code = "too_large"
	}
	status, ok := statusOf[code]
	switch code {
	case "method_not_allowed":
		status, ok = http.StatusMethodNotAllowed, true
	case "too_many_requests":
		status, ok = http.StatusTooManyRequests, true
	case "not_implemented":
		status, ok = http.StatusNotImplemented, true
	}
	if code == "too_large" {
		status, ok = http.StatusRequestEntityTooLarge, true
		err = wenyuan.Errorf("too_large", "request body is larger than %d bytes", mbe.Limit)
	}
	if !ok || code == wenyuan.EINTERNAL {
		status = http.StatusInternalServerError
		s.Logger.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := Problem{
		Type:   "/problems/" + strings.ReplaceAll(code, "_", "-"),
		Title:  http.StatusText(status),
		Status: status,
		Detail: wenyuan.ErrorMessage(err),
		Code:   code,
		Errors: wenyuan.ErrorFields(err),
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if wantsPage(r) {
		s.errorPage(w, r, status, err)
		return
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// decodeJSON reads the request body into v, strictly: one JSON value, no
// unknown fields, at most MaxBodyBytes. Every failure is an EINVALID error
// that says where the body went wrong.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	// A JSON type is required: a cross-site form or no-cors fetch cannot
	// send one without a preflight.
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: fmt.Sprintf("request body must be sent as Content-Type: application/json, not %q", ct)}
	}
	limit := s.MaxBodyBytes
	if limit <= 0 {
		limit = 1 << 20
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return wenyuan.Errorf(wenyuan.EINVALID, "request body has more than one JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return wenyuan.Errorf(wenyuan.EINVALID, "request body has data after its JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var mbe *http.MaxBytesError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.Is(err, io.EOF):
		return wenyuan.Errorf(wenyuan.EINVALID, "request body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return wenyuan.Errorf(wenyuan.EINVALID, "request body ends in the middle of its JSON")
	case errors.As(err, &se):
		return wenyuan.Errorf(wenyuan.EINVALID, "malformed JSON at byte %d: %s", se.Offset, se.Error())
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(body)"
		}
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "wrong type in request body",
			Fields: []wenyuan.FieldError{{Field: field, Message: fmt.Sprintf("must be %s, not JSON %s", jsonTypeName(te.Type.String()), te.Value)}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &wenyuan.Error{Code: wenyuan.EINVALID, Message: "unknown field in request body",
			Fields: []wenyuan.FieldError{{Field: name, Message: "is not a field of this record"}}}
	}
	return wenyuan.Errorf(wenyuan.EINVALID, "cannot read request body: %v", err)
}

func jsonTypeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case goType == "string" || strings.HasSuffix(goType, "Visibility") || strings.HasSuffix(goType, "Kind"):
		return "a string"
	case strings.Contains(goType, "int") || strings.Contains(goType, "float"):
		return "a number"
	}
	return "an object"
}

func queryInt(r *http.Request, name string) (*int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, paramError(name, fmt.Sprintf("%q is not a whole number", v))
	}
	return &n, nil
}
