package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// readAll reads every document, collecting per-record errors.
func readAll(t *testing.T, r *Reader) ([]Document, []error) {
	t.Helper()
	var docs []Document
	var errs []error
	for {
		d, err := r.Next()
		if err == io.EOF {
			return docs, errs
		}
		var re *Error
		if errors.As(err, &re) {
			errs = append(errs, err)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
}

func TestDirectory(t *testing.T) {
	r := NewReader([]string{"../testdata/corpus/dir"}, Options{})
	docs, errs := readAll(t, r)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID+"="+d.Text)
	}
	if got, want := strings.Join(ids, " "), "a.txt=نص أول sub/b.txt=نص ثان"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestJSONL(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a","text":"نص","title":"عنوان"}`,
		``,
		`{"id":7,"text":"seven"}`,
		`{"text":"no id"}`,
		"{\"id\":\"b\",\"text\":\"bad \xff byte\"}",
		`{"id":"c","text":`,
		`{"id":"d"}`,
		`{"id":1.5,"text":"x"}`,
		`{"id":"e","text":5}`,
		`{"id":"f","text":null}`,
		`{"id":18446744073709551616,"text":"big"}`,
		`{"id":1e3,"text":"x"}`,
		`{"id":"g","text":"last, no newline"}`,
	}, "\n")
	r := NewReader([]string{"-"}, Options{Stdin: strings.NewReader(in)})
	docs, errs := readAll(t, r)
	var got []string
	for _, d := range docs {
		got = append(got, d.ID+"|"+d.Text+"|"+d.Title+"|"+d.Place())
	}
	want := []string{
		"a|نص|عنوان|-:1",
		"7|seven||-:3",
		"-:4|no id||-:4",
		"b|bad \uFFFD byte||-:5",
		"18446744073709551616|big||-:11",
		"g|last, no newline||-:13",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("documents:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !docs[2].GeneratedID || docs[3].Invalid != 1 {
		t.Errorf("GeneratedID %v, Invalid %d", docs[2].GeneratedID, docs[3].Invalid)
	}
	wantErrs := []string{
		"read -:6: malformed JSON",
		`read -:7: no field "text"`,
		`read -:8: field "id": not a string or an integer`,
		`read -:9: field "text": not a string`,
		`read -:10: no field "text"`,
		`read -:12: field "id": not a string or an integer`,
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("errors %v, want %d", errs, len(wantErrs))
	}
	for i, w := range wantErrs {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d: %q, want prefix %q", i, errs[i], w)
		}
	}
}

func TestLongLine(t *testing.T) {
	long := strings.Repeat("ب", 1<<20) // 2 MiB, far past bufio.Scanner's 64 KiB
	in := `{"id":"x","text":"` + long + "\"}\n"
	docs, errs := readAll(t, NewReader([]string{"-"}, Options{Stdin: strings.NewReader(in)}))
	if len(errs) > 0 || len(docs) != 1 || docs[0].Text != long {
		t.Fatalf("long line not read whole: %d docs, %v", len(docs), errs)
	}
}

func TestMissingAndUnknownInputs(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "x.md")
	if err := os.WriteFile(md, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs := readAll(t, NewReader([]string{filepath.Join(dir, "missing.txt"), md}, Options{}))
	if len(errs) != 2 || !strings.Contains(errs[1].Error(), "unknown format") {
		t.Errorf("errors %v", errs)
	}
}

