package vips

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// A pyramid is written in a child process: libvips reads masters from
// anyone who may upload, and on some malformed files (a JPEG cut short,
// in libvips 8.14) it crashes while writing a pyramid. A crash must cost
// one upload, not the server. The child is this very executable, started
// again with childEnv set: main (and TestMain in packages whose tests
// ingest) calls RunIfChild first.
const childEnv = "WENYUAN_VIPS_PYRAMID"

type childJob struct {
	Src, Dst string
	Options  PyramidOptions
}

// RunIfChild turns this process into a pyramid writer and exits, if it was
// started as one by WritePyramidIsolated; otherwise it returns at once.
func RunIfChild() {
	job := os.Getenv(childEnv)
	if job == "" {
		return
	}
	var j childJob
	if err := json.Unmarshal([]byte(job), &j); err != nil {
		fmt.Fprintf(os.Stderr, "bad job: %v\n", err)
		os.Exit(2)
	}
	// The child does nothing else: let libvips use every core.
	if err := Init(runtime.NumCPU()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := WritePyramid(j.Src, j.Dst, j.Options); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// ErrConvert is wrapped by the errors of WritePyramidIsolated that come
// from the file (libvips refused or crashed on it), as opposed to the
// machine (the child could not be started).
var ErrConvert = errors.New("the image could not be converted")

// WritePyramidIsolated is WritePyramid in a child process, with its error
// message; a crash of the child is an error, not the end of this process.
func WritePyramidIsolated(ctx context.Context, src, dst string, o PyramidOptions) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this executable to convert %s: %w", src, err)
	}
	job, err := json.Marshal(childJob{src, dst, o})
	if err != nil {
		return err
	}
	// A test binary started without TestMain calling RunIfChild runs no
	// test with this flag, and writes nothing: reported below.
	cmd := exec.CommandContext(ctx, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(job))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := strings.TrimSpace(stderr.String())
	var exit *exec.ExitError
	switch {
	case errors.As(runErr, &exit) && exit.ExitCode() == 1:
		return fmt.Errorf("%w: %s", ErrConvert, strings.TrimPrefix(msg, "convert "+src+": "))
	case errors.As(runErr, &exit):
		// Killed by a signal: libvips crashed on this file.
		return fmt.Errorf("%w: libvips failed on it (%s)", ErrConvert, exit)
	case runErr != nil:
		return fmt.Errorf("start the converter: %w", runErr)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Size() == 0 {
		return fmt.Errorf("the converter wrote no pyramid to %s (does main or TestMain call vips.RunIfChild?)", dst)
	}
	return nil
}
