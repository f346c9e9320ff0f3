package corpus

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// summary renders documents as "id|text|title|place" lines.
func summary(docs []Document) string {
	var lines []string
	for _, d := range docs {
		lines = append(lines, d.ID+"|"+d.Text+"|"+d.Title+"|"+d.Place())
	}
	return strings.Join(lines, "\n")
}

func TestFormats(t *testing.T) {
	dir := "../testdata/formats/"
	tests := []struct {
		paths []string
		opt   Options
		want  string
	}{
		{[]string{dir + "docs.csv"}, Options{}, "a1|نص أول، مع فاصلة|عنوان|" + dir + "docs.csv:2\na2|سطر\nثان \"مقتبس\"||" + dir + "docs.csv:3"},
		{[]string{dir + "docs.tsv"}, Options{}, "t1|نص أول||" + dir + "docs.tsv:2\nt2|نص\tمع تبويب||" + dir + "docs.tsv:3"},
		{[]string{dir + "docs.jsonl.gz"}, Options{}, "z1|نص مضغوط||" + dir + "docs.jsonl.gz:1\nz2|نص آخر||" + dir + "docs.jsonl.gz:2"},
		{[]string{dir + "docs.jsonl.zst"}, Options{}, "z1|نص مضغوط||" + dir + "docs.jsonl.zst:1\nz2|نص آخر||" + dir + "docs.jsonl.zst:2"},
		{[]string{dir + "nested.jsonl"}, Options{IDField: "meta.id", TextFields: []string{"title", "body"}},
			"n1|عنوان\n\nنص|عنوان|" + dir + "nested.jsonl:1\nn2|نص ثان||" + dir + "nested.jsonl:2"},
		{[]string{dir + "docs.csv"}, Options{TextFields: []string{"title", "text"}, IDField: "none"},
			"../testdata/formats/docs.csv:2|عنوان\n\nنص أول، مع فاصلة|عنوان|" + dir + "docs.csv:2\n" +
				"../testdata/formats/docs.csv:3|سطر\nثان \"مقتبس\"||" + dir + "docs.csv:3"},
	}
	for _, tt := range tests {
		docs, errs := readAll(t, NewReader(tt.paths, tt.opt))
		if len(errs) > 0 {
			t.Errorf("%v: %v", tt.paths, errs)
		}
		if got := summary(docs); got != tt.want {
			t.Errorf("%v:\n%s\nwant:\n%s", tt.paths, got, tt.want)
		}
	}
}

func TestStdinFormats(t *testing.T) {
	gz, err := os.ReadFile("../testdata/formats/docs.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	docs, errs := readAll(t, NewReader([]string{"-"}, Options{Stdin: strings.NewReader(string(gz))}))
	if len(errs) > 0 || len(docs) != 2 || docs[0].Place() != "-:1" {
		t.Errorf("gzip on stdin: %v %v", summary(docs), errs)
	}
	docs, errs = readAll(t, NewReader([]string{"-"}, Options{Format: TSV, Stdin: strings.NewReader("id\ttext\nx\tنص\n")}))
	if len(errs) > 0 || summary(docs) != "x|نص||-:2" || string(docs[0].Raw) != "x\tنص" {
		t.Errorf("TSV on stdin: %v %v", summary(docs), errs)
	}
}

func TestCSVErrors(t *testing.T) {
	docs, errs := readAll(t, NewReader([]string{"../testdata/formats/fieldcount.csv"}, Options{}))
	if summary(docs) != "c1|ok||../testdata/formats/fieldcount.csv:2\nc3|fine||../testdata/formats/fieldcount.csv:4" ||
		len(errs) != 1 || errs[0].Error() != "read ../testdata/formats/fieldcount.csv:3: 3 fields, the header has 2" {
		t.Errorf("docs %s, errors %v", summary(docs), errs)
	}
	_, errs = readAll(t, NewReader([]string{"../testdata/formats/bad.csv"}, Options{}))
	if len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), "read ../testdata/formats/bad.csv:2: ") {
		t.Errorf("errors %v", errs)
	}
	_, errs = readAll(t, NewReader([]string{"../testdata/formats/docs.csv"}, Options{TextFields: []string{"body"}}))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `no column "body"`) {
		t.Errorf("errors %v", errs)
	}
	_, errs = readAll(t, NewReader([]string{"-"}, Options{TextFields: []string{"title", "text"}, Stdin: strings.NewReader(`{"id":"a","body":"x"}` + "\n")}))
	if len(errs) != 1 || !strings.HasSuffix(errs[0].Error(), `no field "title" or "text"`) {
		t.Errorf("errors %v", errs)
	}
	// A NUL byte is no text: the record is an error at its line, and a
	// header that holds one (UTF-16) fails the file.
	docs, errs = readAll(t, NewReader([]string{"-"}, Options{Format: CSV, Stdin: strings.NewReader("id,text\na,x\x00y\nb,نص\n")}))
	if summary(docs) != "b|نص||-:3" || len(errs) != 1 || errs[0].Error() != "read -:2: "+errNUL.Error() {
		t.Errorf("NUL in a record: docs %s, errors %v", summary(docs), errs)
	}
	_, errs = readAll(t, NewReader([]string{"-"}, Options{Format: CSV, Stdin: strings.NewReader("i\x00d\x00,\x00t\x00\n\x00")}))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "header: "+errNUL.Error()) {
		t.Errorf("UTF-16 header: errors %v", errs)
	}
}