func TestInvalidUTF8Runs(t *testing.T) {
	s, n := validText([]byte("a\xff\xfeb\xc3"))
	if s != "a\uFFFDb\uFFFD" || n != 2 {
		t.Errorf("validText = %q, %d", s, n)
	}
	// Every format replaces alike, so that one text normalizes alike, and
	// counts the sequences replaced in the fields read: id, title, text.
	text, title, other := "نص\xff\xfe\xfd آخر\xc3", "T\xffX", "O\xffZ"
	for _, in := range []struct {
		format, data string
		invalid      int
	}{
		{"jsonl", `{"id":"a","other":"` + other + `","title":"` + title + `","text":"` + text + `"}`, 3},
		{"csv", "id,other,title,text\na," + other + "," + title + "," + text + "\n", 3},
		{"tsv", "id\tother\ttitle\ttext\na\t" + other + "\t" + title + "\t" + text + "\n", 3},
		{"txt", text, 2},
	} {
		opt := Options{Format: in.format, IDField: "id", TextFields: []string{"text"}, TitleField: "title", Stdin: strings.NewReader(in.data)}
		docs, errs := readAll(t, NewReader([]string{"-"}, opt))
		if len(errs) > 0 || len(docs) != 1 || docs[0].Text != "نص\uFFFD آخر\uFFFD" || docs[0].Invalid != in.invalid {
			t.Errorf("%s: %+v %v", in.format, docs, errs)
			continue
		}
		if in.format != "txt" && docs[0].Title != "T\uFFFDX" {
			t.Errorf("%s: title %q", in.format, docs[0].Title)
		}
	}
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"نص"}` + "\n" + `{"id":1}`))
	f.Add([]byte("{\"text\":\"\xff\"}\n\n\n"))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader([]string{"-"}, Options{Stdin: strings.NewReader(string(in))})
		// The same input read with NoRaw, record by record, must give the
		// same records but for Raw, and the same errors.
		nr := NewReader([]string{"-"}, Options{Stdin: strings.NewReader(string(in)), NoRaw: true})
		var got, want []Document // all read, compared again at the end: no field may point into NoRaw's buffer
		defer func() {
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("NoRaw: record %d changed after later reads: %+v, want %+v", i, got[i], want[i])
				}
			}
		}()
		lines := strings.Count(string(in), "\n") + 1
		for n := 0; ; n++ {
			d, err := r.Next()
			nd, nerr := nr.Next()
			if fmt.Sprint(err) != fmt.Sprint(nerr) {
				t.Fatalf("NoRaw: error %v, want %v", nerr, err)
			}
			w := d
			w.Raw = nil
			if !reflect.DeepEqual(nd, w) {
				t.Fatalf("NoRaw: %+v, want %+v", nd, w)
			}
			got, want = append(got, nd), append(want, w)
			if err == io.EOF {
				return
			}
			if n > lines {
				t.Fatalf("more records than lines")
			}
			var re *Error
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("unexpected error type: %v", err)
			}
			if err == nil && d.ID == "" && !d.GeneratedID {
				// An empty string id is allowed only when it was given.
				continue
			}
		}
	})
}

// FuzzUnquote checks the reader's JSON string decoder against
// encoding/json on every valid string literal; json.Unmarshal replaces each
// invalid byte by U+FFFD, the reader a run of them, as bytes.ToValidUTF8.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`"نص"`, `"a\nb\"c\\d\/e\u0041\t"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83d\u0041"`,
		`"\ude00\ud83d"`, "\"\xff\xfe\"", `"\u00e9\b\f\r"`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, lit []byte) {
		var want string
		if err := json.Unmarshal(lit, &want); err != nil {
			return // only literals the record's validation lets through
		}
		want = ""
		if err := json.Unmarshal(bytes.ToValidUTF8(lit, []byte("\uFFFD")), &want); err != nil {
			t.Fatal(err)
		}
		if bytes.TrimSpace(lit)[0] != '"' {
			return
		}
		lit = bytes.TrimSpace(lit)
		got, ok := unquote(lit, false)
		if !ok || got != want {
			t.Fatalf("unquote(%q) = %q, %v; json.Unmarshal gives %q", lit, got, ok, want)
		}
		if utf8.Valid(lit) {
			if got, ok := unquote(lit, true); !ok || got != want {
				t.Fatalf("unquote(%q, valid) = %q, %v; json.Unmarshal gives %q", lit, got, ok, want)
			}
		}
	})
}

// TestBadFilesInADirectory: a binary file, an unreadable file, a broken
// symlink and an unreadable subdirectory are reported at their place, and
// the other files are read.
func TestBadFilesInADirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "نص")
	write("b.txt", "bin\x00ary")
	write("c.txt", "غير مقروء")
	os.Chmod(filepath.Join(dir, "c.txt"), 0)
	os.Symlink(filepath.Join(dir, "gone.txt"), filepath.Join(dir, "d.txt"))
	os.Mkdir(filepath.Join(dir, "e"), 0o755)
	write("e/x.txt", "x")
	os.Chmod(filepath.Join(dir, "e"), 0)
	write("f.txt", "آخر")
	defer os.Chmod(filepath.Join(dir, "e"), 0o755)
	docs, errs := readAll(t, NewReader([]string{dir}, Options{}))
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if got := strings.Join(ids, " "); got != "a.txt f.txt" && !(os.Geteuid() == 0 && got == "a.txt c.txt e/x.txt f.txt") {
		t.Errorf("documents %q", got)
	}
	want := []string{"b.txt: binary file", "d.txt: open"}
	if os.Geteuid() != 0 { // root reads anything
		want = []string{"b.txt: binary file", "c.txt: open", "d.txt: open", "e: open"}
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %v, want %d", errs, len(want))
	}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("error %d: %v, want %q", i, errs[i], w)
		}
	}
}

// TestLinkedDirectories: a symbolic link to a directory, as the input or
// inside it, is read through; one that leads back to a directory the walk
// is inside of is a loop, reported at its place, and the rest is read.
func TestLinkedDirectories(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write("tree/a.txt", "نص")
	write("other/b.txt", "آخر")
	write("other/deep/c.txt", "ثالث")
	link(filepath.Join(dir, "other"), "tree/o")     // a link inside the tree
	link("..", "tree/up")                           // back to the tree's parent: a loop
	link(filepath.Join(dir, "tree"), "other/back")  // other -> tree -> other: a loop once inside
	link(filepath.Join(dir, "tree"), "linked-tree") // the input itself a link
	tests := []struct {
		input      string
		ids, loops []string
	}{
		{"tree", []string{"a.txt", "o/b.txt", "o/deep/c.txt"}, []string{"o/back", "up"}},
		{"linked-tree", []string{"a.txt", "o/b.txt", "o/deep/c.txt"}, []string{"o/back", "up"}},
		{"other", []string{"b.txt", "back/a.txt", "deep/c.txt"}, []string{"back/o", "back/up"}},
	}
	for _, tt := range tests {
		docs, errs := readAll(t, NewReader([]string{filepath.Join(dir, tt.input)}, Options{}))
		var ids []string
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
		if !slices.Equal(ids, tt.ids) {
			t.Errorf("%s: documents %q, want %q", tt.input, ids, tt.ids)
		}
		var loops []string
		for _, err := range errs {
			var re *Error
			if !errors.As(err, &re) || !strings.Contains(err.Error(), "a loop, not followed") {
				t.Errorf("%s: %v", tt.input, err)
				continue
			}
			rel, _ := filepath.Rel(filepath.Join(dir, tt.input), re.File)
			loops = append(loops, rel)
		}
		if !slices.Equal(loops, tt.loops) {
			t.Errorf("%s: loops at %q, want %q", tt.input, loops, tt.loops)
		}
	}
}

