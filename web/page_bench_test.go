package web_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"wenyuan"
)

// BenchmarkObjectPage renders a public object page with every field, three
// images and related objects, as the public sees it, through the whole
// server (authentication, store reads, template), and reports the median
// and 99th percentile of the time each page took.
//
//	go test ./web -run '^$' -bench ObjectPage -benchtime 2000x
func BenchmarkObjectPage(b *testing.B) {
	srv, db := MustServer(b)
	hdr := mustUser(b, db, "museum", wenyuan.RoleCataloguer)
	body := map[string]any{"institution": "museum", "accession_number": "故-瓷-0042", "object_name": "梅瓶",
		"titles":         []map[string]string{{"lang": "zh-Hans", "value": "青花缠枝莲纹梅瓶"}, {"lang": "zh-Hant", "value": "青花纏枝蓮紋梅瓶"}, {"lang": "en", "value": "Meiping vase with lotus scrolls"}},
		"classification": []string{"cls-ceramics"}, "medium": "瓷",
		"makers":       []map[string]string{{"name": "景德镇御器厂", "role": "kiln"}},
		"date":         map[string]any{"display": "明永乐", "earliest": 1403, "latest": 1424, "periods": []string{"ming"}},
		"dimensions":   []map[string]any{{"type": "height", "value": 38.5, "unit": "cm"}, {"display": "口径 6.2 厘米"}},
		"inscriptions": []map[string]string{{"type": "mark", "text": "大明永乐年制", "lang": "zh-Hans", "translation": "Made in the Yongle reign of the great Ming"}},
		"description":  []map[string]string{{"lang": "zh-Hans", "value": "器形挺拔，胎质细腻，青花发色浓艳，有铁锈斑。"}, {"lang": "en", "value": "A tall vase with a fine body and deep cobalt blue with iron spots."}},
		"provenance":   []map[string]string{{"lang": "zh-Hans", "value": "清宫旧藏。"}},
		"credit_line":  "故宫博物院藏", "rights": "CC BY 4.0",
	}
	ceramics := &wenyuan.Concept{ID: "cls-ceramics", Scheme: "classification", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "陶瓷"}, {Lang: "en", Value: "Ceramics"}}}
	if err := db.CreateRecord(context.Background(), ceramics); err != nil {
		b.Fatal(err)
	}
	var o wenyuan.Object
	r := do(b, srv, "POST", "/api/v1/objects", body, hdr...)
	if r.status != 201 {
		b.Fatalf("create = %d %s", r.status, r.body)
	}
	r.json(b, &o)
	for i := 0; i < 3; i++ {
		up, ct := multipartUpload(b, `{"caption":[{"lang":"zh-Hans","value":"局部"}]}`, "p.png", quadrants(b, 64+i, 48))
		do(b, srv, "POST", "/api/v1/objects/"+o.ID+"/images", up, append(hdr, "Content-Type", ct)...)
	}
	handler := srv.Config.Handler
	var times []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("GET", "/objects/"+o.ID, nil))
		if rec.Code != 200 {
			b.Fatalf("GET /objects/%s = %d", o.ID, rec.Code)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkOAIGetRecord answers OAI-PMH GetRecord in oai_dc for an object
// with an institution, a classification, a maker and a period, through the
// whole server.
//
//	go test ./web -run '^$' -bench OAIGetRecord -benchtime 5000x
func BenchmarkOAIGetRecord(b *testing.B) {
	srv, db := MustServer(b)
	ctx := context.Background()
	db.CreateRecord(ctx, &wenyuan.Institution{ID: "museum", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "博物馆"}, {Lang: "en", Value: "Museum"}}})
	c := &wenyuan.Concept{Scheme: "classification", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "陶瓷"}, {Lang: "en", Value: "Ceramics"}}}
	db.CreateRecord(ctx, c)
	a := &wenyuan.Agent{Type: "person", Names: wenyuan.Names{{Lang: "zh-Hans", Value: "张择端"}, {Lang: "en", Value: "Zhang Zeduan"}}}
	db.CreateRecord(ctx, a)
	o := &wenyuan.Object{Institution: "museum", AccessionNumber: "M-1", Titles: wenyuan.Text{{Lang: "zh-Hans", Value: "清明上河图"}, {Lang: "en", Value: "Along the River"}},
		Classification: []string{c.ID}, Makers: []wenyuan.Maker{{Agent: a.ID, Role: "painter"}},
		Date:        &wenyuan.Dating{Display: "北宋", Earliest: ip(960), Latest: ip(1127), Periods: []string{"northern-song"}},
		Description: wenyuan.Text{{Lang: "zh-Hans", Value: "长卷。"}, {Lang: "en", Value: "A handscroll."}}}
	if err := db.CreateRecord(ctx, o); err != nil {
		b.Fatal(err)
	}
	handler := srv.Config.Handler
	path := "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Awenyuan.local%3A" + o.ID
	var times []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 || !bytes.Contains(rec.Body.Bytes(), []byte("<GetRecord>")) {
			b.Fatalf("GET %s = %d %s", path, rec.Code, rec.Body)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
