package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wenyuan"
)

// importMapping maps the test CSV's Chinese columns.
const importMapping = `format: csv
fields:
  - {from: 藏品编号, to: accession_number}
  - {from: 名称, to: titles, lang: zh-Hans}
  - {from: 年代, to: date, parse: date}
  - from: 公开级别
    to: visibility
    values: {公开: public, 内部: internal}
    strict: true
`

// importCSV has two good rows and, on row 3, a visibility the mapping
// does not know.
const importCSV = "藏品编号,名称,年代,公开级别\n导-0001,青花梅瓶,明永乐,公开\n导-0002,粉彩碗,清乾隆,保密\n导-0003,白瓷盘,唐,内部\n"

// importForm builds the console's multipart import form.
func importForm(t testing.TB, fields map[string]string, fileName, file string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if k == "mapping" {
			fw, _ := mw.CreateFormFile("mapping", "mapping.yaml")
			fw.Write([]byte(v))
			continue
		}
		mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		fw.Write([]byte(file))
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// waitImport waits for an import's page to show its result.
func waitImport(t *testing.T, srv *httptest.Server, path string, headers ...string) page {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := do(t, srv, "GET", path, nil, headers...)
		mustStatus(t, "GET "+path, r, 200)
		pg := parsePage(t, r.body)
		if len(pg.all("p", "notice"))+len(pg.all("p", "alert")) > 0 {
			return pg
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import at %s did not finish", path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestConsoleImport: a file with a bad row imports nothing and says which
// row and field, with the rejected rows to download; with "import the
// good rows" the others go in; a mapping that names another institution
// is refused before any row is read; another user cannot see the import.
func TestConsoleImport(t *testing.T) {
	srv, db := MustServer(t)
	hdr := mustUser(t, db, "museum", wenyuan.RoleCataloguer)
	post := func(fields map[string]string, file string) response {
		body, ct := importForm(t, fields, "catalogue.csv", file)
		return do(t, srv, "POST", "/console/import", body, append(hdr, "Content-Type", ct)...)
	}
	mustStatus(t, "the form", do(t, srv, "GET", "/console/import", nil, hdr...), 200)

	// Nothing imported: row 3's visibility is unknown.
	r := post(map[string]string{"mapping": importMapping}, importCSV)
	mustStatus(t, "start", r, 200) // followed to the job's page
	jobPath := r.url
	if !strings.HasPrefix(jobPath, "/console/imports/") {
		t.Fatalf("the import started at %s", jobPath)
	}
	pg := waitImport(t, srv, jobPath, hdr...)
	if res := strings.Join(pg.all("p", "alert"), ""); !strings.Contains(res, "3") {
		t.Errorf("the result says %q", res)
	}
	rejects := strings.Join(pg.all("td", ""), "|")
	if !strings.Contains(rejects, "3|公开级别") || !strings.Contains(rejects, "保密") {
		t.Errorf("the rejected rows table reads %q, want row 3, column 公开级别, naming 保密", rejects)
	}
	if objs, _, _ := db.FindObjects(context.Background(), wenyuan.ObjectFilter{}); len(objs) != 0 {
		t.Fatalf("a file with a rejected row imported %d objects", len(objs))
	}
	dl := do(t, srv, "GET", jobPath+"/rejects", nil, hdr...)
	mustStatus(t, "download rejects", dl, 200)
	if !strings.Contains(string(dl.body), "导-0002") || strings.Contains(string(dl.body), "导-0001") || !strings.Contains(dl.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("the rejects file is %q (%s)", dl.body, dl.header.Get("Content-Disposition"))
	}

	// Another user of the same institution does not see it.
	other := mustUser(t, db, "museum", wenyuan.RoleCataloguer)
	if r := do(t, srv, "GET", jobPath, nil, other...); r.status != 404 {
		t.Errorf("another user's GET %s = %d, want 404", jobPath, r.status)
	}

	// The good rows only.
	r = post(map[string]string{"mapping": importMapping, "partial": "1"}, importCSV)
	mustStatus(t, "start partial", r, 200)
	pg = waitImport(t, srv, r.url, hdr...)
	if res := strings.Join(pg.all("p", "notice"), ""); res == "" {
		t.Errorf("the partial import's page shows no result: %q", pg.all("p", "alert"))
	}
	objs, _, _ := db.FindObjects(context.Background(), wenyuan.ObjectFilter{})
	if len(objs) != 2 || objs[0].Institution != "museum" {
		t.Errorf("the partial import made %d objects", len(objs))
	}

	// Refused before any row is read, on the form.
	for name, fields := range map[string]map[string]string{
		"maps institution": {"mapping": importMapping + "  - {from: 机构, to: institution}\n"},
		"no mapping":       {},
		"bad mapping":      {"mapping": "fields: [{from: a, to: nowhere}]"},
	} {
		r := post(fields, importCSV)
		if r.status != 400 || len(parsePage(t, r.body).all("p", "alert")) != 1 {
			t.Errorf("%s: %d, want 400 with the form and its error", name, r.status)
		}
	}
	body, ct := importForm(t, map[string]string{"mapping": importMapping}, "", "")
	if r := do(t, srv, "POST", "/console/import", body, append(hdr, "Content-Type", ct)...); r.status != 400 {
		t.Errorf("no file: %d, want 400", r.status)
	}
}
