package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf16"
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

	members object // the last record's, reused
	buf     []byte // the last line, with Options.NoRaw
}

func newJSONL(name string, rc io.ReadCloser, opt *Options) *jsonlFile {
	return &jsonlFile{name: name, rc: rc, br: bufio.NewReaderSize(rc, 1<<16), opt: opt}
}

func (f *jsonlFile) close() error { return f.rc.Close() }

func (f *jsonlFile) next() (Document, error) {
	for {
		line, err := f.readLine()
		if err != nil && err != io.EOF {
			// A line cut short by a broken stream is not a record.
			return Document{}, brokenOff(f.name, f.line+1, err)
		}
		if len(line) == 0 {
			return Document{}, io.EOF
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

// readLine returns the next line, with its end if it has one, and an
// error if it ends otherwise than with '\n': as bufio.Reader.ReadBytes,
// into a buffer of f's that the next call overwrites with Options.NoRaw.
func (f *jsonlFile) readLine() ([]byte, error) {
	if !f.opt.NoRaw {
		return f.br.ReadBytes('\n')
	}
	if cap(f.buf) > maxKeptLine {
		f.buf = nil // a huge line's buffer is not kept for the ordinary ones
	}
	f.buf = f.buf[:0]
	for {
		chunk, err := f.br.ReadSlice('\n')
		f.buf = append(f.buf, chunk...)
		if err != bufio.ErrBufferFull {
			return f.buf, err
		}
	}
}

// maxKeptLine is the largest line buffer kept from line to line.
const maxKeptLine = 1 << 20

func (f *jsonlFile) parse(raw []byte) (Document, error) {
	opt := f.opt
	d := Document{File: f.name, Line: f.line, Format: JSONL}
	if !opt.NoRaw {
		d.Raw = raw // every field below is a copy: raw may be f.buf
	}
	fail := func(format string, args ...any) (Document, error) {
		return d, &Error{File: f.name, Line: f.line, Err: fmt.Errorf(format, args...)}
	}
	rec, err := parseObject(f.members[:0], raw)
	if err != nil {
		return fail("malformed JSON: %v", err)
	}
	f.members = rec
	// One check of the whole record serves its strings, and counts the
	// invalid sequences: encoding/json replaces invalid UTF-8 in strings by
	// U+FFFD silently, so none may go unreported.
	valid := validUTF8(raw)
	var parts []string
	for _, name := range opt.TextFields {
		text, ok, err := stringField(rec, name, valid)
		if err != nil {
			return fail("field %q: %v", name, err)
		}
		if ok {
			parts = append(parts, text)
		}
	}
	if len(parts) == 0 {
		return fail("no field %s", quoteAll(opt.TextFields))
	}
	d.Text = joinText(parts)
	title, hasTitle, err := stringField(rec, opt.TitleField, valid)
	if hasTitle = hasTitle && err == nil; hasTitle {
		d.Title = title
	}
	if !valid {
		// The sequences replaced in the fields read, as in every format:
		// the text, the title if it is one, the id.
		names := append([]string{opt.IDField}, opt.TextFields...)
		if hasTitle {
			names = append(names, opt.TitleField)
		}
		for i, name := range names {
			if v, ok := lookup(rec, name); ok && !slices.Contains(names[:i], name) {
				d.Invalid += writeValid(nil, v)
			}
		}
	}
	for _, name := range opt.TimeFields {
		if v, ok := lookup(rec, name); ok && string(v) != "null" {
			if s, quoted := unquote(v, valid); quoted {
				if strings.TrimSpace(s) == "" {
					continue
				}
				d.setTime(s)
			} else {
				d.setTime(string(v)) // a number, or a value that is not a time
			}
			break
		}
	}
	id, ok, err := idField(rec, opt.IDField, valid)
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
func lookup(rec object, path string) ([]byte, bool) {
	if v, ok := rec.get(path); ok {
		return v, true
	}
	head, rest, dotted := strings.Cut(path, ".")
	if !dotted {
		return nil, false
	}
	v, ok := rec.get(head)
	if !ok {
		return nil, false
	}
	inner, err := parseObject(nil, v)
	if err != nil {
		return nil, false
	}
	return lookup(inner, rest)
}

// stringField returns the string value of field name; ok is false when the
// field is absent or null. valid says the record is valid UTF-8.
func stringField(rec object, name string, valid bool) (s string, ok bool, err error) {
	v, found := lookup(rec, name)
	if !found || string(v) == "null" {
		return "", false, nil
	}
	s, ok = unquote(v, valid)
	if !ok {
		return "", false, errors.New("not a string")
	}
	return s, true, nil
}

// unquote returns the value of v, a JSON string literal with its quotes,
// already validated as part of its record (by scanObject or
// encoding/json), as json.Unmarshal would: escapes decoded, unpaired
// surrogates replaced by U+FFFD; invalid UTF-8 is replaced as in every
// format (see writeValid), where json.Unmarshal replaces each byte. It does not validate v again:
// a text without escapes or invalid bytes is copied as it is. ok is false
// if v is not quoted or holds an escape JSON does not have; a raw quote or
// control character inside is not caught, which validation has ruled out.
// valid says v is known to be valid UTF-8, as its record was checked.
func unquote(v []byte, valid bool) (s string, ok bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	return decodeString(v[1:len(v)-1], valid)
}

// decodeString is unquote of a literal's text between its quotes.
func decodeString(v []byte, valid bool) (s string, ok bool) {
	// The run up to the next escape is copied whole when it is valid.
	i := bytes.IndexByte(v, '\\')
	if i < 0 && (valid || validUTF8(v)) {
		return string(v), true
	}
	var b strings.Builder // one allocation, which String does not copy
	b.Grow(len(v))
	for {
		if i < 0 {
			writeRun(&b, v, valid)
			return b.String(), true
		}
		writeRun(&b, v[:i], valid)
		v = v[i:]
		if len(v) < 2 {
			return "", false
		}
		switch e := v[1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(v[2:])
			if !ok {
				return "", false
			}
			v = v[6:]
			if utf16.IsSurrogate(r) {
				// A pair takes the next escape too; an unpaired half
				// becomes U+FFFD and the next escape stands alone.
				r2, ok := rune(0), false
				if len(v) > 1 && v[0] == '\\' && v[1] == 'u' {
					r2, ok = hex4(v[2:])
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					v = v[6:]
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
			i = bytes.IndexByte(v, '\\')
			continue
		default:
			return "", false
		}
		v = v[2:]
		i = bytes.IndexByte(v, '\\')
	}
}

// writeRun writes a run of a JSON string's bytes to b, invalid UTF-8
// replaced as writeValid does. valid says run is known to be valid.
func writeRun(b *strings.Builder, run []byte, valid bool) {
	if valid || validUTF8(run) {
		b.Write(run)
		return
	}
	writeValid(b, run)
}

// hex4 decodes the four hexadecimal digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// idField is like stringField but also takes an integer id, as many
// datasets number their records.
func idField(rec object, name string, valid bool) (string, bool, error) {
	s, ok, err := stringField(rec, name, valid)
	if err == nil {
		return s, ok, nil
	}
	v, _ := lookup(rec, name)
	var n json.Number
	if json.Unmarshal(v, &n) == nil && !strings.ContainsAny(n.String(), ".eE") {
		// An integer of any size, as written: ids of 20 digits exist.
		return n.String(), true, nil
	}
	return "", false, errors.New("not a string or an integer")
}
