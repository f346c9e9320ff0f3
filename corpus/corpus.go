// Package corpus reads documents from the formats corpora ship in: text
// files and directories of them, JSON Lines, CSV, TSV and Parquet, plain or
// compressed with gzip or zstd, one document at a time.
//
// A [Reader] streams: it holds one record at a time (a row group at a time
// for Parquet), whatever the size of the corpus. Every document carries the
// place it came from (file and line, or row for Parquet), so that any later
// message can point at it, and its raw record, so that a pipeline can write
// the input back unchanged.
package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// Formats.
const (
	Text    = "txt"     // one document per file
	JSONL   = "jsonl"   // one JSON object per line
	CSV     = "csv"     // RFC 4180, header row
	TSV     = "tsv"     // tab-separated, header row, RFC 4180 quoting
	Parquet = "parquet" // Parquet, string (or integer id) columns
)

// Formats lists the formats by name.
var Formats = []string{Text, JSONL, CSV, TSV, Parquet}

// A Document is one input text.
type Document struct {
	ID    string // from the id field, the file path, or generated as "file:line"
	Text  string // the text fields joined by a blank line, valid UTF-8
	Title string // the title field, if any
	// Time is the publication time read from the first time field present
	// (Options.TimeFields); zero if none is present or its value is not a
	// time, which BadTime then holds, for messages.
	Time    time.Time
	BadTime string
	File    string // the file it came from ("-" for standard input)
	Line    int    // its line in File (its row, from 1, in a Parquet file)
	Format  string // the format of its file
	// Raw is the record as read: the JSONL line, the CSV or TSV record
	// (encoded again, fields unchanged, no line end), or a text file's bytes.
	Raw []byte
	// Header is the header row of a CSV or TSV file, shared by its
	// records; Fields the record's fields.
	Header, Fields []string
	// Row is the record of a Parquet file, Schema the file's schema.
	Row    parquet.Row
	Schema *parquet.Schema
	// Invalid counts the invalid UTF-8 sequences replaced by U+FFFD.
	Invalid int
	// GeneratedID is true when the record had no id and ID is "file:line".
	GeneratedID bool
}

// Place returns "file:line", for messages and reports. A file name that is
// not valid UTF-8 has its invalid sequences replaced by U+FFFD, as the
// fields read have, so that a report holds valid UTF-8 in every format.
func (d *Document) Place() string {
	return strings.ToValidUTF8(d.File, "\uFFFD") + ":" + strconv.Itoa(d.Line)
}

// Options says how records are read.
type Options struct {
	// IDField names the field or column of the id (default "id"). In JSON
	// a dotted path reaches into nested objects: "meta.id".
	IDField string
	// TextFields name the fields joined, by a blank line, into the text
	// (default "text"). A record must have at least one of them.
	TextFields []string
	// TitleField names a field shown as the title (default "title").
	TitleField string
	// TimeFields name the fields or columns that may hold the publication
	// time, in the forms ParseTime reads: the first present in a record is
	// read. None by default.
	TimeFields []string
	// Format forces the format of every input; "" chooses by extension,
	// and JSONL for standard input.
	Format string
	// Glob chooses the files of a directory by name (default "*.txt").
	Glob  string
	Stdin io.Reader // what "-" reads: the command's standard input (none if nil)
	// NoRaw leaves Document.Raw nil, for a caller that needs the fields
	// read but not the record: the reader then copies no record, and reads
	// the lines of JSON Lines into one buffer it reuses.
	NoRaw bool
}

// An Error is a problem with one record or file; the reader can go on past it.
type Error struct {
	File string // the input's path, or "-" for standard input
	Line int    // 0 when the problem is with the whole file
	Err  error  // what is wrong
}

// Error returns "read file:line: problem", or "read file: problem".
func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("read %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("read %s:%d: %v", e.File, e.Line, e.Err)
}

// Unwrap returns e.Err, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Place returns "file:line", or the file when the problem is the whole file.
func (e *Error) Place() string {
	if e.Line == 0 {
		return e.File
	}
	return e.File + ":" + strconv.Itoa(e.Line)
}

