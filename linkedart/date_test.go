package linkedart_test

import (
	"testing"

	"wenyuan/linkedart"
)

func TestYears(t *testing.T) {
	tests := []struct {
		year       int
		begin, end string
	}{
		{-206, "-0205-01-01T00:00:00Z", "-0205-12-31T23:59:59Z"},
		{-2, "-0001-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"},
		{-1, "0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z"},
		{1, "0001-01-01T00:00:00Z", "0001-12-31T23:59:59Z"},
		{8, "0008-01-01T00:00:00Z", "0008-12-31T23:59:59Z"},
		{618, "0618-01-01T00:00:00Z", "0618-12-31T23:59:59Z"},
		{1911, "1911-01-01T00:00:00Z", "1911-12-31T23:59:59Z"},
		{-5000, "-4999-01-01T00:00:00Z", "-4999-12-31T23:59:59Z"},
		{-10000, "-9999-01-01T00:00:00Z", "-9999-12-31T23:59:59Z"},
		{-100000, "-99999-01-01T00:00:00Z", "-99999-12-31T23:59:59Z"},
	}
	for _, tt := range tests {
		if got := linkedart.BeginOfYear(tt.year); got != tt.begin {
			t.Errorf("BeginOfYear(%d) = %q, want %q", tt.year, got, tt.begin)
		}
		if got := linkedart.EndOfYear(tt.year); got != tt.end {
			t.Errorf("EndOfYear(%d) = %q, want %q", tt.year, got, tt.end)
		}
		for _, s := range []string{tt.begin, tt.end} {
			if got, err := linkedart.ParseYear(s); err != nil || got != tt.year {
				t.Errorf("ParseYear(%q) = %d, %v, want %d", s, got, err, tt.year)
			}
		}
	}
}

func TestParseYear(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"1503-01-01T00:00:00Z", 1503, false},
		{"1503-01-01", 1503, false},
		{"1503", 1503, false},
		{"1506-12-31T23:59:59.999+08:00", 1506, false},
		{"+1506-12-31T23:59:59Z", 1506, false},
		{"0000-06-01T00:00:00Z", -1, false},
		{"-0205-01-01T00:00:00Z", -206, false},
		{"206 BCE", 0, true},
		{"15-01-01", 0, true},
		{"1503-13-01T00:00:00Z", 0, true},
		{"1503-01-01X", 0, true},
		{"1503-1-1", 0, true},
		{"", 0, true},
		{"-", 0, true},
		{"12345678-01-01", 0, true},
	}
	for _, tt := range tests {
		got, err := linkedart.ParseYear(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseYear(%q) = %d, %v, want %d (error: %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestReadDates reads timespans as ReadObject does: an end of the end at
// midnight on New Year's Day, as some publishers write the end of the year
// before, belongs to that year.
func TestReadDates(t *testing.T) {
	tests := []struct {
		begin, end       string
		earliest, latest int
	}{
		{"-0205-01-01T00:00:00Z", "0008-12-31T23:59:59Z", -206, 8},
		{"0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", -1, -1},
		{"-0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", -2, -1},
		{"1911-01-01", "1912-01-01T00:00:00Z", 1911, 1911},
		{"1911-01-01", "1912-01-01T00:00:00.000+00:00", 1911, 1911},
		{"1911-01-01", "1912-01-01", 1911, 1912},
	}
	c := testContext()
	for _, tt := range tests {
		in := doc(`, "produced_by": {"type": "Production", "timespan": {"type": "TimeSpan", "begin_of_the_begin": "` + tt.begin + `", "end_of_the_end": "` + tt.end + `"}}`)
		o, _, err := c.ReadObject([]byte(in))
		if err != nil {
			t.Errorf("ReadObject(%s .. %s): %v", tt.begin, tt.end, err)
			continue
		}
		if d := o.Date; d == nil || d.Earliest == nil || d.Latest == nil || *d.Earliest != tt.earliest || *d.Latest != tt.latest {
			t.Errorf("ReadObject(%s .. %s).Date = %+v, want %d .. %d", tt.begin, tt.end, d, tt.earliest, tt.latest)
		}
	}
}

// FuzzParseYear checks that ParseYear never panics and that a year it
// reads is written back as the same year.
func FuzzParseYear(f *testing.F) {
	for _, s := range []string{"-0205-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "1911", "+1506-12-31T23:59:59Z", "206 BCE", "1503-1-1", "-99999-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, err := linkedart.ParseYear(s)
		if err != nil {
			return
		}
		if y == 0 {
			t.Fatalf("ParseYear(%q) = 0: Wenyuan has no year 0", s)
		}
		if back, err := linkedart.ParseYear(linkedart.BeginOfYear(y)); err != nil || back != y {
			t.Fatalf("ParseYear(BeginOfYear(%d)) = %d, %v", y, back, err)
		}
	})
}
