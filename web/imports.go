package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"wenyuan"
	"wenyuan/auth"
	"wenyuan/exchange"
)

// Bulk import from the browser: a cataloguer uploads a file and a mapping
// (or picks one of the server's), the import runs in the background into
// their own institution, and a page shows its progress, its result and
// the rejected rows as a file to fix and send again.

// maxImportJobs is how many imports the server remembers; the oldest
// finished one is forgotten (and its files removed) first.
const maxImportJobs = 50

// importJob is one import started from the console.
type importJob struct {
	ID          string
	UserID      string
	Institution string
	FileName    string
	Mapping     string
	Partial     bool
	Started     time.Time
	dir         string // the upload and the rejects file

	mu       sync.Mutex
	progress exchange.Progress
	result   *exchange.Result
	err      error
	done     bool
}

// imports are the server's import jobs.
type imports struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

func (im *imports) add(j *importJob) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.jobs == nil {
		im.jobs = map[string]*importJob{}
	}
	if len(im.jobs) >= maxImportJobs {
		var oldest *importJob
		for _, o := range im.jobs {
			o.mu.Lock()
			done := o.done
			o.mu.Unlock()
			if done && (oldest == nil || o.Started.Before(oldest.Started)) {
				oldest = o
			}
		}
		if oldest != nil {
			delete(im.jobs, oldest.ID)
			os.RemoveAll(oldest.dir)
		}
	}
	im.jobs[j.ID] = j
}

// start adds j unless an import into its institution is running.
func (im *imports) start(j *importJob) bool {
	im.mu.Lock()
	for _, o := range im.jobs {
		o.mu.Lock()
		busy := !o.done && o.Institution == j.Institution
		o.mu.Unlock()
		if busy {
			im.mu.Unlock()
			return false
		}
	}
	im.mu.Unlock()
	im.add(j)
	return true
}

func (im *imports) get(id string) *importJob {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.jobs[id]
}

// importFormView is the import form.
type importFormView struct {
	frame
	Mappings []option
	Error    string
}

