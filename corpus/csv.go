package corpus

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvFile reads CSV or TSV records under a header row, with RFC 4180
// quoting: a quoted field may hold the delimiter, quotes and line breaks.
type csvFile struct {
	name   string
	rc     io.ReadCloser
	cr     *csv.Reader
	comma  rune
	format string
	header []string
	id     int   // column of the id, or -1
	title  int   // column of the title, or -1
	text   []int // columns of the text
	times  []int // columns that may hold the time
	buf    bytes.Buffer
	noRaw  bool // Options.NoRaw
	line   int  // the last line of the last record read (or of the header)
}

func newCSV(name string, rc io.ReadCloser, format string, opt *Options) (*csvFile, error) {
	f := &csvFile{name: name, rc: rc, format: format, comma: ',', noRaw: opt.NoRaw}
	if format == TSV {
		f.comma = '\t'
	}
	f.cr = csv.NewReader(rc)
	f.cr.Comma = f.comma
	header, err := f.cr.Read()
	if err != nil {
		rc.Close()
		if err == io.EOF {
			return nil, errors.New("empty: no header row")
		}
		return nil, fmt.Errorf("header: %w", err)
	}
	f.line = f.lastLine(header)
	if err := noNUL(header); err != nil {
		rc.Close()
		return nil, fmt.Errorf("header: %w", err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte-order mark from Excel
	f.header = header
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		return -1
	}
	if f.id, f.title, f.text, f.times, err = columns(col, opt); err != nil {
		rc.Close()
		return nil, fmt.Errorf("%w in the header", err)
	}
	return f, nil
}

func (f *csvFile) close() error { return f.rc.Close() }

// errNUL is the error of a record that holds a NUL byte. Text does not; a
// file that does is binary, or in UTF-16 (a spreadsheet's "Unicode text"),
// not in UTF-8.
var errNUL = errors.New("a NUL byte: not UTF-8 text (a binary file, or UTF-16?)")

func noNUL(rec []string) error {
	for _, field := range rec {
		if strings.IndexByte(field, 0) >= 0 {
			return errNUL
		}
	}
	return nil
}

// lastLine returns the line where rec, just read, ends: a quoted field
// may hold line breaks.
func (f *csvFile) lastLine(rec []string) int {
	last := len(rec) - 1
	line, _ := f.cr.FieldPos(last)
	return line + strings.Count(rec[last], "\n")
}

func (f *csvFile) next() (Document, error) {
	rec, err := f.cr.Read()
	if err == io.EOF {
		return Document{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if pe.Err == csv.ErrFieldCount {
				return Document{}, &Error{File: f.name, Line: pe.StartLine, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(f.header))}
			}
			if pe.Line > pe.StartLine {
				// A quote left open swallows the lines up to the next quote.
				return Document{}, &Error{File: f.name, Line: pe.StartLine, Err: fmt.Errorf("%w: lines %d to %d form one bad record", pe.Err, pe.StartLine, pe.Line)}
			}
			return Document{}, &Error{File: f.name, Line: pe.StartLine, Err: pe.Err}
		}
		return Document{}, brokenOff(f.name, f.line+1, err)
	}
	line, _ := f.cr.FieldPos(0) // valid only after a successful Read
	f.line = f.lastLine(rec)
	if err := noNUL(rec); err != nil {
		return Document{}, &Error{File: f.name, Line: line, Err: err}
	}
	d := Document{File: f.name, Line: line, Format: f.format, Header: f.header, Fields: rec}
	if !f.noRaw {
		f.buf.Reset()
		w := csv.NewWriter(&f.buf)
		w.Comma = f.comma
		w.Write(rec)
		w.Flush()
		d.Raw = bytes.Clone(bytes.TrimSuffix(f.buf.Bytes(), []byte("\n")))
	}
	var parts []string
	for _, c := range f.text {
		parts = append(parts, rec[c])
	}
	bad := 0
	d.Text, bad = validText([]byte(joinText(parts)))
	d.Invalid += bad
	if f.title >= 0 {
		d.Title, bad = validText([]byte(rec[f.title]))
		d.Invalid += bad
	}
	for _, c := range f.times {
		if strings.TrimSpace(rec[c]) != "" {
			d.setTime(rec[c])
			break
		}
	}
	if f.id >= 0 && rec[f.id] != "" {
		d.ID, bad = validText([]byte(rec[f.id]))
		d.Invalid += bad
	} else {
		d.ID, d.GeneratedID = d.Place(), true
	}
	return d, nil
}
