// Package corpus reads documents from text files, directories of them and
// JSON Lines files, one document at a time.
//
// A [Reader] streams: it holds one document at a time, whatever the size of
// the corpus. Every document carries the place it came from (file and line),
// so that any later message can point at it, and its raw record, so that a
// pipeline can write the input back unchanged.
package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Document is one input text.
type Document struct {
	ID      string // from the id field, the file path, or generated as "file:line"
	Text    string // the text, valid UTF-8 (invalid bytes replaced by U+FFFD)
	Title   string // the title field of a JSONL record, if any
	File    string // the file it came from ("-" for standard input)
	Line    int    // its line in File (1 for a text file)
	Raw     []byte // the record as read: the JSONL line, or the file's bytes
	Invalid int    // invalid UTF-8 sequences replaced in Text
	// GeneratedID is true when the record had no id and ID is "file:line".
	GeneratedID bool
}

// Place returns "file:line", for messages.
func (d *Document) Place() string { return d.File + ":" + strconv.Itoa(d.Line) }

// Options says how records are read.
type Options struct {
	IDField    string    // JSONL field holding the id (default "id")
	TextField  string    // JSONL field holding the text (default "text")
	TitleField string    // JSONL field holding a title (default "title"); may be absent
	Stdin      io.Reader // what "-" reads (default os.Stdin)
}

// An Error is a problem with one record or file; the reader can go on past it.
type Error struct {
	File string
	Line int // 0 when the problem is with the whole file
	Err  error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("read %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("read %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// A Reader returns the documents of a list of inputs in order: each path in
// the order given; the .txt files of a directory, recursively, in lexical
// order of their paths.
type Reader struct {
	opt    Options
	inputs []string
	files  []fileInput // pending files of the current input
	cur    *jsonlFile
}

type fileInput struct {
	path string // as opened
	id   string // document id for a .txt file
}

// NewReader returns a Reader over the given paths: ".txt" files, ".jsonl"
// files, directories (their .txt files, recursively), or "-" for JSON Lines
// on standard input.
func NewReader(paths []string, opt Options) *Reader {
	if opt.IDField == "" {
		opt.IDField = "id"
	}
	if opt.TextField == "" {
		opt.TextField = "text"
	}
	if opt.TitleField == "" {
		opt.TitleField = "title"
	}
	if opt.Stdin == nil {
		opt.Stdin = os.Stdin
	}
	return &Reader{opt: opt, inputs: slices.Clone(paths)}
}

// Next returns the next document, or io.EOF after the last one. An error of
// type *Error concerns one record or file and reading can go on with the
// next call; any other error is final.
func (r *Reader) Next() (Document, error) {
	for {
		if r.cur != nil {
			d, err := r.cur.next(&r.opt)
			if err == io.EOF {
				r.cur.close()
				r.cur = nil
				continue
			}
			return d, err
		}
		if len(r.files) > 0 {
			f := r.files[0]
			r.files = r.files[1:]
			if strings.HasSuffix(f.path, ".jsonl") {
				fh, err := os.Open(f.path)
				if err != nil {
					return Document{}, &Error{File: f.path, Err: err}
				}
				r.cur = newJSONL(f.path, fh)
				continue
			}
			return readText(f)
		}
		if len(r.inputs) == 0 {
			return Document{}, io.EOF
		}
		in := r.inputs[0]
		r.inputs = r.inputs[1:]
		if in == "-" {
			r.cur = newJSONL("-", io.NopCloser(r.opt.Stdin))
			continue
		}
		files, err := expand(in)
		if err != nil {
			return Document{}, &Error{File: in, Err: err}
		}
		r.files = files
	}
}

// Close releases the open file, if any.
func (r *Reader) Close() error {
	if r.cur != nil {
		r.cur.close()
		r.cur = nil
	}
	return nil
}

// expand lists the files of one input path.
func expand(path string) ([]fileInput, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		switch filepath.Ext(path) {
		case ".txt", ".jsonl":
			return []fileInput{{path: path, id: path}}, nil
		}
		return nil, fmt.Errorf("unknown input format (want .txt, .jsonl, a directory or -)")
	}
	var files []fileInput
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && filepath.Ext(p) == ".txt" {
			rel, err := filepath.Rel(path, p)
			if err != nil {
				return err
			}
			files = append(files, fileInput{path: p, id: filepath.ToSlash(rel)})
		}
		return nil
	})
	return files, err
}

