package synth_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"wenyuan/bench/gen/synth"
	"wenyuan/sample"
)

func vocabulary(t *testing.T) *synth.Vocabulary {
	t.Helper()
	f, err := sample.FS.Open("walters-chinese.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := synth.ReadVocabulary(f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWrite(t *testing.T) {
	v := vocabulary(t)
	const n = 1000
	var a, b, c bytes.Buffer
	for _, w := range []struct {
		buf  *bytes.Buffer
		seed uint64
	}{{&a, 1}, {&b, 1}, {&c, 2}} {
		if err := v.Write(w.buf, n, w.seed); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("Write with the same seed gave different output")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("Write with seeds 1 and 2 gave the same output")
	}

	sc := bufio.NewScanner(&a)
	sc.Buffer(nil, 1<<20)
	lines, chinese := 0, 0
	for sc.Scan() {
		lines++
		var rec struct {
			ObjectNumber, Title string
			Classification      *string
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if want := fmt.Sprintf("G.%06d", lines); rec.ObjectNumber != want {
			t.Errorf("line %d: ObjectNumber = %q, want %q", lines, rec.ObjectNumber, want)
		}
		if rec.Classification == nil {
			t.Errorf("line %d: no Classification", lines)
		}
		for _, r := range rec.Title {
			if r >= 0x4e00 && r <= 0x9fff {
				chinese++
				break
			}
		}
	}
	if lines != n {
		t.Errorf("Write(%d) wrote %d lines", n, lines)
	}
	if chinese < n/10 || chinese > n*3/10 {
		t.Errorf("Write(%d) gave %d Chinese titles, want about %d", n, chinese, n/5)
	}
}
