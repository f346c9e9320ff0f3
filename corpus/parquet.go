package corpus

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// parquetFile reads the rows of a Parquet file, a batch at a time. The id,
// text and title are leaf columns, named by their dotted paths.
type parquetFile struct {
	name  string
	fh    *os.File
	r     parquet.RowReadCloser
	rows  []parquet.Row
	n, i  int
	row   int // rows returned
	id    int // leaf column of the id, or -1
	title int
	text  []int
	times []int // leaf columns that may hold the time
	// timeTypes are the logical types of the time columns (nil for none).
	timeTypes []*format.LogicalType
	schema    *parquet.Schema
	failed    bool  // a read failed: the file ends there
	broken    error // a read's error, once the rows it returned are taken
}

// parquet-go panics on some corrupt files; a panic there becomes an error
// about the file.
func recovered(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("corrupt Parquet file: %v", r)
	}
}

func openParquet(name string, opt *Options) (f *parquetFile, err error) {
	defer recovered(&err)
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
	f = &parquetFile{name: name, fh: fh, r: parquet.NewGenericReader[any](pf), rows: make([]parquet.Row, 64), schema: pf.Schema()}
	col := func(path string) int {
		if leaf, ok := pf.Schema().Lookup(strings.Split(path, ".")...); ok {
			return leaf.ColumnIndex
		}
		return -1
	}
	if f.id, f.title, f.text, f.times, err = columns(col, opt); err != nil {
		f.close()
		return nil, err
	}
	for _, name := range opt.TimeFields { // in the order of f.times
		if leaf, ok := pf.Schema().Lookup(strings.Split(name, ".")...); ok {
			f.timeTypes = append(f.timeTypes, leaf.Node.Type().LogicalType())
		}
	}
	return f, nil
}

func (f *parquetFile) close() error {
	f.r.Close()
	return f.fh.Close()
}

func (f *parquetFile) next() (d Document, err error) {
	if f.i == f.n {
		if f.failed {
			return Document{}, io.EOF
		}
		err := f.broken
		n := 0
		if err == nil {
			n, err = f.readRows()
		}
		if n == 0 {
			if err == nil || errors.Is(err, io.EOF) {
				return Document{}, io.EOF
			}
			// The rest of the file cannot be read: say where, and stop here.
			f.failed = true
			return Document{}, &Error{File: f.name, Line: f.row + 1, Err: err}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			f.broken = err // after the rows read before it
		}
		f.n, f.i = n, 0
	}
	row := f.rows[f.i].Clone()
	f.i++
	f.row++
	d = Document{File: f.name, Line: f.row, Format: Parquet, Row: row, Schema: f.schema}
	cell := func(c int) (parquet.Value, bool) {
		for _, v := range row {
			if v.Column() == c && !v.IsNull() {
				return v, true
			}
		}
		return parquet.Value{}, false
	}
	value := func(c int) (string, bool) {
		v, ok := cell(c)
		if !ok {
			return "", false
		}
		switch v.Kind() {
		case parquet.ByteArray, parquet.FixedLenByteArray:
			return string(v.ByteArray()), true
		case parquet.Int32, parquet.Int64:
			return strconv.FormatInt(v.Int64(), 10), true
		}
		return v.String(), true
	}
	// An id is a string or an integer, as in JSON Lines: a float or a
	// boolean would not name one record.
	if v, ok := cell(f.id); ok {
		switch k := v.Kind(); k {
		case parquet.ByteArray, parquet.FixedLenByteArray, parquet.Int32, parquet.Int64:
		default:
			return d, &Error{File: f.name, Line: f.row, Err: fmt.Errorf("id %s is a %v, not a string or an integer", v.String(), k)}
		}
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
		d.Title, bad = validText([]byte(s))
		d.Invalid += bad
	}
	for k, c := range f.times {
		if v, ok := cell(c); ok {
			if t, typed := typedTime(v, f.timeTypes[k]); typed {
				if plausible(t) {
					d.Time = t
				} else {
					d.BadTime = t.String()
				}
				break
			}
			if s, _ := value(c); strings.TrimSpace(s) != "" {
				d.setTime(s)
				break
			}
		}
	}
	if s, ok := value(f.id); ok && s != "" {
		d.ID, bad = validText([]byte(s))
		d.Invalid += bad
	} else {
		d.ID, d.GeneratedID = d.Place(), true
	}
	return d, nil
}

// readRows reads the next batch of rows; a corrupt file that makes
// parquet-go panic ends the file with an error.
func (f *parquetFile) readRows() (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("corrupt Parquet file: %v", r)
		}
	}()
	return f.r.ReadRows(f.rows)
}

// typedTime returns the time a Parquet value holds by its type: a DATE
// (days since 1970), a TIMESTAMP of its unit, or an INT96 timestamp (the
// nanoseconds of a Julian day, as Hive and Spark wrote them). typed is
// false for a value of any other type, which is read as text or a number.
func typedTime(v parquet.Value, lt *format.LogicalType) (t time.Time, typed bool) {
	var logical format.LogicalTypeValue
	if lt != nil {
		logical = lt.Value
	}
	switch l := logical.(type) {
	case *format.DateType:
		if v.Kind() == parquet.Int32 {
			return time.Unix(int64(v.Int32())*86400, 0).UTC(), true
		}
	case *format.TimestampType:
		if v.Kind() == parquet.Int64 && l.Unit.Value != nil {
			unit := int64(l.Unit.Value.Duration())
			n := v.Int64()
			return time.Unix(n/(1e9/unit), n%(1e9/unit)*unit).UTC(), true
		}
	}
	if v.Kind() == parquet.Int96 {
		i := v.Int96()
		const unixJulianDay = 2440588
		nanos := int64(i[1])<<32 | int64(i[0])
		return time.Unix((int64(i[2])-unixJulianDay)*86400, nanos).UTC(), true
	}
	return time.Time{}, false
}