type pqDoc struct {
	ID    int64   `parquet:"id"`
	Text  *string `parquet:"text,optional"`
	Title string  `parquet:"title"`
}

func TestParquet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "docs.parquet")
	s := func(x string) *string { return &x }
	rows := []pqDoc{{1, s("نص أول"), "عنوان"}, {2, nil, ""}, {3, s("نص ثالث"), ""}}
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	docs, errs := readAll(t, NewReader([]string{path}, Options{}))
	want := "1|نص أول|عنوان|" + path + ":1\n3|نص ثالث||" + path + ":3"
	if summary(docs) != want || len(errs) != 1 || !strings.Contains(errs[0].Error(), ":2: no text") {
		t.Errorf("docs:\n%s\nerrors %v", summary(docs), errs)
	}
	if len(docs[0].Row) == 0 {
		t.Error("no raw row")
	}
	if _, errs := readAll(t, NewReader([]string{"-"}, Options{Format: Parquet, Stdin: strings.NewReader("")})); len(errs) != 1 {
		t.Errorf("parquet on stdin: %v", errs)
	}
	// A float id names no record: an error at its row, as in JSON Lines.
	type floatID struct {
		ID   float64 `parquet:"id"`
		Text string  `parquet:"text"`
	}
	if err := parquet.WriteFile(path, []floatID{{0.5, "نص"}}); err != nil {
		t.Fatal(err)
	}
	docs, errs = readAll(t, NewReader([]string{path}, Options{}))
	if len(docs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), ":1: id 0.5 is a DOUBLE, not a string or an integer") {
		t.Errorf("float id: docs %s, errors %v", summary(docs), errs)
	}
}

func TestGlob(t *testing.T) {
	docs, _ := readAll(t, NewReader([]string{"../testdata/corpus/dir"}, Options{Glob: "*.md"}))
	if summary(docs) != "c.md|ignored||../testdata/corpus/dir/c.md:1" {
		t.Errorf("docs %s", summary(docs))
	}
}

func FuzzCSV(f *testing.F) {
	f.Add("id,text\na,\"x\ny\"\n")
	f.Add("id,text\n\"a")
	f.Fuzz(func(t *testing.T, in string) {
		r := NewReader([]string{"-"}, Options{Format: CSV, Stdin: strings.NewReader(in)})
		for n := 0; n <= len(in)+1; n++ {
			if _, err := r.Next(); err != nil && !isRecordError(err) {
				return // io.EOF or a final error
			}
		}
		t.Fatalf("more records than bytes")
	})
}

func isRecordError(err error) bool {
	_, ok := err.(*Error)
	return ok
}

// FuzzParquet feeds arbitrary bytes to the Parquet reader as a file: an
// error is fine, a panic is not.
func FuzzParquet(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.parquet")
	s := "نص"
	if err := parquet.WriteFile(path, []pqDoc{{1, &s, "t"}}); err != nil {
		f.Fatal(err)
	}
	seed, _ := os.ReadFile(path)
	f.Add(seed)
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, in []byte) {
		p := filepath.Join(t.TempDir(), "in.parquet")
		if err := os.WriteFile(p, in, 0o644); err != nil {
			t.Fatal(err)
		}
		r := NewReader([]string{p}, Options{})
		for range 1000 {
			if _, err := r.Next(); err != nil && !isRecordError(err) {
				return
			}
		}
		r.Close()
	})
}

