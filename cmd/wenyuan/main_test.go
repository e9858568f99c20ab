package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer the program writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCLI runs the real program's entry point with args.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// serveCLI runs a command that serves (demo, serve) until it prints its
// URL, and returns the URL, its output, and what stops it and returns its
// exit code.
func serveCLI(t *testing.T, args ...string) (url string, out, errb *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb = new(syncBuffer), new(syncBuffer)
	done := make(chan int)
	go func() { done <- run(ctx, args, strings.NewReader(""), out, errb) }()
	for deadline := time.Now().Add(60 * time.Second); url == "" && time.Now().Before(deadline); {
		if m := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/)`).FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("%s exited %d: %s %s", args[0], code, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if url == "" {
		cancel()
		<-done
		t.Fatalf("%s printed no URL: %s %s", args[0], out.String(), errb.String())
	}
	return url, out, errb, func() int {
		cancel()
		return <-done
	}
}

// TestDemo runs `wenyuan demo` as a registrar would, on a free port, and
// reads the sample back over HTTP.
func TestDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	url, out, errb, stop := serveCLI(t, "demo", "--data", dir)
	res, err := http.Get(url + "api/v1/objects?institution=palace-museum&limit=100")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Items []struct {
			Titles []struct{ Lang, Value string } `json:"titles"`
		} `json:"items"`
	}
	json.NewDecoder(res.Body).Decode(&page)
	res.Body.Close()
	found := false
	for _, it := range page.Items {
		for _, ti := range it.Titles {
			found = found || ti.Value == "清明上河图"
		}
	}
	if len(page.Items) < 10 || !found {
		t.Errorf("palace-museum objects = %d (清明上河图 found: %v)", len(page.Items), found)
	}
	res, err = http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "文渊") {
		t.Errorf("home page %d", res.StatusCode)
	}
	// The demo's accounts sign in with the passwords it printed.
	m := regexp.MustCompile(`palace-registrar\s+palace-museum\s+cataloguer\s+(\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no demo accounts printed: %s", out.String())
	}
	res, err = http.Post(url+"api/v1/session", "application/json", strings.NewReader(`{"username":"palace-registrar","password":"`+m[1]+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("demo sign-in: %d", res.StatusCode)
	}
	// Search finds the sample across partners and languages.
	res, err = http.Get(url + "api/v1/search?limit=50&q=" + neturl.QueryEscape("清明上河圖"))
	if err != nil {
		t.Fatal(err)
	}
	var hits struct {
		Total int `json:"total"`
		Hits  []struct {
			Accession string `json:"accession_number"`
		} `json:"hits"`
	}
	json.NewDecoder(res.Body).Decode(&hits)
	res.Body.Close()
	if hits.Total == 0 || hits.Hits[0].Accession != "故-画-0001" {
		t.Errorf("search 清明上河圖 (traditional) = %+v, want 故-画-0001 first", hits)
	}
	if code := stop(); code != 0 {
		t.Errorf("demo exit code %d: %s", code, errb.String())
	}
	// Shutting down saved the search index; reindex rebuilds it.
	before, err := os.Stat(filepath.Join(dir, "search.idx"))
	if err != nil {
		t.Fatalf("no search index saved on shutdown: %v", err)
	}
	if code, stdout, stderr := runCLI(t, "", "reindex", "--data", dir); code != 0 || !strings.Contains(stdout, "indexed 668 records") {
		t.Fatalf("reindex: %d %s %s", code, stdout, stderr)
	}
	if after, err := os.Stat(filepath.Join(dir, "search.idx")); err != nil || after.Size() != before.Size() {
		t.Errorf("reindex wrote %v (%v), want an index the size of the saved one (%d)", after, err, before.Size())
	}
	// A second start serves the same directory without loading again.
	if code, _, stderr := runCLI(t, "", "export", "--data", dir, "--format", "csv", "--out", filepath.Join(dir, "all.csv")); code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "all.csv"))
	if n := strings.Count(string(b), "\nwalters"); n < 600 {
		// Rows start with the id, then the institution; count institution cells instead.
		if c := strings.Count(string(b), ",walters,"); c != 626 {
			t.Errorf("CSV export has %d Walters rows, want 626", c)
		}
	}
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, _, stderr := runCLI(t, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	if code, _, stderr := runCLI(t, "", "institutions", "add", "--data", data, "u", "--name-en", "University", "--name-zh", "大学"); code != 0 {
		t.Fatalf("institutions add: %s", stderr)
	}
	mapping := filepath.Join(dir, "m.yaml")
	os.WriteFile(mapping, []byte("format: csv\nfields:\n  - {from: 编号, to: accession_number}\n  - {from: 名称, to: titles, lang: zh-Hans}\n  - {from: 年代, to: date, parse: date}\n"), 0o644)
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("编号,名称,年代\nU1,九成宫醴泉铭拓本,唐贞观六年\nU2,甲骨,商晚期\n"), 0o644)
	code, stdout, stderr := runCLI(t, "", "import", "--data", data, "--institution", "u", "--mapping", mapping, good)
	if code != 0 || !strings.Contains(stdout, "2 created") {
		t.Fatalf("import good: %d %s %s", code, stdout, stderr)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("编号,名称,年代\nU3,碑,唐\nU3,碑,唐\n"), 0o644)
	code, _, stderr = runCLI(t, "", "import", "--data", data, "--institution", "u", "--mapping", mapping, bad)
	if code != 1 || !strings.Contains(stderr, "row 3, field accession_number") || !strings.Contains(stderr, "nothing was imported") {
		t.Fatalf("import bad: %d %s", code, stderr)
	}
	if _, err := os.Stat(bad + ".rejects.csv"); err != nil {
		t.Errorf("no rejects file: %v", err)
	}
	code, _, stderr = runCLI(t, "", "import", "--data", data, "--institution", "nosuch", "--mapping", mapping, good)
	if code != 1 || !strings.Contains(stderr, `no institution "nosuch"`) {
		t.Errorf("import to missing institution: %d %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "import", "--data", data, "--mapping", mapping)
	if code != 2 {
		t.Errorf("import without input: %d %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "serve", "--data", filepath.Join(dir, "nosuch"))
	if code != 1 || !strings.Contains(stderr, "not a Wenyuan data directory") {
		t.Errorf("serve on a missing directory: %d %s", code, stderr)
	}
	code, stdout, _ = runCLI(t, "", "export", "--data", data)
	if code != 0 || !strings.Contains(stdout, "九成宫醴泉铭拓本") {
		t.Errorf("export: %d", code)
	}
}

func TestDatesCommand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "清乾隆\nnot a date\n1522-66\n", "dates")
	if code != 0 {
		t.Fatalf("dates: %d %s", code, stderr)
	}
	want := "1736\t1795\t清乾隆\n\t\tnot a date\n1522\t1566\t1522-66\n"
	if stdout != want {
		t.Errorf("dates output %q, want %q", stdout, want)
	}
}

func TestUsage(t *testing.T) {
	if code, _, stderr := runCLI(t, ""); code != 2 || !strings.Contains(stderr, "usage") {
		t.Errorf("no args: %d %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: %d", code)
	}
	if code, _, _ := runCLI(t, "", "serve", "--bogus"); code != 2 {
		t.Errorf("bad flag: %d", code)
	}
}

func TestUsersCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	runCLI(t, "", "migrate", "--data", data)
	runCLI(t, "", "institutions", "add", "--data", data, "u", "--name-en", "U")
	code, stdout, stderr := runCLI(t, "", "users", "add", "--data", data, "--institution", "u", "--admin", "Alice")
	if code != 0 || !strings.Contains(stdout, "added alice (admin) to u") || !strings.Contains(stdout, "password: ") {
		t.Fatalf("users add: %d %s %s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "a long enough password\n", "users", "add", "--data", data, "--institution", "u", "--roles", "cataloguer,researcher", "bob")
	if code != 0 || strings.Contains(stdout, "password:") {
		t.Fatalf("users add with a password: %d %s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "short\n", "users", "add", "--data", data, "--institution", "u", "--roles", "student", "carol"); code == 0 || !strings.Contains(stderr, "at least 10") {
		t.Errorf("short password: %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "users", "add", "--data", data, "--institution", "u", "--roles", "emperor", "dan"); code != 2 || !strings.Contains(stderr, "not a role") {
		t.Errorf("bad role: %d %s", code, stderr)
	}
	runCLI(t, "", "users", "set-roles", "--data", data, "--roles", "curator", "bob")
	runCLI(t, "", "users", "disable", "--data", data, "bob")
	_, stdout, _ = runCLI(t, "", "users", "list", "--data", data)
	if !strings.Contains(stdout, "bob\tu\tcurator\tdisabled") || !strings.Contains(stdout, "alice\tu\tadmin") {
		t.Errorf("users list:\n%s", stdout)
	}
	if code, stdout, _ := runCLI(t, "", "users", "reset-password", "--data", data, "alice"); code != 0 || !strings.Contains(stdout, "password: ") {
		t.Errorf("reset-password: %d %s", code, stdout)
	}
}

func TestSizeFlag(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1500", 1500, true}, {"500K", 500 << 10, true}, {"256m", 256 << 20, true}, {"4G", 4 << 30, true}, {"0", 0, true},
		{"", 0, false}, {"G", 0, false}, {"-1", 0, false}, {"1.5G", 0, false}, {"4T", 0, false},
	} {
		var n int64
		err := sizeFlag{&n}.Set(tt.in)
		if (err == nil) != tt.ok || (tt.ok && n != tt.want) {
			t.Errorf("sizeFlag.Set(%q) = %d, %v; want %d, ok %v", tt.in, n, err, tt.want, tt.ok)
		}
	}
}

// TestServeImageDiskCache serves an image with --image-disk-cache and
// checks that a computed view lands on disk under the data directory.
func TestServeImageDiskCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, stderr := runCLI(t, "", "migrate", "--data", dir); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	records := filepath.Join(t.TempDir(), "o.jsonl")
	os.WriteFile(records, []byte(`{"kind":"institution","record":{"id":"t","names":[{"lang":"en","value":"T"}]}}
{"kind":"object","record":{"id":"t-object","institution":"t","accession_number":"T-1","titles":[{"lang":"en","value":"T"}],"visibility":"public"}}
`), 0o644)
	if code, _, stderr := runCLI(t, "", "import", "--data", dir, records); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	if code, _, stderr := runCLI(t, "", "images", "add", "--data", dir, "--id", "pic", "t-object", "../../iiif/testdata/validator.png"); code != 0 {
		t.Fatalf("images add: %s", stderr)
	}
	if code, _, stderr := runCLI(t, "", "serve", "--data", dir, "--image-disk-cache", "-5"); code == 0 || !strings.Contains(stderr, "image-disk-cache") {
		t.Errorf("serve --image-disk-cache -5: %d %s", code, stderr)
	}
	url, _, errb, stop := serveCLI(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--image-disk-cache", "10M")
	res, err := http.Get(url + "iiif/3/pic/full/123,/0/default.jpg")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if code := stop(); code != 0 {
		t.Fatalf("serve exit code %d: %s", code, errb.String())
	}
	if res.StatusCode != 200 {
		t.Fatalf("computed view: %d", res.StatusCode)
	}
	var files int
	filepath.WalkDir(filepath.Join(dir, "cache", "images"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files != 1 {
		t.Errorf("%d files in the image disk cache after one computed view, want 1", files)
	}
}
