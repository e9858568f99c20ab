package linkedart

import (
	"fmt"
	"strconv"
	"strings"
)

// BeginOfYear returns the first second of a Wenyuan year (negative = BCE,
// no year 0) as the xsd:dateTime string Linked Art's begin_of_the_begin
// takes. Years before the common era are astronomical years in ISO 8601
// expanded form: 1 BCE is year 0000 and 206 BCE is -0205, so -206 gives
// "-0205-01-01T00:00:00Z". Year 0, which Wenyuan does not use, is 1 BCE.
func BeginOfYear(year int) string {
	return isoYear(year) + "-01-01T00:00:00Z"
}

// EndOfYear returns the last second of a Wenyuan year, for end_of_the_end:
// 1911 gives "1911-12-31T23:59:59Z" (Linked Art's spans include their end).
func EndOfYear(year int) string {
	return isoYear(year) + "-12-31T23:59:59Z"
}

func isoYear(year int) string {
	astro := year
	if year < 0 {
		astro = year + 1
	}
	if astro < 0 {
		return fmt.Sprintf("-%04d", -astro)
	}
	return fmt.Sprintf("%04d", astro)
}

// ParseYear returns the Wenyuan year (negative = BCE, no year 0) of an
// xsd:dateTime or ISO 8601 date: "-0205-01-01T00:00:00Z" is -206 and
// "0000-01-01" is -1. Only the date part is checked; a time, if present, is
// not read.
func ParseYear(s string) (int, error) {
	y, _, err := parseDate(s)
	return y, err
}

// endYear is ParseYear for an end_of_the_end: an end at midnight UTC on
// the first day of a year ("1912-01-01T00:00:00Z", as some publishers write
// the end of 1911) belongs to the year before.
func endYear(s string) (int, error) {
	y, startOfYear, err := parseDate(s)
	if err != nil || !startOfYear {
		return y, err
	}
	if y == 1 {
		return -1, nil
	}
	return y - 1, nil
}

// parseDate reads [-]YYYY[-MM-DD[Thh:mm:ss[.s][zone]]], returning the
// Wenyuan year and whether s is the first second of its year.
func parseDate(s string) (year int, startOfYear bool, err error) {
	rest := s
	neg := strings.HasPrefix(rest, "-")
	if neg || strings.HasPrefix(rest, "+") {
		rest = rest[1:]
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n < 4 || n > 6 {
		return 0, false, fmt.Errorf("%q is not an ISO 8601 date-time: want a year of 4 to 6 digits", s)
	}
	astro, _ := strconv.Atoi(rest[:n])
	if neg {
		astro = -astro
	}
	rest = rest[n:]
	if rest != "" {
		if len(rest) < 6 || rest[0] != '-' || rest[3] != '-' || !digits(rest[1:3]) || !digits(rest[4:6]) {
			return 0, false, fmt.Errorf("%q is not an ISO 8601 date-time: want -MM-DD after the year", s)
		}
		m, _ := strconv.Atoi(rest[1:3])
		d, _ := strconv.Atoi(rest[4:6])
		if m < 1 || m > 12 || d < 1 || d > 31 {
			return 0, false, fmt.Errorf("%q is not an ISO 8601 date-time: no month %d, day %d", s, m, d)
		}
		tm := rest[6:]
		if tm != "" && tm[0] != 'T' && tm[0] != 't' {
			return 0, false, fmt.Errorf("%q is not an ISO 8601 date-time: want T after the date", s)
		}
		startOfYear = m == 1 && d == 1 && tm != "" && midnight(tm[1:])
	}
	year = astro
	if astro <= 0 {
		year = astro - 1
	}
	return year, startOfYear, nil
}

// midnight reports whether a time (after the T) is 00:00:00 UTC, with or
// without a fraction of zeros.
func midnight(t string) bool {
	for _, zone := range []string{"Z", "z", "+00:00", "-00:00"} {
		if s, ok := strings.CutSuffix(t, zone); ok {
			t = s
			break
		}
	}
	hms, frac, _ := strings.Cut(t, ".")
	return hms == "00:00:00" && strings.Trim(frac, "0") == ""
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
