package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// jsonlFile reads one JSON object per line. Lines of any length are read
// whole: bufio.Reader grows its result rather than failing as
// bufio.Scanner does past 64 KiB.
type jsonlFile struct {
	name string
	rc   io.ReadCloser
	br   *bufio.Reader
	line int
	opt  *Options
}

func newJSONL(name string, rc io.ReadCloser, opt *Options) *jsonlFile {
	return &jsonlFile{name: name, rc: rc, br: bufio.NewReaderSize(rc, 1<<16), opt: opt}
}

func (f *jsonlFile) close() error { return f.rc.Close() }

func (f *jsonlFile) next() (Document, error) {
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
		if f.line == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\ufeff")) // a byte-order mark
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue // blank lines separate nothing in JSON Lines
		}
		return f.parse(raw)
	}
}

func (f *jsonlFile) parse(raw []byte) (Document, error) {
	opt := f.opt
	d := Document{File: f.name, Line: f.line, Format: JSONL, Raw: raw}
	fail := func(format string, args ...any) (Document, error) {
		return d, &Error{File: f.name, Line: f.line, Err: fmt.Errorf(format, args...)}
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rec); err != nil {
		return fail("malformed JSON: %v", err)
	}
	var parts []string
	for _, name := range opt.TextFields {
		text, ok, err := stringField(rec, name)
		if err != nil {
			return fail("field %q: %v", name, err)
		}
		if ok {
			parts = append(parts, text)
		}
	}
	if len(parts) == 0 {
		return fail("no field %q", strings.Join(opt.TextFields, `" or "`))
	}
	// encoding/json replaces invalid UTF-8 in strings by U+FFFD silently;
	// count the invalid sequences of the record so that none goes unreported.
	d.Text = joinText(parts)
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
	if ok && id != "" {
		d.ID = id
	} else {
		d.ID, d.GeneratedID = d.Place(), true
	}
	return d, nil
}

// lookup finds the value at a field path: the name as a key, or else a
// dotted path through nested objects ("meta.id").
func lookup(rec map[string]json.RawMessage, path string) (json.RawMessage, bool) {
	if v, ok := rec[path]; ok {
		return v, true
	}
	head, rest, dotted := strings.Cut(path, ".")
	if !dotted {
		return nil, false
	}
	v, ok := rec[head]
	if !ok {
		return nil, false
	}
	var inner map[string]json.RawMessage
	if json.Unmarshal(v, &inner) != nil {
		return nil, false
	}
	return lookup(inner, rest)
}

// stringField returns the string value of field name; ok is false when the
// field is absent or null.
func stringField(rec map[string]json.RawMessage, name string) (s string, ok bool, err error) {
	v, found := lookup(rec, name)
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
	v, _ := lookup(rec, name)
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		if _, err := n.Int64(); err == nil {
			return n.String(), true, nil
		}
	}
	return "", false, errors.New("not a string or an integer")
}