// records reads the documents of one file.
type records interface {
	next() (Document, error) // io.EOF after the last
	close() error
}

// A Reader returns the documents of a list of inputs in order: each path in
// the order given; the matching files of a directory, recursively, in
// lexical order of their paths.
type Reader struct {
	opt    Options
	inputs []string
	files  []fileInput // pending files of the current input
	cur    records
	stdin  bool                 // "-" was read
	input  int                  // which of the inputs is being read, from 1
	opened map[[2]uint64]opened // the files read, by fileID
}

// opened is a file read: by which path, of which input.
type opened struct {
	path  string
	input int
}

type fileInput struct {
	path    string // as opened
	id      string // document id for a text file
	fromDir bool   // found in a directory: text unless its extension says otherwise
	err     error  // the walk could not reach it
}

// NewReader returns a Reader over the given paths: files, directories, or
// "-" for standard input.
func NewReader(paths []string, opt Options) *Reader {
	if opt.IDField == "" {
		opt.IDField = "id"
	}
	if len(opt.TextFields) == 0 {
		opt.TextFields = []string{"text"}
	}
	if opt.TitleField == "" {
		opt.TitleField = "title"
	}
	if opt.Glob == "" {
		opt.Glob = "*.txt"
	}
	return &Reader{opt: opt, inputs: slices.Clone(paths)}
}

// Next returns the next document, or io.EOF after the last one. An error of
// type *Error concerns one record or file and reading can go on with the
// next call; any other error is final.
func (r *Reader) Next() (Document, error) {
	for {
		if r.cur != nil {
			d, err := r.cur.next()
			if errors.Is(err, errBrokenOff) {
				// Nothing after the break can be read: the file ends here.
				r.cur.close()
				r.cur = nil
				return Document{}, err
			}
			if err == io.EOF {
				cerr := r.cur.close()
				r.cur = nil
				if cerr != nil {
					return Document{}, cerr
				}
				continue
			}
			return d, err
		}
		if len(r.files) > 0 {
			f := r.files[0]
			r.files = r.files[1:]
			if first, again := r.again(f.path); again {
				if first != f.path {
					first = " as " + first
				} else {
					first = ""
				}
				return Document{}, fileError(f.path, fmt.Errorf("read already%s, for another input (given twice, or inside a directory given too)", first))
			}
			cur, err := open(f, &r.opt)
			if err != nil {
				return Document{}, fileError(f.path, err)
			}
			r.cur = cur
			continue
		}
		if len(r.inputs) == 0 {
			return Document{}, io.EOF
		}
		in := r.inputs[0]
		r.inputs = r.inputs[1:]
		r.input++
		if in == "-" {
			if r.stdin {
				return Document{}, &Error{File: in, Err: errors.New("standard input is given twice, and can be read once")}
			}
			r.stdin = true
			if r.opt.Stdin == nil {
				return Document{}, &Error{File: in, Err: errors.New("no standard input to read (Options.Stdin is nil)")}
			}
			cur, err := openStream("-", io.NopCloser(r.opt.Stdin), r.opt.Format, &r.opt)
			if err != nil {
				return Document{}, fileError(in, err)
			}
			r.cur = cur
			continue
		}
		files, err := expand(in, r.opt.Glob)
		if err != nil {
			return Document{}, fileError(in, err)
		}
		r.files = files
	}
}

// again reports whether the file path names was read before for another
// input, under this or another path (the input given twice, by a link, or
// inside a directory given too), and by which path: its documents would be
// read twice, a text file's under another id. Inside one directory, files
// and links to them are read as the tree has them, each under its name.
func (r *Reader) again(path string) (first string, again bool) {
	st, err := os.Stat(path)
	if err != nil {
		return "", false // opening it says why
	}
	id, ok := fileID(st)
	if !ok {
		return "", false
	}
	if o, seen := r.opened[id]; seen {
		return o.path, o.input != r.input
	}
	if r.opened == nil {
		r.opened = make(map[[2]uint64]opened)
	}
	r.opened[id] = opened{path, r.input}
	return "", false
}