func readText(f fileInput) (Document, error) {
	raw, err := os.ReadFile(f.path)
	if err != nil {
		return Document{}, &Error{File: f.path, Err: err}
	}
	text, bad := validText(raw)
	return Document{ID: f.id, Text: text, File: f.path, Line: 1, Raw: raw, Invalid: bad}, nil
}

// validText returns b as a string with each invalid UTF-8 sequence replaced
// by U+FFFD, and the number of sequences replaced.
func validText(b []byte) (string, int) {
	if utf8.Valid(b) {
		return string(b), 0
	}
	var sb strings.Builder
	bad := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			bad++
			sb.WriteRune(utf8.RuneError)
			// A run of invalid bytes is one sequence.
			for b = b[1:]; len(b) > 0; b = b[1:] {
				if r, size := utf8.DecodeRune(b); r != utf8.RuneError || size != 1 {
					break
				}
			}
			continue
		}
		sb.Write(b[:size])
		b = b[size:]
	}
	return sb.String(), bad
}

// jsonlFile reads one JSON object per line. Lines of any length are read
// whole: bufio.Reader grows its result rather than failing as
// bufio.Scanner does past 64 KiB.
type jsonlFile struct {
	name string
	rc   io.Closer
	br   *bufio.Reader
	line int
}

func newJSONL(name string, rc io.ReadCloser) *jsonlFile {
	return &jsonlFile{name: name, rc: rc, br: bufio.NewReaderSize(rc, 1<<16)}
}

func (f *jsonlFile) close() { f.rc.Close() }

func (f *jsonlFile) next(opt *Options) (Document, error) {
	for {
		line, err := f.br.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			if err == io.EOF {
				return Document{}, io.EOF
			}
			return Document{}, fmt.Errorf("read %s:%d: %w", f.name, f.line+1, err)
		}
		f.line++
		raw := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(raw)) == 0 {
			continue // blank lines separate nothing in JSON Lines
		}
		return f.parse(raw, opt)
	}
}

func (f *jsonlFile) parse(raw []byte, opt *Options) (Document, error) {
	d := Document{File: f.name, Line: f.line, Raw: raw}
	fail := func(format string, args ...any) (Document, error) {
		return d, &Error{File: f.name, Line: f.line, Err: fmt.Errorf(format, args...)}
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rec); err != nil {
		return fail("malformed JSON: %v", err)
	}
	text, ok, err := stringField(rec, opt.TextField)
	if err != nil {
		return fail("field %q: %v", opt.TextField, err)
	}
	if !ok {
		return fail("no field %q", opt.TextField)
	}
	// encoding/json replaces invalid UTF-8 in strings by U+FFFD silently;
	// count the invalid sequences of the record so that none goes unreported.
	d.Text = text
	if !utf8.Valid(raw) {
		_, d.Invalid = validText(raw)
	}
	if title, ok, err := stringField(rec, opt.TitleField); err == nil && ok {
		d.Title = title
	}
	id, ok, err := idField(rec, opt.IDField)
	if err != nil {
		return fail("field %q: %v", opt.IDField, err)
	}
	if ok {
		d.ID = id
	} else {
		d.ID, d.GeneratedID = d.Place(), true
	}
	return d, nil
}

// stringField returns the string value of field name; ok is false when the
// field is absent or null.
func stringField(rec map[string]json.RawMessage, name string) (s string, ok bool, err error) {
	v, found := rec[name]
	if !found || string(v) == "null" {
		return "", false, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return "", false, errors.New("not a string")
	}
	return s, true, nil
}

// idField is like stringField but also takes an integer id, as many
// datasets number their records.
func idField(rec map[string]json.RawMessage, name string) (string, bool, error) {
	s, ok, err := stringField(rec, name)
	if err == nil {
		return s, ok, nil
	}
	var n json.Number
	if json.Unmarshal(rec[name], &n) == nil {
		if _, err := n.Int64(); err == nil {
			return n.String(), true, nil
		}
	}
	return "", false, errors.New("not a string or an integer")
}

// ForEach calls fn for each document of r, in order, until r is exhausted
// or either returns an error.
func ForEach(r interface{ Next() (Document, error) }, fn func(*Document) error) error {
	for {
		d, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
}
