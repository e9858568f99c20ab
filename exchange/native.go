package exchange

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"wenyuan"
)

func bufioReader(r io.Reader) *bufio.Reader {
	if br, ok := r.(*bufio.Reader); ok {
		return br
	}
	return bufio.NewReaderSize(r, 1<<16)
}

// importNative reads Wenyuan's own JSON Lines export: every record keeps
// its id, and records upsert by id (objects by accession number).
func importNative(ctx context.Context, store wenyuan.Store, in io.Reader, opts Options, res *Result) (*Result, error) {
	start := time.Now()
	counter := &countingReader{r: in}
	dr, err := decodeInput(counter, opts.Encoding)
	if err != nil {
		return res, err
	}
	src := &jsonlSource{r: bufioReader(dr)}
	var rows atomic.Int64
	stop := startProgress(opts, counter, &rows, start)
	defer stop()
	rowOf := map[string]int{}
	err = store.Batch(ctx, func(b wenyuan.Batch) error {
		for {
			rw, ok := src.next()
			if !ok {
				break
			}
			rows.Add(1)
			res.Rows++
			var rej *Reject
			if opts.Partial {
				if err := b.Try(func() error {
					if rej = putLine(b, rw, res, rowOf); rej != nil {
						return errRowRejected
					}
					return nil
				}); err != nil && !errors.Is(err, errRowRejected) {
					return err
				}
			} else {
				rej = putLine(b, rw, res, rowOf)
			}
			if rej != nil {
				rej.json = rw.rawJSON
				res.Rejects = append(res.Rejects, *rej)
			}
		}
		if res.Rows == 0 {
			return wenyuan.Errorf(wenyuan.EINVALID, "the input is empty: no records")
		}
		if len(res.Rejects) > 0 && !opts.Partial {
			return ErrRejected
		}
		return nil
	})
	err = linkReject(err, rowOf, res)
	res.Elapsed = time.Since(start)
	res.Committed = err == nil
	if err != nil {
		res.Created, res.Updated, res.Unchanged = 0, 0, 0
	}
	if werr := writeRejects(opts.RejectsPath, nil, res.Rejects); werr != nil && err == nil {
		err = fmt.Errorf("the import is done, but the rejected rows could not be written: %w", werr)
	}
	return res, err
}

func putLine(b wenyuan.Batch, rw *row, res *Result, rowOf map[string]int) *Reject {
	if rw.err != nil {
		return &Reject{Row: rw.n, Reason: rw.err.Error()}
	}
	var line Line
	d := json.NewDecoder(bytes.NewReader(rw.rawJSON))
	d.DisallowUnknownFields()
	if err := d.Decode(&line); err != nil {
		return &Reject{Row: rw.n, Reason: fmt.Sprintf("not a Wenyuan export line {\"kind\":…, \"record\":…}: %v (to import another system's file, give --mapping)", err)}
	}
	r := wenyuan.NewRecord(line.Kind)
	if r == nil {
		return &Reject{Row: rw.n, Field: "kind", Reason: fmt.Sprintf("%q is not a kind of record", line.Kind)}
	}
	d = json.NewDecoder(bytes.NewReader(line.Record))
	d.DisallowUnknownFields()
	if err := d.Decode(r); err != nil {
		return &Reject{Row: rw.n, Field: "record", Reason: err.Error()}
	}
	*r.RecordMeta() = wenyuan.Meta{}
	action, err := b.PutRecord(r)
	if err == nil {
		rowOf[r.RecordID()] = rw.n
	}
	if err != nil {
		if fe := wenyuan.ErrorFields(err); len(fe) > 0 {
			return &Reject{Row: rw.n, Field: fe[0].Field, Reason: fe[0].Message}
		}
		return &Reject{Row: rw.n, Reason: wenyuan.ErrorMessage(err)}
	}
	res.count(action)
	return nil
}