func (s *Server) mappingOptions() []option {
	var out []option
	for name := range s.ImportMappings {
		out = append(out, option{name, name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	if err := s.mayWriteKind(r, wenyuan.KindObject); err != nil {
		return err
	}
	f := s.newFrame(r, "")
	f.Title, f.NoIndex = f.T("import.title"), true
	return render(w, "import.html", importFormView{frame: f, Mappings: s.mappingOptions()})
}

// handleImportStart reads the upload (the file to disk, the mapping to
// memory) and starts the import. Problems found before any row is read
// are shown on the form again.
func (s *Server) handleImportStart(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := s.mayWriteKind(r, wenyuan.KindObject); err != nil {
		return err
	}
	inst := p.Institution
	if p.ScopeInstitution != "" {
		inst = p.ScopeInstitution
	}
	job := &importJob{ID: wenyuan.NewID(), UserID: p.UserID, Institution: inst, Started: s.now()}
	job.dir, err = os.MkdirTemp("", "wenyuan-import-")
	if err != nil {
		return err
	}
	fail := func(err error) error {
		os.RemoveAll(job.dir)
		if wenyuan.ErrorCode(err) != wenyuan.EINVALID {
			return err
		}
		f := s.newFrame(r, "")
		f.Title, f.NoIndex = f.T("import.title"), true
		msg := wenyuan.ErrorMessage(err)
		for _, fe := range wenyuan.ErrorFields(err) {
			msg += "; " + fe.Field + ": " + fe.Message
		}
		w.WriteHeader(http.StatusBadRequest)
		return render(w, "import.html", importFormView{frame: f, Mappings: s.mappingOptions(), Error: msg})
	}
	limit := s.MaxUploadBytes
	if limit <= 0 {
		limit = 4 << 30
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return fail(wenyuan.Errorf(wenyuan.EINVALID, "send the form as multipart/form-data"))
	}
	var mappingText []byte
	var size int64
	tokenOK := false
	opts := exchange.Options{Institution: inst}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(wenyuan.Errorf(wenyuan.EINVALID, "the upload is cut or malformed: %s", err))
		}
		switch part.FormName() {
		case "csrf_token":
			// The form's token, checked as it arrives (checkCSRF could not
			// read a streamed upload).
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			if sess := sessionFrom(r.Context()); sess != nil {
				tokenOK = auth.Equal(strings.TrimSpace(string(b)), sess.CSRF)
			}
		case "preset":
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			if name := strings.TrimSpace(string(b)); name != "" {
				m, ok := s.ImportMappings[name]
				if !ok {
					return fail(wenyuan.Errorf(wenyuan.EINVALID, "preset: no mapping called %q", name))
				}
				mappingText, job.Mapping = m, name
			}
		case "mapping":
			b, err := io.ReadAll(io.LimitReader(part, 1<<20+1))
			if err != nil {
				return fail(wenyuan.Errorf(wenyuan.EINVALID, "mapping: %s", err))
			}
			if len(b) > 1<<20 {
				return fail(wenyuan.Errorf(wenyuan.EINVALID, "mapping: a mapping file is at most 1 MiB"))
			}
			if len(b) > 0 {
				mappingText, job.Mapping = b, part.FileName()
			}
		case "encoding":
			b, _ := io.ReadAll(io.LimitReader(part, 100))
			opts.Encoding = strings.TrimSpace(string(b))
		case "partial":
			b, _ := io.ReadAll(io.LimitReader(part, 100))
			opts.Partial = strings.TrimSpace(string(b)) != ""
		case "file":
			// The token comes before the file in the form: nothing is
			// stored for a form that is not this site's.
			if sessionFrom(r.Context()) != nil && !tokenOK {
				os.RemoveAll(job.dir)
				return wenyuan.Errorf(wenyuan.EFORBIDDEN, "the form is stale or not from this site: reload the page and send it again")
			}
			job.FileName = filepath.Base(part.FileName())
			out, err := os.Create(filepath.Join(job.dir, "input"))
			if err != nil {
				return fail(err)
			}
			size, err = io.Copy(out, part)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return fail(err)
				}
				return fail(wenyuan.Errorf(wenyuan.EINVALID, "file: the upload is cut: %s", err))
			}
		default:
			return fail(wenyuan.Errorf(wenyuan.EINVALID, "%s is not a field of the import form", part.FormName()))
		}
	}
	if sessionFrom(r.Context()) != nil && !tokenOK {
		os.RemoveAll(job.dir)
		return wenyuan.Errorf(wenyuan.EFORBIDDEN, "the form is stale or not from this site: reload the page and send it again")
	}
	if job.FileName == "" || size == 0 {
		return fail(wenyuan.Errorf(wenyuan.EINVALID, "file: choose the file to import (CSV or JSON Lines)"))
	}
	if mappingText == nil {
		return fail(wenyuan.Errorf(wenyuan.EINVALID, "mapping: choose one of the mappings or upload your own"))
	}
	m, err := exchange.ParseMapping(mappingText)
	if err != nil {
		return fail(err)
	}
	// The console imports into the user's own institution: a mapping may
	// not name another, nor write over records by their id.
	for i, fld := range m.Fields {
		if fld.To == "institution" || fld.To == "id" {
			return fail(wenyuan.Errorf(wenyuan.EINVALID, "mapping: fields[%d] maps to %s; an import from the console goes into your institution, %s, and finds existing records by accession number: leave %s out", i, fld.To, inst, fld.To))
		}
	}
	opts.Mapping = m
	if m.Format == "" {
		opts.Format = exchange.FormatOf(job.FileName)
	}
	opts.Size = size
	opts.RejectsPath = filepath.Join(job.dir, "rejects")
	job.Partial = opts.Partial
	opts.Progress = func(pr exchange.Progress) {
		job.mu.Lock()
		job.progress = pr
		job.mu.Unlock()
	}
	if !s.imports.start(job) {
		return fail(wenyuan.Errorf(wenyuan.EINVALID, "an import into %s is running already; wait for it to finish (each import holds the catalogue's write lock while it runs)", inst))
	}
	// The import outlives the request, as the same user.
	ctx := context.WithoutCancel(r.Context())
	go func() {
		in, err := os.Open(filepath.Join(job.dir, "input"))
		var res *exchange.Result
		if err == nil {
			res, err = exchange.Import(ctx, s.Store, in, opts)
			in.Close()
		}
		os.Remove(filepath.Join(job.dir, "input"))
		if s.Search != nil {
			s.Search.Notify()
		}
		job.mu.Lock()
		job.result, job.err, job.done = res, err, true
		job.mu.Unlock()
		if err != nil && !errors.Is(err, exchange.ErrRejected) && wenyuan.ErrorCode(err) != wenyuan.EINVALID {
			s.Logger.Error("import", "job", job.ID, "err", err)
		}
	}()
	http.Redirect(w, r, "/console/imports/"+job.ID, http.StatusSeeOther)
	return nil
}

