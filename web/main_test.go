package web_test

import (
	"os"
	"testing"

	"wenyuan/vips"
)

// TestMain lets this test binary serve as the pyramid writer that ingest
// starts (see vips.RunIfChild).
func TestMain(m *testing.M) {
	vips.RunIfChild()
	os.Exit(m.Run())
}
