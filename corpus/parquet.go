package corpus

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// parquetFile reads the rows of a Parquet file, a batch at a time. The id,
// text and title are leaf columns, named by their dotted paths.
type parquetFile struct {
	name   string
	fh     *os.File
	r      *parquet.GenericReader[any]
	rows   []parquet.Row
	n, i   int
	row    int // rows returned
	id     int // leaf column of the id, or -1
	title  int
	text   []int
	schema *parquet.Schema
}

func openParquet(name string, opt *Options) (*parquetFile, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	pf, err := parquet.OpenFile(fh, st.Size())
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("parquet: %w", err)
	}
	f := &parquetFile{name: name, fh: fh, r: parquet.NewGenericReader[any](pf), rows: make([]parquet.Row, 64), schema: pf.Schema()}
	col := func(path string) int {
		if leaf, ok := pf.Schema().Lookup(strings.Split(path, ".")...); ok {
			return leaf.ColumnIndex
		}
		return -1
	}
	if f.id, f.title, f.text, err = columns(col, opt); err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *parquetFile) close() error {
	f.r.Close()
	return f.fh.Close()
}

func (f *parquetFile) next() (Document, error) {
	if f.i == f.n {
		n, err := f.r.ReadRows(f.rows)
		if n == 0 {
			if err == nil || errors.Is(err, io.EOF) {
				return Document{}, io.EOF
			}
			return Document{}, fmt.Errorf("read %s: row %d: %w", f.name, f.row+1, err)
		}
		f.n, f.i = n, 0
	}
	row := f.rows[f.i].Clone()
	f.i++
	f.row++
	d := Document{File: f.name, Line: f.row, Format: Parquet, Row: row, Schema: f.schema}
	value := func(c int) (string, bool) {
		for _, v := range row {
			if v.Column() == c && !v.IsNull() {
				switch v.Kind() {
				case parquet.ByteArray, parquet.FixedLenByteArray:
					return string(v.ByteArray()), true
				case parquet.Int32, parquet.Int64:
					return strconv.FormatInt(v.Int64(), 10), true
				}
				return v.String(), true
			}
		}
		return "", false
	}
	var parts []string
	for _, c := range f.text {
		if s, ok := value(c); ok {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return d, &Error{File: f.name, Line: f.row, Err: errors.New("no text: the text columns are null")}
	}
	bad := 0
	d.Text, bad = validText([]byte(joinText(parts)))
	d.Invalid += bad
	if s, ok := value(f.title); ok {
		d.Title, _ = validText([]byte(s))
	}
	if s, ok := value(f.id); ok && s != "" {
		d.ID, bad = validText([]byte(s))
		d.Invalid += bad
	} else {
		d.ID, d.GeneratedID = d.Place(), true
	}
	return d, nil
}
