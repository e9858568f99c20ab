package web

import (
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"wenyuan"
)

// TestCatalogs: both languages have the same keys, none empty, and every
// key the templates and handlers use is in them — also the keys they make
// from a known list of values.
func TestCatalogs(t *testing.T) {
	zh, en := catalogs[wenyuan.LangHans], catalogs[wenyuan.LangEn]
	for _, pair := range []struct {
		name  string
		a, b  map[string]string
		bName string
	}{{"zh-Hans", zh, en, "en"}, {"en", en, zh, "zh-Hans"}} {
		for k, v := range pair.a {
			if _, ok := pair.b[k]; !ok {
				t.Errorf("messages/%s.json has %q, messages/%s.json does not", pair.name, k, pair.bName)
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("messages/%s.json: %q is empty", pair.name, k)
			}
		}
	}
	used := map[string]string{} // key → where
	literal := regexp.MustCompile(`\bT "([a-z0-9_.-]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = path
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goLiteral := regexp.MustCompile(`\.T\("([a-z0-9_.-]+)"[,)]|(?:field|add)\("([a-z0-9_.-]+)"[,)]`)
	files, _ := filepath.Glob("*.go")
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goLiteral.FindAllStringSubmatch(string(b), -1) {
			used[m[1]+m[2]] = file
		}
	}
	// Keys made from values.
	for _, name := range []string{"institution", "classification", "period", "material", "maker", "place", "has_image", "visibility"} {
		used["facet."+name] = "searchpage.go"
	}
	for _, k := range []string{"facet.has_image.true", "facet.has_image.false"} {
		used[k] = "searchpage.go"
	}
	for _, v := range []wenyuan.Visibility{wenyuan.VisibilityPublic, wenyuan.VisibilityConsortium, wenyuan.VisibilityInternal} {
		used["visibility."+string(v)] = "Term"
	}
	for _, k := range []wenyuan.Kind{wenyuan.KindAgent, wenyuan.KindPlace, wenyuan.KindPeriod, wenyuan.KindConcept} {
		used["kind."+string(k)] = "portal.go"
	}
	for _, v := range []string{wenyuan.ObjectTangible, wenyuan.ObjectSite, wenyuan.ObjectFeature, wenyuan.ObjectIntangible} {
		used["object_type."+v] = "Term"
	}
	for _, v := range []string{"inscription", "seal", "colophon", "mark", "signature"} {
		used["inscription."+v] = "Term"
	}
	for _, v := range []string{"height", "width", "diameter", "length", "depth", "weight"} {
		used["dimension."+v] = "Term"
	}
	keys := make([]string, 0, len(used))
	for k := range used {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for lang, c := range catalogs {
			if _, ok := c[k]; !ok {
				t.Errorf("%s uses message %q, which messages/%s.json lacks", used[k], k, lang)
			}
		}
	}
	if len(used) < 50 {
		t.Errorf("found only %d message keys in use; is the pattern out of date?", len(used))
	}
}

// TestPageLang: the cookie decides, else the browser's languages by
// weight, else Chinese.
func TestPageLang(t *testing.T) {
	for _, tt := range []struct {
		name, cookie, accept, want string
	}{
		{"nothing", "", "", "zh-Hans"},
		{"english browser", "", "en-US,en;q=0.9", "en"},
		{"chinese browser", "", "zh-TW,zh;q=0.9,en;q=0.8", "zh-Hans"},
		{"weights", "", "fr;q=1,en;q=0.5,zh;q=0.8", "zh-Hans"},
		{"neither", "", "fr,de", "zh-Hans"},
		{"cookie wins", "en", "zh-CN", "en"},
		{"bad cookie", "xx", "en", "en"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.cookie != "" {
				r.Header.Set("Cookie", langCookie+"="+tt.cookie)
			}
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got := pageLang(r); got != tt.want {
				t.Errorf("pageLang(cookie %q, Accept-Language %q) = %q, want %q", tt.cookie, tt.accept, got, tt.want)
			}
		})
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/objects/x?a=1":        "/objects/x?a=1",
		"":                      "/",
		"https://evil.example/": "/",
		"//evil.example/":       "/",
		"/\\evil.example":       "/",
		"javascript:alert(1)":   "/",
		"objects/x":             "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecureCookie(t *testing.T) {
	s := &Server{}
	for _, tt := range []struct {
		host, proto string
		want        bool
	}{
		{"127.0.0.1:8080", "", true},
		{"localhost:8080", "", true},
		{"[::1]:8080", "", true},
		{"192.168.1.20:8080", "", false}, // plain HTTP on a LAN: a Secure cookie would be dropped
		{"192.168.1.20:8080", "https", true},
		{"wenyuan.example.org", "https", true},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		if tt.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		if got := s.secureCookie(r); got != tt.want {
			t.Errorf("secureCookie(%s, %q) = %v, want %v", tt.host, tt.proto, got, tt.want)
		}
	}
}

// TestErrorTexts: every message format the records' validation writes has
// its Chinese, and a message is translated with its values in place.
func TestErrorTexts(t *testing.T) {
	known := map[string]bool{}
	for _, e := range errorTexts {
		known[e.re.String()] = true
	}
	call := regexp.MustCompile(`v\.Addf?\([^,]+, "((?:[^"\\]|\\.)*)"`)
	found := 0
	defer func() {
		if found < 25 {
			t.Errorf("found only %d validation messages in the records' code; is the pattern out of date?", found)
		}
	}()
	for _, file := range []string{"../object.go", "../authority.go"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			found++
			format := strings.ReplaceAll(m[1], `\"`, `"`)
			if !known[formatPattern(format).String()] {
				t.Errorf("%s: the message %q has no Chinese in messages/errors.zh-Hans.json", file, format)
			}
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"is required", "必填"},
		{`"zh_CN" is not a well-formed BCP 47 language tag`, `"zh_CN" 不是规范的语言标记`},
		{"earliest year 1424 is after latest year 1403", "起始年 1424 晚于终止年 1403"},
		{`"M-1" is already used by object 024x of museum`, `"M-1" 已被 museum 的藏品 024x 使用`},
		{"something the table does not know", "something the table does not know"},
	} {
		if got := errorIn(wenyuan.LangHans, tt.in); got != tt.want {
			t.Errorf("errorIn(zh-Hans, %q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := errorIn(wenyuan.LangEn, tt.in); got != tt.in {
			t.Errorf("errorIn(en, %q) = %q", tt.in, got)
		}
	}
}

// TestNameCacheEmpty: a cache that holds nothing yet takes and gives
// nothing, and never panics (a panic under its lock once hung the server).
func TestNameCacheEmpty(t *testing.T) {
	var c nameCache
	c.put(0, "agent/x", wenyuan.Names{{Lang: "en", Value: "x"}})
	if _, ok := c.get(0, "agent/x"); ok {
		t.Errorf("an empty cache kept a name")
	}
	c.rev, c.names = 5, map[string]wenyuan.Names{}
	c.put(5, "agent/x", wenyuan.Names{{Lang: "en", Value: "x"}})
	if ns, ok := c.get(5, "agent/x"); !ok || ns[0].Value != "x" {
		t.Errorf("get(5) = %v, %v", ns, ok)
	}
	if _, ok := c.get(6, "agent/x"); ok {
		t.Errorf("a name of revision 5 was given for revision 6")
	}
	c.reset()
	if !c.checked.IsZero() {
		t.Errorf("reset left checked at %v", c.checked)
	}
}