// Close releases the open file, if any.
func (r *Reader) Close() error {
	if r.cur != nil {
		err := r.cur.close()
		r.cur = nil
		return err
	}
	return nil
}

// fileError is the error of the file name as a whole. An error of the
// operating system on that very file names it once, not twice ("read a:
// open: permission denied", not "read a: open a: permission denied").
func fileError(name string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == name && err == error(pe) {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return &Error{File: name, Err: err}
}

// ErrUnknownFormat is the error of a file whose format neither its name nor
// Options.Format gives.
var ErrUnknownFormat = errors.New("unknown format: name the file by its extension (.txt .jsonl .csv .tsv .parquet, optionally .gz or .zst)")

// errBrokenOff marks an error that ends a file before its end: a
// compressed stream cut short or corrupt, a read that failed.
var errBrokenOff = errors.New("the file breaks off")

// brokenOff returns the error of a file that breaks off at line with err.
func brokenOff(file string, line int, err error) error {
	return &Error{File: file, Line: line, Err: fmt.Errorf("%w: %v", errBrokenOff, err)}
}

// ForEach calls fn for each document of r, in order, until r is exhausted
// or either returns an error.
func ForEach(r interface{ Next() (Document, error) }, fn func(*Document) error) error {
	return ForEachBad(r, nil, fn)
}

// ForEachBad is ForEach, but an error of type *Error, a record or file that
// cannot be read, goes to bad when bad is not nil: reading goes on if bad
// returns nil.
func ForEachBad(r interface{ Next() (Document, error) }, bad func(*Error) error, fn func(*Document) error) error {
	for {
		d, err := r.Next()
		if err == io.EOF {
			return nil
		}
		var e *Error
		if err != nil && bad != nil && errors.As(err, &e) {
			if err := bad(e); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
}

// quoteAll quotes names and joins them with "or": "title" or "text".
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, " or ")
}

// validText returns b as a string with each invalid UTF-8 sequence replaced
// by U+FFFD, and the number of sequences replaced.
func validText(b []byte) (string, int) {
	if validUTF8(b) {
		return string(b), 0
	}
	var sb strings.Builder
	sb.Grow(len(b))
	bad := writeValid(&sb, b)
	return sb.String(), bad
}

// writeValid writes b to sb with each invalid UTF-8 sequence (a run of
// bytes that begin no code point) replaced by one U+FFFD, as
// strings.ToValidUTF8 does, and returns the number replaced. Every format
// replaces so, so that one text read from JSON Lines or CSV normalizes
// alike. A nil sb only counts.
func writeValid(sb *strings.Builder, b []byte) (bad int) {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			bad++
			if sb != nil {
				sb.WriteRune(utf8.RuneError)
			}
			for b = b[1:]; len(b) > 0; b = b[1:] {
				if r, size := utf8.DecodeRune(b); r != utf8.RuneError || size != 1 {
					break
				}
			}
			continue
		}
		if sb != nil {
			sb.Write(b[:size])
		}
		b = b[size:]
	}
	return bad
}

// joinText joins the present text fields with a blank line.
func joinText(parts []string) string {
	var nonEmpty []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	return strings.Join(nonEmpty, "\n\n")
}

// setTime sets d's time from s, the value of a time field, or BadTime if
// s is not a time.
func (d *Document) setTime(s string) {
	if t, ok := ParseTime(s); ok {
		d.Time = t
	} else {
		d.BadTime = s
	}
}

// columns resolves the id, title, text and time fields of opt to columns
// with find, which returns -1 for a name it does not know. It is an error
// when no text field is found.
func columns(find func(name string) int, opt *Options) (id, title int, text, times []int, err error) {
	id, title = find(opt.IDField), find(opt.TitleField)
	for _, t := range opt.TextFields {
		if c := find(t); c >= 0 {
			text = append(text, c)
		}
	}
	for _, t := range opt.TimeFields {
		if c := find(t); c >= 0 {
			times = append(times, c)
		}
	}
	if len(text) == 0 {
		err = fmt.Errorf("no column %s", quoteAll(opt.TextFields))
	}
	return id, title, text, times, err
}
