package corpus

import (
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the forms of a publication time that ParseTime reads, as
// news corpora write them: RFC 3339 and its relatives (with a space, no
// zone, a zone with no colon, or a date alone), and the RFC 1123 form of
// RSS feeds and HTTP headers, with a numeric zone or a name (see zones). A
// time with no zone is UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
}

// compactLayouts are dates and times written as digits alone, by length.
var compactLayouts = map[int]string{8: "20060102", 12: "200601021504", 14: "20060102150405"}

// zones are the offsets, in hours, of the zone names ParseTime reads: the
// universal ones, those of RFC 822, and those of Europe and Moscow, none
// of which names another zone. A name such as AST (Arabia, or Atlantic)
// is refused: Go's parser would read an unknown name as UTC, and a name
// the machine's own zone uses at that machine's offset, so that one input
// would give different times on different machines.
var zones = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
}

// Times outside [minTime, maxTime) are not publication times: a number of
// seconds that small is a year, a count or a duration, not a date.
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(5000, 1, 1, 0, 0, 0, 0, time.UTC)
	// minUnix is the least Unix time a number is read as: 1980.
	minUnix = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// ParseTime reads a publication time: one of the layouts above; a compact
// date or time of 8, 12 or 14 digits (20180517, 201805171329,
// 20180517132933); or a Unix time, a number of seconds since 1970 (with a
// fraction), or of milliseconds, microseconds or nanoseconds, whichever
// scale gives a time from 1980 to 5000. It reports false for anything
// else, and for times before 1900.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if isNumber(s) {
		if layout, ok := compactLayouts[len(s)]; ok {
			if t, err := time.Parse(layout, s); err == nil && plausible(t) {
				return t, true
			}
		}
		return unixTime(s)
	}
	for _, layout := range timeLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if strings.Contains(layout, "MST") {
			name, _ := t.Zone()
			h, ok := zones[name]
			if !ok {
				return time.Time{}, false
			}
			// The wall clock as written, at the zone's own offset.
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(),
				time.FixedZone(name, h*3600))
		}
		if !plausible(t) {
			return time.Time{}, false
		}
		return t, true
	}
	return time.Time{}, false
}

// isNumber reports whether s is digits, with a fraction or not.
func isNumber(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	digits := func(s string) bool {
		for i := range len(s) {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	return whole != "" && digits(whole) && digits(frac)
}

// unixTime reads s, digits with a fraction or not, as a Unix time in
// seconds, milliseconds, microseconds or nanoseconds: the first scale that
// gives a time from 1980 to 5000.
func unixTime(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	for _, scale := range []float64{1, 1e3, 1e6, 1e9} {
		if x := f / scale; x >= float64(minUnix) && x < float64(maxTime.Unix()) {
			sec := int64(x)
			return time.Unix(sec, int64((x-float64(sec))*1e9)).UTC(), true
		}
	}
	return time.Time{}, false
}

// plausible reports whether t can be a publication time.
func plausible(t time.Time) bool { return !t.Before(minTime) && t.Before(maxTime) }