// TestInvalidFileName: a text file's name is its id, and is made valid
// UTF-8 as the fields of a record are, counted; so is the place.
func TestInvalidFileName(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad\xffname.txt"), []byte("نص"), 0o644); err != nil {
		t.Skip("the file system refuses the name:", err)
	}
	docs, errs := readAll(t, NewReader([]string{dir}, Options{}))
	if len(errs) > 0 || len(docs) != 1 {
		t.Fatalf("%d documents, errors %v", len(docs), errs)
	}
	d := docs[0]
	if d.ID != "bad\uFFFDname.txt" || d.Invalid != 1 || !utf8.ValidString(d.Place()) || !strings.HasSuffix(d.Place(), "bad\uFFFDname.txt:1") {
		t.Errorf("id %q, %d invalid, place %q", d.ID, d.Invalid, d.Place())
	}
	if d.File != filepath.Join(dir, "bad\xffname.txt") {
		t.Errorf("file %q: the path to read it again is lost", d.File)
	}
}

// TestNothingRead: a directory whose files all miss the glob, and standard
// input given twice, are errors, not empty inputs; an empty directory, or
// one of hidden files only, is empty.
func TestNothingRead(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"jsonl/a.jsonl", "jsonl/b.csv", "hidden/.keep", "empty/sub/.keep"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(`{"id":"a","text":"نص"}`+"\n"), 0o644)
	}
	tests := []struct {
		paths []string
		docs  int
		err   string
	}{
		{[]string{filepath.Join(dir, "jsonl")}, 0, `none of its 2 files matches the glob "*.txt"`},
		{[]string{filepath.Join(dir, "hidden")}, 0, ""},
		{[]string{filepath.Join(dir, "empty")}, 0, ""},
		{[]string{"-", "-"}, 1, "standard input is given twice"},
	}
	for _, tt := range tests {
		r := NewReader(tt.paths, Options{Stdin: strings.NewReader(`{"id":"s","text":"نص"}` + "\n")})
		docs, errs := readAll(t, r)
		var msg string
		if len(errs) > 0 {
			msg = errs[0].Error()
		}
		if len(docs) != tt.docs || len(errs) > 1 || (tt.err == "") != (msg == "") || !strings.Contains(msg, tt.err) {
			t.Errorf("%q: %d documents, errors %v; want %d and %q", tt.paths, len(docs), errs, tt.docs, tt.err)
		}
	}
}

// TestNoStdin: a library reads no process's standard input of its own.
func TestNoStdin(t *testing.T) {
	docs, errs := readAll(t, NewReader([]string{"-"}, Options{}))
	if len(docs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "no standard input") {
		t.Errorf("%d documents, errors %v", len(docs), errs)
	}
}

// TestFileErrorNamesItOnce: an error of the operating system on an input
// names the file once.
func TestFileErrorNamesItOnce(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.jsonl")
	_, errs := readAll(t, NewReader([]string{missing}, Options{}))
	if len(errs) != 1 || errs[0].Error() != "read "+missing+": stat: no such file or directory" {
		t.Errorf("errors %v", errs)
	}
}

// TestFileReadOnce: a file is read for one input only, however often the
// inputs name it: given twice, by a link, or inside a directory given too.
func TestFileReadOnce(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	a := filepath.Join(sub, "a.txt")
	os.WriteFile(a, []byte("نص"), 0o644)
	os.WriteFile(filepath.Join(sub, "b.txt"), []byte("آخر"), 0o644)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		paths []string
		docs  int
		again string // the path read again, and the first
	}{
		{[]string{sub, a}, 2, a + ": read already, for another input"},
		{[]string{a, link}, 1, link + ": read already as " + a},
		// dir holds link.txt and sub: a link inside a tree is the tree's
		// own, and read; sub given again is not.
		{[]string{dir, sub}, 3, a + ": read already as " + link},
	} {
		docs, errs := readAll(t, NewReader(tt.paths, Options{}))
		if len(docs) != tt.docs || len(errs) == 0 || !strings.Contains(errs[0].Error(), tt.again) {
			t.Errorf("%q: %d documents, errors %v; want %d and %q", tt.paths, len(docs), errs, tt.docs, tt.again)
		}
	}
}
