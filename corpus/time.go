package corpus

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the forms of a publication time that ParseTime reads, as
// news corpora write them: RFC 3339 and its relatives (with a space, no
// zone, or a date alone), and the RFC 1123 form of RSS feeds and HTTP
// headers, with a numeric zone or a name. A time with no zone is UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
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

// ParseTime reads a publication time: one of the layouts above, a compact
// date of eight digits (20180514), or a Unix time, a number of seconds since 1970 (with a fraction, or of
// milliseconds, microseconds or nanoseconds if it is too large to be
// seconds of a year before 5000). It reports false for anything else.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if len(s) == 8 {
		// A compact date, 20180514, not the Unix time of August 1970.
		if t, err := time.Parse("20060102", s); err == nil && t.Year() >= 1900 {
			return t, true
		}
	}
	if c := s[0]; c == '-' || c >= '0' && c <= '9' {
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return unixTime(f)
		}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// unixTime returns the time of a Unix timestamp f, scaled down from
// milliseconds, microseconds or nanoseconds when f is too large to be
// seconds of a year before 5000. Times before year 1 are not times.
func unixTime(f float64) (time.Time, bool) {
	const (
		minSeconds = -62135596800 // 0001-01-01
		maxSeconds = 95617584000  // 5000-01-01
	)
	for _, scale := range []float64{1, 1e3, 1e6, 1e9} {
		if s := f / scale; s >= minSeconds && s < maxSeconds {
			sec, frac := math.Modf(s)
			return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
		}
	}
	return time.Time{}, false
}
