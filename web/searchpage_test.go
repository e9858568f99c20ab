package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"wenyuan"
	"wenyuan/sample"
)

// page is a parsed HTML page.
type page struct{ root *html.Node }

func parsePage(t *testing.T, body []byte) page {
	t.Helper()
	n, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	return page{n}
}

// all returns the text of every element matching tag and, if class is
// given, having it.
func (p page) all(tag, class string) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (class == "" || hasClass(n, class)) {
			out = append(out, text(n))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)
	return out
}

// links returns the href of every link that starts with prefix.
func (p page) links(prefix string) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			for _, a := range n.Attr {
				if a.Key == "href" && strings.HasPrefix(a.Val, prefix) {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)
	return out
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// TestSearchPage renders the search page over the sample: hits with their
// titles and marked snippets, facets, a mistyped query answered on the
// page with 400, and nothing the visitor may not read.
func TestSearchPage(t *testing.T) {
	srv, db := MustServer(t)
	if err := sample.Load(context.Background(), db, func(string) {}); err != nil {
		t.Fatal(err)
	}
	catchUp(t, srv)

	r := do(t, srv, "GET", "/search?q="+url.QueryEscape("書法"), nil)
	mustStatus(t, "GET /search?q=書法", r, 200)
	p := parsePage(t, r.body)
	titles := p.all("h3", "")
	if len(titles) == 0 {
		t.Fatalf("書法 finds nothing on the page")
	}
	for _, want := range []string{"伯远帖", "兰亭序（冯承素摹本）"} {
		found := false
		for _, h := range titles {
			found = found || h == want
		}
		if !found {
			t.Errorf("the page for 書法 lists %q, want %s among them", titles, want)
		}
	}
	for _, h := range titles {
		if h == "平复帖" { // the palace museum's internal record
			t.Errorf("an anonymous visitor's search page lists the internal record 平复帖")
		}
	}
	if marks := p.all("mark", ""); len(marks) == 0 {
		t.Errorf("no match is marked in the snippets")
	}
	if facets := p.all("h2", ""); len(facets) < 3 {
		t.Errorf("facets %q, want institution, classification, period at least", facets)
	}

	r = do(t, srv, "GET", "/search?q="+url.QueryEscape(`"unclosed`), nil)
	mustStatus(t, "GET /search with an unclosed quote", r, 400)
	if errs := parsePage(t, r.body).all("p", "error"); len(errs) != 1 || !strings.Contains(errs[0], "quotation mark") {
		t.Errorf("the page for a mistyped query says %q", errs)
	}

	// A signed-in palace museum user sees the internal record too.
	palace := mustUser(t, db, "palace-museum", wenyuan.RoleResearcher)
	r = do(t, srv, "GET", "/search?q="+url.QueryEscape("書法"), nil, palace...)
	found := false
	for _, h := range parsePage(t, r.body).all("h3", "") {
		found = found || h == "平复帖"
	}
	if !found {
		t.Errorf("a palace museum user's search for 書法 does not list its internal 平复帖")
	}
	r = do(t, srv, "GET", "/search", nil)
	mustStatus(t, "GET /search", r, 200)
}
