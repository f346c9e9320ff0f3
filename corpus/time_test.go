package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
)

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time // zero: not a time
	}{
		{"Sun, 18 Feb 2018 21:35:43 +0400", utc(2018, 2, 18, 17, 35, 43)}, // RSS, as in the ANT corpus
		{"Thu, 17 May 2018 13:29:33 GMT", utc(2018, 5, 17, 13, 29, 33)},
		{"Thu, 3 May 2018 13:29:33 GMT", utc(2018, 5, 3, 13, 29, 33)},
		{"2018-05-17T13:29:33Z", utc(2018, 5, 17, 13, 29, 33)},
		{"2018-05-17T13:29:33.5+03:00", utc(2018, 5, 17, 10, 29, 33).Add(time.Second / 2)},
		{"2018-05-17T13:29:33", utc(2018, 5, 17, 13, 29, 33)},
		{"2018-05-17 13:29:33", utc(2018, 5, 17, 13, 29, 33)},
		{"2018-05-17 13:29:33+03:00", utc(2018, 5, 17, 10, 29, 33)},
		{"2018-05-17 13:29", utc(2018, 5, 17, 13, 29, 0)},
		{" 2018-05-17 ", utc(2018, 5, 17, 0, 0, 0)},
		{"2018/05/17", utc(2018, 5, 17, 0, 0, 0)},
		{"17 May 2018", utc(2018, 5, 17, 0, 0, 0)},
		{"20180517", utc(2018, 5, 17, 0, 0, 0)}, // a compact date, not seconds of 1970
		{"1526563773", utc(2018, 5, 17, 13, 29, 33)},
		{"1526563773.25", utc(2018, 5, 17, 13, 29, 33).Add(time.Second / 4)},
		{"1526563773000", utc(2018, 5, 17, 13, 29, 33)},       // milliseconds
		{"1526563773000000", utc(2018, 5, 17, 13, 29, 33)},    // microseconds
		{"1526563773000000000", utc(2018, 5, 17, 13, 29, 33)}, // nanoseconds
		{"201805171329", utc(2018, 5, 17, 13, 29, 0)},
		{"20180517132933", utc(2018, 5, 17, 13, 29, 33)}, // GDELT's form
		{"946684800000", utc(2000, 1, 1, 0, 0, 0)},       // milliseconds, not a 12-digit compact time
		{"2018-05-17T13:29:33+0300", utc(2018, 5, 17, 10, 29, 33)},
		{"2018-05-17 13:29:33 +0300", utc(2018, 5, 17, 10, 29, 33)},
		{"2018-05-17 13:29:33 UTC", utc(2018, 5, 17, 13, 29, 33)},
		{"Tue, 19 Dec 2023 10:00:00 EST", utc(2023, 12, 19, 15, 0, 0)},
		{"Tue, 19 Dec 2023 10:00:00 CEST", utc(2023, 12, 19, 8, 0, 0)},
		{"1970-01-01", utc(1970, 1, 1, 0, 0, 0)},
		{"1900-01-01", utc(1900, 1, 1, 0, 0, 0)},
		{"", time.Time{}},
		{"yesterday", time.Time{}},
		{"2018-13-45", time.Time{}},
		{"20181345", time.Time{}}, // not a date, and not read as seconds of 1970
		{"2018", time.Time{}},     // a year: 2018 seconds after 1970 is no publication time
		{"5", time.Time{}},
		{"0", time.Time{}},
		{"00000000", time.Time{}},
		{"1899-12-31", time.Time{}},
		{"-1526563773", time.Time{}},
		{"1e9", time.Time{}},
		{"0x1p31", time.Time{}},
		{"NaN", time.Time{}},
		{"Tue, 19 Dec 2023 10:00:00 AST", time.Time{}}, // Arabia or Atlantic: refused
		{"Tue, 19 Dec 2023 10:00:00 XYZ", time.Time{}},
		{"الخميس 17 مايو 2018", time.Time{}},
	}
	// A zone name is read the same on every machine: Go's parser would take
	// the offset of the machine's zone if it has the name.
	defer func(local *time.Location) { time.Local = local }(time.Local)
	time.Local = time.FixedZone("EST", 7*3600)
	for _, tt := range tests {
		got, ok := ParseTime(tt.in)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
}

// FuzzParseTime checks that ParseTime never panics, and that a time it
// reads, written in RFC 3339, reads back as the same instant.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"Sun, 18 Feb 2018 21:35:43 +0400", "2018-05-17", "1526563773", "-1e12", "20180517", "9999-12-31T23:59:59Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := ParseTime(s)
		if !ok {
			return
		}
		if tm.Year() < -10000 || tm.Year() > 10000 {
			t.Fatalf("ParseTime(%q) = %v", s, tm)
		}
		back, ok := ParseTime(tm.Format(time.RFC3339Nano))
		if !ok || !back.Equal(tm) {
			t.Fatalf("ParseTime(%q) = %v, which reads back as %v, %v", s, tm, back, ok)
		}
	})
}

