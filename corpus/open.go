package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// FormatOf returns the format a file name says, ignoring a .gz or .zst
// suffix, and whether it is compressed. An unknown extension gives "".
func FormatOf(name string) (format, compression string) {
	switch ext := filepath.Ext(name); ext {
	case ".gz", ".zst":
		compression = ext[1:]
		name = strings.TrimSuffix(name, ext)
	}
	switch filepath.Ext(name) {
	case ".txt":
		format = Text
	case ".jsonl", ".ndjson":
		format = JSONL
	case ".csv":
		format = CSV
	case ".tsv", ".tab":
		format = TSV
	case ".parquet":
		format = Parquet
	}
	return format, compression
}

// expand lists the files of one input path.
func expand(path, glob string) ([]fileInput, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []fileInput{{path: path, id: path}}, nil
	}
	if _, err := filepath.Match(glob, ""); err != nil {
		return nil, fmt.Errorf("glob pattern %q: %w", glob, err)
	}
	w := walker{root: path, glob: glob}
	err = w.tree(path, nil)
	files, others := w.files, w.others
	if err == nil && len(files) == 0 && others > 0 {
		// Most likely a glob that does not say what the directory holds
		// (*.txt over .jsonl files): not an empty input.
		return nil, fmt.Errorf("none of its %d files matches the glob %q", others, glob)
	}
	slices.SortFunc(files, func(a, b fileInput) int { return strings.Compare(a.path, b.path) })
	return files, err
}

// maxLinks is how many symbolic links to directories one path of a walk
// may pass through, as many as Linux follows in one path name.
const maxLinks = 40

// A walker lists the files under an input directory, root, whose names
// match glob, and counts in others those that do not.
type walker struct {
	root, glob string
	files      []fileInput
	others     int
}

// tree adds the files under dir, a directory of the root (itself, or
// reached through links). A symbolic link to a directory is followed,
// as the user who linked it into the tree meant, unless it leads back to a
// directory the walk is inside of: that loop, as any part of the tree that
// cannot be listed, is reported at its place in the order and the walk
// goes on with the rest. linkDirs are the real directories that hold the
// links followed to reach dir: the walk is inside of them and of their
// ancestors.
func (w *walker) tree(dir string, linkDirs []string) error {
	// The trailing separator makes WalkDir read the directory a link
	// names, not the link itself.
	start := dir + string(filepath.Separator)
	return filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start && dir == w.root {
				return err
			}
			w.files = append(w.files, fileInput{path: p, err: err})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				return w.link(p, linkDirs)
			}
		}
		if ok, _ := filepath.Match(w.glob, d.Name()); !ok {
			if !strings.HasPrefix(d.Name(), ".") { // hidden files (.keep) do not count
				w.others++
			}
			return nil
		}
		rel, err := filepath.Rel(w.root, p)
		if err != nil {
			return err
		}
		w.files = append(w.files, fileInput{path: p, id: filepath.ToSlash(rel), fromDir: true})
		return nil
	})
}

// link walks the directory the link p names, or reports why not.
func (w *walker) link(p string, linkDirs []string) error {
	target, err := filepath.EvalSymlinks(p)
	if err == nil {
		var holder string
		if holder, err = filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
			linkDirs = append(slices.Clip(linkDirs), holder)
		}
	}
	switch {
	case err != nil:
	case len(linkDirs) > maxLinks:
		err = fmt.Errorf("more than %d symbolic links to directories in one path", maxLinks)
	default:
		for _, d := range linkDirs {
			if within(d, target) {
				err = fmt.Errorf("a symbolic link to %s, which holds it: a loop, not followed", target)
				break
			}
		}
	}
	if err != nil {
		w.files = append(w.files, fileInput{path: p, err: err})
		return nil
	}
	return w.tree(p, linkDirs)
}

// within reports whether the directory d is dir or lies under it.
func within(d, dir string) bool {
	rel, err := filepath.Rel(dir, d)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// open opens one file for reading its records.
func open(f fileInput, opt *Options) (records, error) {
	if f.err != nil {
		return nil, f.err
	}
	format, compression := FormatOf(f.path)
	if opt.Format != "" {
		format = opt.Format
	}
	if format == "" && f.fromDir {
		format = Text
	}
	if format == "" {
		return nil, ErrUnknownFormat
	}
	if format == Parquet {
		if compression != "" {
			return nil, fmt.Errorf("a Parquet file compresses its own pages: decompress the .%s first", compression)
		}
		return openParquet(f.path, opt)
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, err
	}
	if format == Text {
		r, err := decompress(fh)
		if err != nil {
			fh.Close()
			return nil, err
		}
		defer r.Close()
		return readText(f, r, opt)
	}
	return openStream(f.path, fh, format, opt)
}

// openStream reads a stream of JSONL, CSV or TSV records, decompressing it
// when it starts with a gzip or zstd magic number.
func openStream(name string, rc io.ReadCloser, format string, opt *Options) (records, error) {
	if format == "" {
		format = JSONL
	}
	r, err := decompress(rc)
	if err != nil {
		rc.Close()
		return nil, err
	}
	switch format {
	case JSONL:
		return newJSONL(name, r, opt), nil
	case CSV, TSV:
		return newCSV(name, r, format, opt)
	case Parquet:
		r.Close()
		return nil, fmt.Errorf("a Parquet file cannot be read from a stream: give its path")
	case Text:
		defer r.Close()
		return readText(fileInput{path: name, id: name}, r, opt)
	}
	r.Close()
	return nil, fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// decompress returns r, decompressed if it starts with a gzip or zstd
// magic number. Closing the result closes r.
func decompress(rc io.ReadCloser) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(rc, 1<<16)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return readCloser{zr, func() error { zr.Close(); return rc.Close() }}, nil
	case bytes.HasPrefix(magic, zstdMagic):
		zr, err := zstd.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return readCloser{zr, func() error { zr.Close(); return rc.Close() }}, nil
	}
	return readCloser{br, rc.Close}, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// textFile is a text file read whole: one document.
type textFile struct {
	d    Document
	done bool
}

func (t *textFile) next() (Document, error) {
	if t.done {
		return Document{}, io.EOF
	}
	t.done = true
	return t.d, nil
}

func (t *textFile) close() error { return nil }

func readText(f fileInput, r io.Reader, opt *Options) (records, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return nil, errors.New("binary file (it holds NUL bytes), not text")
	}
	text, bad := validText(bytes.TrimPrefix(raw, []byte("\ufeff"))) // a byte-order mark
	id, badID := validText([]byte(f.id))                            // the file's name is its id
	d := Document{ID: id, Text: text, File: f.path, Line: 1, Format: Text, Raw: raw, Invalid: bad + badID}
	if opt.NoRaw {
		d.Raw = nil
	}
	return &textFile{d: d}, nil
}