// importView is an import's progress and, once done, its result.
type importView struct {
	frame
	Job         *importJob
	Done        bool
	Percent     int
	Rows        int
	Result      *exchange.Result
	Error       string
	Rejects     []exchange.Reject
	MoreRejects int
	Committed   bool
}

// ownJob returns the import id of the request's user, or not found.
func (s *Server) ownJob(r *http.Request) (*importJob, error) {
	p, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	j := s.imports.get(r.PathValue("id"))
	if j == nil || j.UserID != p.UserID {
		return nil, wenyuan.Errorf(wenyuan.ENOTFOUND, "no import %s of yours (the server remembers the last %d)", r.PathValue("id"), maxImportJobs)
	}
	return j, nil
}

func (s *Server) handleImportPage(w http.ResponseWriter, r *http.Request) error {
	j, err := s.ownJob(r)
	if err != nil {
		return err
	}
	f := s.newFrame(r, "")
	f.Title, f.NoIndex = f.T("import.title")+" · "+j.FileName, true
	j.mu.Lock()
	v := importView{frame: f, Job: j, Done: j.done, Rows: j.progress.Rows, Result: j.result}
	if j.progress.Size > 0 {
		v.Percent = int(100 * j.progress.Bytes / j.progress.Size)
	}
	if j.done {
		v.Percent = 100
		if j.result != nil {
			v.Rows, v.Committed = j.result.Rows, j.result.Committed
			v.Rejects = j.result.Rejects
			if len(v.Rejects) > 100 {
				v.Rejects, v.MoreRejects = v.Rejects[:100], len(v.Rejects)-100
			}
		}
		if j.err != nil && !errors.Is(j.err, exchange.ErrRejected) {
			v.Error = wenyuan.ErrorMessage(j.err)
			if wenyuan.ErrorCode(j.err) == wenyuan.EINTERNAL {
				v.Error = f.T("error.internal")
			}
		}
	}
	j.mu.Unlock()
	return render(w, "importjob.html", v)
}

// handleImportRejects sends the rejected rows, in the input's own format
// with a column saying why, to fix and import again.
func (s *Server) handleImportRejects(w http.ResponseWriter, r *http.Request) error {
	j, err := s.ownJob(r)
	if err != nil {
		return err
	}
	j.mu.Lock()
	done := j.done
	j.mu.Unlock()
	b, err := os.ReadFile(filepath.Join(j.dir, "rejects"))
	if !done || err != nil {
		return wenyuan.Errorf(wenyuan.ENOTFOUND, "import %s has no rejected rows", j.ID)
	}
	ext, ct := ".csv", "text/csv; charset=utf-8"
	if len(b) > 0 && b[0] == '{' {
		ext, ct = ".jsonl", "application/jsonl; charset=utf-8"
	}
	name := strings.TrimSuffix(j.FileName, filepath.Ext(j.FileName)) + ".rejects" + ext
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", "rejects"+ext, pathEscape(name)))
	_, err = w.Write(b)
	return err
}

// pathEscape percent-encodes a file name for Content-Disposition.
func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
