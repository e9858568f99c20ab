// Package testenv is how a test asks for a tool the suite needs from
// outside Go (xmllint, chromium, vips, the npm harvester, the built
// viewer). A plain go test without one skips, saying how to get it; the
// project's test command, ./run test, installs them all and sets
// WENYUAN_TEST_ALL=1, so there a missing tool fails the test: CI never
// passes by skipping.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Require skips t, or fails it under ./run test, unless ok.
func Require(t testing.TB, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("WENYUAN_TEST_ALL") != "" {
		t.Fatal(why + " (./run test should have installed it)")
	}
	t.Skip(why)
}

// Command returns the path of the command name, as Require does when it
// is not on PATH.
func Command(t testing.TB, name, why string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	Require(t, err == nil, why)
	return path
}

// File requires that path exists, as Require does.
func File(t testing.TB, path, why string) {
	t.Helper()
	_, err := os.Stat(path)
	Require(t, err == nil, why)
}