// TestParquetTimes reads Parquet times by their types: DATE, TIMESTAMP of
// each unit, INT96; and a DATE before 1900 as a value that is not a time.
func TestParquetTimes(t *testing.T) {
	type row struct {
		ID    string           `parquet:"id"`
		Text  string           `parquet:"text"`
		Day   int32            `parquet:"day,date"`
		Milli int64            `parquet:"milli,timestamp(millisecond)"`
		Micro int64            `parquet:"micro,timestamp(microsecond)"`
		Nano  int64            `parquet:"nano,timestamp(nanosecond)"`
		Old   deprecated.Int96 `parquet:"old"`
	}
	when := time.Date(2018, 5, 17, 13, 29, 33, 0, time.UTC)
	julian := when.Unix()/86400 + 2440588
	nanos := when.Unix() % 86400 * 1e9
	path := filepath.Join(t.TempDir(), "times.parquet")
	rows := []row{
		{"a", "نص", int32(when.Unix() / 86400), when.UnixMilli(), when.UnixMicro(), when.UnixNano(),
			deprecated.Int96{uint32(nanos), uint32(nanos >> 32), uint32(julian)}},
		{"b", "نص", -30000, 0, 0, 0, deprecated.Int96{}},
	}
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"day", "milli", "micro", "nano", "old"} {
		docs, errs := readAll(t, NewReader([]string{path}, Options{TimeFields: []string{field}}))
		if len(errs) > 0 || len(docs) != 2 {
			t.Fatalf("%s: %d docs, errors %v", field, len(docs), errs)
		}
		want := when
		if field == "day" {
			want = when.Truncate(24 * time.Hour)
		}
		if !docs[0].Time.Equal(want) {
			t.Errorf("%s: %v, want %v", field, docs[0].Time, want)
		}
		if field == "day" && (docs[1].BadTime == "" || !docs[1].Time.IsZero()) {
			t.Errorf("day -30000 (1887): time %v, bad %q", docs[1].Time, docs[1].BadTime)
		}
	}
}

// TestTimeFields reads the publication time in every format: the first
// time field present, a string or a number; a value that is not a time is
// kept for messages and leaves the time unknown.
func TestTimeFields(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		return path
	}
	jsonl := write("docs.jsonl", strings.Join([]string{
		`{"id":"a","text":"نص","date":"2018-05-17","time":"2019-01-01"}`,
		`{"id":"b","text":"نص","time":1526563773}`,
		`{"id":"c","text":"نص","date":null,"time":"Thu, 17 May 2018 13:29:33 GMT"}`,
		`{"id":"d","text":"نص","date":"  ","time":"2018-05-17T00:00:00Z"}`,
		`{"id":"e","text":"نص","date":"أمس"}`,
		`{"id":"f","text":"نص","date":{"y":2018}}`,
		`{"id":"g","text":"نص"}`,
		`{"id":"h","text":"نص","meta":{"published":"2018-05-17"}}`,
	}, "\n")+"\n")
	csv := write("docs.csv", "id,text,time\na,نص,2018-05-17\nb,نص,\nc,نص,غدا\n")
	type pqTime struct {
		ID   string `parquet:"id"`
		Text string `parquet:"text"`
		Date int64  `parquet:"date"`
	}
	pq := filepath.Join(dir, "docs.parquet")
	if err := parquet.WriteFile(pq, []pqTime{{"a", "نص", 1526563773000}}); err != nil {
		t.Fatal(err)
	}
	fields := []string{"date", "time", "meta.published"}
	tests := []struct {
		path string
		want string // per document: id=time or id!bad value or id=- (none)
	}{
		{jsonl, "a=2018-05-17T00:00:00Z b=2018-05-17T13:29:33Z c=2018-05-17T13:29:33Z d=2018-05-17T00:00:00Z e!أمس f!{\"y\":2018} g=- h=2018-05-17T00:00:00Z"},
		{csv, "a=2018-05-17T00:00:00Z b=- c!غدا"},
		{pq, "a=2018-05-17T13:29:33Z"},
	}
	for _, tt := range tests {
		docs, errs := readAll(t, NewReader([]string{tt.path}, Options{TimeFields: fields}))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", tt.path, errs)
		}
		var got []string
		for _, d := range docs {
			switch {
			case d.BadTime != "":
				got = append(got, d.ID+"!"+d.BadTime)
			case d.Time.IsZero():
				got = append(got, d.ID+"=-")
			default:
				got = append(got, d.ID+"="+d.Time.UTC().Format(time.RFC3339))
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", filepath.Base(tt.path), g, tt.want)
		}
	}
	// Without TimeFields no time is read.
	docs, _ := readAll(t, NewReader([]string{jsonl}, Options{}))
	if !docs[0].Time.IsZero() {
		t.Errorf("time read with no time field: %v", docs[0].Time)
	}
}
