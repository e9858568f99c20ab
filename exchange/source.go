package exchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"wenyuan"
)

// MaxFieldBytes bounds one source value; a larger one rejects its row.
const MaxFieldBytes = 1 << 20

// maxLineBytes bounds one JSON Lines record.
const maxLineBytes = 64 << 20

// row is one source record: its number as a person counts it (the header
// of a CSV file is row 1; a JSON Lines record's row is its line), its raw
// form for the rejects file, and its values by source path.
type row struct {
	n       int
	raw     []string        // CSV
	rawJSON json.RawMessage // JSON Lines
	get     func(path string) []string
	err     error // the row could not be read
	field   string
}

// source yields rows.
type source interface {
	next() (*row, bool)
	header() []string
}

// decodeInput wraps r so that it yields UTF-8: it drops a UTF-8 byte-order
// mark and decodes GB18030 (a superset of GBK and GB2312) when asked. A
// file that is UTF-8 already is refused for GB18030, since decoding it
// again would garble every Chinese character without a single error.
func decodeInput(r io.Reader, encoding string) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	bom := false
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
		bom = true
	}
	switch strings.ToLower(encoding) {
	case "gb18030", "gbk", "gb2312":
		head, _ := br.Peek(1 << 16)
		if bom || looksUTF8(head) {
			return nil, wenyuan.Errorf(wenyuan.EINVALID, "the input is UTF-8 text, not GB18030: leave out --encoding gb18030")
		}
		return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), nil
	}
	return br, nil
}

// looksUTF8 reports whether b, the start of a file, is UTF-8 with
// characters beyond ASCII (a cut in the middle of the last one allowed).
func looksUTF8(b []byte) bool {
	nonASCII := false
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return nonASCII && len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:])
		}
		nonASCII = true
		i += n
	}
	return nonASCII
}

type csvSource struct {
	done bool
	r    *csv.Reader
	cols map[string]int
	hdr  []string
	n    int
}

func newCSVSource(r io.Reader, delim string) (*csvSource, error) {
	cr := csv.NewReader(r)
	if delim != "" {
		cr.Comma, _ = utf8.DecodeRuneInString(delim)
	}
	cr.ReuseRecord = false
	hdr, err := cr.Read()
	if err == io.EOF {
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "the input is empty: no header row")
	} else if err != nil {
		return nil, wenyuan.Errorf(wenyuan.EINVALID, "row 1 (the header): %v", csvErr(err))
	}
	s := &csvSource{r: cr, cols: map[string]int{}, hdr: hdr, n: 1}
	for i, h := range hdr {
		h = strings.TrimSpace(h)
		if !utf8.ValidString(h) {
			return nil, wenyuan.Errorf(wenyuan.EINVALID, "row 1 (the header), column %d: not valid UTF-8; if the file comes from a Chinese system, try --encoding gb18030", i+1)
		}
		if _, dup := s.cols[h]; dup && h != "" {
			return nil, wenyuan.Errorf(wenyuan.EINVALID, "row 1 (the header): column %q appears twice", h)
		}
		s.cols[h] = i
	}
	cr.FieldsPerRecord = len(hdr)
	return s, nil
}

func (s *csvSource) header() []string { return s.hdr }

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			return "wrong number of fields"
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return fmt.Sprintf("a bare \" in an unquoted field (column %d); quote the field and double the quote", pe.Column)
		case errors.Is(pe.Err, csv.ErrQuote):
			return fmt.Sprintf("a quoted field is not closed properly (column %d)", pe.Column)
		}
		return pe.Err.Error()
	}
	return err.Error()
}

func (s *csvSource) next() (*row, bool) {
	if s.done {
		return nil, false
	}
	rec, err := s.r.Read()
	if err == io.EOF {
		return nil, false
	}
	s.n++
	rw := &row{n: s.n, raw: rec}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			rw.err = fmt.Errorf("has %d fields, the header has %d", len(rec), len(s.hdr))
		} else if errors.As(err, &pe) {
			rw.err = errors.New(csvErr(err))
		} else {
			// An I/O or decoding error ends the input.
			rw.err, s.done = err, true
			return rw, true
		}
		return rw, true
	}
	for i, v := range rec {
		if len(v) > MaxFieldBytes {
			rw.err, rw.field = fmt.Errorf("value is %d bytes; the limit is %d", len(v), MaxFieldBytes), s.hdr[i]
			break
		}
		if !utf8.ValidString(v) {
			rw.err, rw.field = errors.New("not valid UTF-8; if the file comes from a Chinese system, try --encoding gb18030"), s.hdr[i]
			break
		}
	}
	rw.get = func(path string) []string {
		i, ok := s.cols[path]
		if !ok || i >= len(rec) {
			return nil
		}
		return []string{rec[i]}
	}
	return rw, true
}

type jsonlSource struct {
	r *bufio.Reader
	n int
}

func (s *jsonlSource) header() []string { return nil }

func (s *jsonlSource) next() (*row, bool) {
	for {
		line, err := readLine(s.r)
		if len(line) == 0 && err != nil {
			if err == io.EOF {
				return nil, false
			}
			s.n++
			return &row{n: s.n, err: err}, true
		}
		s.n++
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		rw := &row{n: s.n, rawJSON: json.RawMessage(line)}
		if len(line) > maxLineBytes {
			rw.err = fmt.Errorf("record is %d bytes; the limit is %d", len(line), maxLineBytes)
			rw.rawJSON = nil
			return rw, true
		}
		if !utf8.Valid(line) {
			rw.err = errors.New("not valid UTF-8; if the file comes from a Chinese system, try --encoding gb18030")
			rw.rawJSON = nil
			return rw, true
		}
		if !json.Valid(line) {
			var v any
			err := json.Unmarshal(line, &v)
			rw.err = fmt.Errorf("not valid JSON: %v", err)
			return rw, true
		}
		top := members(line, make([]field, 0, 32))
		if len(top) == 0 && (len(line) == 0 || line[0] != '{') {
			rw.err = errors.New("not a JSON object")
			return rw, true
		}
		for _, f := range top {
			if len(f.val) > MaxFieldBytes {
				rw.err, rw.field = fmt.Errorf("value is %d bytes; the limit is %d", len(f.val), MaxFieldBytes), f.name()
			}
		}
		rw.get = func(path string) []string { return lookupFields(top, path) }
		return rw, true
	}
}

func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			if len(buf) > maxLineBytes {
				// Skip the rest of an oversized line.
				for err == bufio.ErrBufferFull {
					_, err = r.ReadSlice('\n')
				}
				return buf, nil
			}
			continue
		}
		return buf, err
	}
}