func TestReviewedEdgeCases(t *testing.T) {
	dir := t.TempDir()
	// A corrupt Parquet file is an error for that file, not a panic.
	good := filepath.Join(dir, "good.parquet")
	s := "نص"
	parquet.WriteFile(good, []pqDoc{{1, &s, ""}, {2, &s, ""}})
	b, _ := os.ReadFile(good)
	for i := 4; i < len(b)-8; i += 7 {
		bad := append([]byte(nil), b...)
		bad[i] ^= 0xff
		p := filepath.Join(dir, "bad.parquet")
		os.WriteFile(p, bad, 0o644)
		r := NewReader([]string{p}, Options{})
		for range 10 {
			if _, err := r.Next(); err != nil && !isRecordError(err) {
				break
			}
		}
		r.Close()
	}
	// An empty id is no id; a byte-order mark starts the first line.
	docs, errs := readAll(t, NewReader([]string{"-"}, Options{Stdin: strings.NewReader("\ufeff{\"id\":\"\",\"text\":\"a\"}\n{\"id\":\"\",\"text\":\"b\"}\n")}))
	if len(errs) > 0 || summary(docs) != "-:1|a||-:1\n-:2|b||-:2" {
		t.Errorf("empty ids: %s %v", summary(docs), errs)
	}
	// A byte-order mark starts no text file's text.
	bom := filepath.Join(dir, "bom.txt")
	os.WriteFile(bom, []byte("\ufeffعنوان\r\nنص\r\n"), 0o644)
	docs, errs = readAll(t, NewReader([]string{bom}, Options{}))
	if len(errs) > 0 || len(docs) != 1 || docs[0].Text != "عنوان\r\nنص\r\n" {
		t.Errorf("text with a byte-order mark: %s %v", summary(docs), errs)
	}
	// A compressed text file is read as text.
	gz := filepath.Join(dir, "a.txt.gz")
	raw, _ := os.ReadFile("../testdata/formats/docs.jsonl.gz") // any gzip stream
	os.WriteFile(gz, raw, 0o644)
	docs, errs = readAll(t, NewReader([]string{gz}, Options{}))
	if len(errs) > 0 || len(docs) != 1 || !strings.Contains(docs[0].Text, "نص مضغوط") {
		t.Errorf("text.gz: %v %v", summary(docs), errs)
	}
	// A quote left open is one bad record that names its lines.
	_, errs = readAll(t, NewReader([]string{"-"}, Options{Format: CSV, Stdin: strings.NewReader("id,text\n1,\"abc\n2,hello\n3,\"x\"y\n4,ok\n")}))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "lines 2 to 4 form one bad record") {
		t.Errorf("open quote: %v", errs)
	}
}

func TestWriterEdgeCases(t *testing.T) {
	// No record written: a CSV output still has its header.
	docs, _ := readAll(t, NewReader([]string{"../testdata/formats/docs.csv"}, Options{}))
	var buf strings.Builder
	w := NewWriter(&buf, "replaced_by")
	w.Begin(&docs[0])
	w.Close()
	if buf.String() != "id,title,text,replaced_by\n" {
		t.Errorf("empty CSV output: %q", buf.String())
	}
	// A one-column record with an empty field survives the round trip.
	one, _ := readAll(t, NewReader([]string{"-"}, Options{Format: CSV, TextFields: []string{"text"}, Stdin: strings.NewReader("text\n\"\"\nنص\n")}))
	buf.Reset()
	w = NewWriter(&buf)
	for i := range one {
		if err := w.Write(&one[i]); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	if buf.String() != "text\n\"\"\nنص\n" {
		t.Errorf("one column: %q", buf.String())
	}
	// Extra values keep their type: the string "true" stays a string.
	jl, _ := readAll(t, NewReader([]string{"-"}, Options{Stdin: strings.NewReader(`{"id":"true","text":"x"}` + "\n")}))
	buf.Reset()
	w = NewWriter(&buf, "cluster_id", "keep")
	w.Write(&jl[0], "true", true)
	if buf.String() != `{"id":"true","text":"x","cluster_id":"true","keep":true}`+"\n" {
		t.Errorf("typed extras: %q", buf.String())
	}
}

// TestBrokenOff: a compressed file cut short gives its records up to the
// break, then one error naming the line after the last record read (a CSV
// record of two lines counted as two), and reading
// goes on with the next file; the line cut short is not read as a record.
func TestBrokenOff(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"jsonl", "csv"} {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if format == "csv" {
			fmt.Fprintf(zw, "id,text\n")
		}
		for i := range 50 {
			if format == "csv" {
				fmt.Fprintf(zw, "%d,\"نص رقم %d\nسطر ثان\"\n", i, i) // two lines a record
			} else {
				fmt.Fprintf(zw, "{\"id\":\"%d\",\"text\":\"نص رقم %d\"}\n", i, i)
			}
			zw.Flush() // each record decodable on its own
		}
		zw.Close()
		cut := filepath.Join(dir, "a."+format+".gz")
		whole := filepath.Join(dir, "b."+format)
		os.WriteFile(cut, buf.Bytes()[:buf.Len()/2], 0o644)
		os.WriteFile(whole, []byte("id,text\nlast,نص\n"), 0o644)
		if format == "jsonl" {
			os.WriteFile(whole, []byte(`{"id":"last","text":"نص"}`+"\n"), 0o644)
		}
		docs, errs := readAll(t, NewReader([]string{cut, whole}, Options{}))
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "the file breaks off: unexpected EOF") {
			t.Fatalf("%s: errors %v, want one that says the file breaks off", format, errs)
		}
		n := len(docs) - 1 // the records before the break
		if n < 10 || docs[n].ID != "last" {
			t.Fatalf("%s: %d records before the break, then %q", format, n, docs[n].ID)
		}
		line := n + 1
		if format == "csv" {
			line = 1 + 2*n + 1 // the header, two lines a record
		}
		if want := fmt.Sprintf("%s:%d:", cut, line); !strings.Contains(errs[0].Error(), want) {
			t.Errorf("%s: %v does not name %s", format, errs[0], want)
		}
		for i, d := range docs[:n] {
			if d.ID != strconv.Itoa(i) {
				t.Fatalf("%s: record %d has id %q", format, i, d.ID)
			}
		}
	}
}

// brokenRows returns the rows of its first read together with an error, as
// a reader that fails midway through a batch does.
type brokenRows struct{ parquet.RowReadCloser }

func (b brokenRows) ReadRows(rows []parquet.Row) (int, error) {
	n, _ := b.RowReadCloser.ReadRows(rows[:2])
	return n, errors.New("bad page")
}

// TestParquetBreaksOff checks that rows read with an error are taken, and
// the error then named at the row after them: none is lost in silence.
func TestParquetBreaksOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "docs.parquet")
	s := "نص"
	if err := parquet.WriteFile(path, []pqDoc{{1, &s, ""}, {2, &s, ""}, {3, &s, ""}}); err != nil {
		t.Fatal(err)
	}
	f, err := openParquet(path, &Options{IDField: "id", TextFields: []string{"text"}, TitleField: "title"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	f.r = brokenRows{f.r}
	var got []string
	for range 5 {
		d, err := f.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			got = append(got, err.Error())
			continue
		}
		got = append(got, d.ID)
	}
	want := []string{"1", "2", "read " + path + ":3: bad page"}
	if !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
}

// TestNoRaw reads the same inputs with and without Options.NoRaw: the
// documents and errors must be the same but for Raw, read all before they
// are compared, so that a field still pointing into the reused line buffer
// would show the lines read after it.
func TestNoRaw(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("نص طويل ", 20000) // 300 KB, past the reader's 64 KiB buffer
	jsonl := "\ufeff" + `{"id":"j1","text":"أول","date":"2024-05-01"}` + "\r\n" +
		"\n" +
		`{"id":2,"text":"` + long + `","title":"عنوان"}` + "\n" +
		`{"id":"j3","text":"سطر \"مقتبس\"\u0627` + "\xff" + `"}` + "\n" +
		`{"id":"j4","text":` + "\n" +
		`{"id":"j5","text":"آخر بلا نهاية سطر"}`
	files := map[string]string{
		"a.jsonl": jsonl,
		"b.csv":   "id,text\nc1,\"نص، أول\"\nc2,ثان\n",
		"c.tsv":   "id\ttext\nt1\tنص\n",
		"d.txt":   "نص ملف",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths := []string{filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.csv"), filepath.Join(dir, "c.tsv"), filepath.Join(dir, "d.txt")}
	opt := Options{TimeFields: []string{"date"}}
	want, wantErrs := readAll(t, NewReader(paths, opt))
	opt.NoRaw = true
	got, gotErrs := readAll(t, NewReader(paths, opt))
	if len(want) != 8 || len(wantErrs) != 1 {
		t.Fatalf("read %d documents and %v, want 8 and one error", len(want), wantErrs)
	}
	if fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) {
		t.Errorf("errors %v, want %v", gotErrs, wantErrs)
	}
	if len(got) != len(want) {
		t.Fatalf("%d documents, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Raw != nil {
			t.Errorf("%s: Raw is set", got[i].Place())
		}
		if len(want[i].Raw) == 0 {
			t.Errorf("%s: without NoRaw, Raw is empty", want[i].Place())
		}
		w := want[i]
		w.Raw = nil
		if !reflect.DeepEqual(got[i], w) {
			t.Errorf("document %d:\n%+.200v\nwant\n%+.200v", i, got[i], w)
		}
	}
}
