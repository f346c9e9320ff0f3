package corpus

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// A Writer writes documents back as the records they were read from, in
// the format they were read in, optionally with extra fields: the inverse
// of a Reader. JSON Lines records are written byte for byte (extra fields go
// before the closing brace, after any member of the same name, which JSON
// parsers then read in its place); CSV and TSV records field for field
// under the header of the first record (extra columns at the end, or in
// the header's column of that name); Parquet rows value
// for value under the schema of the first record (extra string columns
// added). Documents of text files become JSON Lines records with fields id
// and text. All documents written must share one format, and for CSV, TSV
// and Parquet one header or schema.
//
// Extra values are strings or booleans: JSON gets them typed; CSV, TSV and
// Parquet (string columns) get their text.
type Writer struct {
	w       io.Writer
	extra   []string // names of the extra fields
	format  string
	header  []string
	csv     *csv.Writer
	schema  *parquet.Schema // of the input
	pq      *parquet.GenericWriter[any]
	remap   []int // input column -> output column, for Parquet with extras
	columns []int // the CSV or TSV column of each extra field
	buf     bytes.Buffer
}

// NewWriter returns a Writer to w adding fields named extra to every record.
func NewWriter(w io.Writer, extra ...string) *Writer {
	return &Writer{w: w, extra: extra}
}

// Begin starts the output from d's format, header or schema without
// writing d, so that an output that receives no record still has its header
// (or is a valid, empty Parquet file). Write calls it; calling it for every
// document read is cheap.
func (w *Writer) Begin(d *Document) error {
	if w.format != "" {
		return nil
	}
	return w.start(d, outFormat(d))
}

// Write writes d's record with the values of the extra fields: strings, or
// booleans (JSON true and false).
func (w *Writer) Write(d *Document, extra ...any) error {
	if len(extra) != len(w.extra) {
		return fmt.Errorf("write %s: %d extra values for %d fields", d.Place(), len(extra), len(w.extra))
	}
	if err := w.Check(d); err != nil {
		return err
	}
	switch w.format {
	case JSONL:
		return w.writeJSON(d, extra)
	case CSV, TSV:
		rec := slices.Clone(d.Fields)
		for i, e := range extra {
			if c := w.columns[i]; c < len(rec) {
				rec[c] = fmt.Sprint(e) // the header's own column of that name
			} else {
				rec = append(rec, fmt.Sprint(e))
			}
		}
		if len(rec) == 1 && rec[0] == "" {
			// encoding/csv writes a lone empty field as an empty line,
			// which readers skip: quote it.
			w.csv.Flush()
			_, err := io.WriteString(w.w, "\"\"\n")
			return err
		}
		return w.csv.Write(rec)
	case Parquet:
		return w.writeParquet(d, extra)
	}
	return fmt.Errorf("write %s: unknown format %q", d.Place(), d.Format)
}

// Check returns the error Write would return because d cannot join the
// records before it (another format, header or schema), without writing
// d; on the first document it calls Begin. A command that writes its
// input back checks every document as it first reads them, so that a
// mismatch stops it before any output.
func (w *Writer) Check(d *Document) error {
	if err := w.Begin(d); err != nil {
		return err
	}
	format := outFormat(d)
	switch {
	case format != w.format:
		return fmt.Errorf("%s: a %s record among %s records: write one format at a time", d.Place(), d.Format, w.format)
	case (format == CSV || format == TSV) && !slices.Equal(d.Header, w.header):
		return fmt.Errorf("%s: its header differs from the first file's", d.Place())
	case format == Parquet && d.Schema != w.schema && !parquet.SameNodes(d.Schema, w.schema):
		return fmt.Errorf("%s: its schema differs from the first file's", d.Place())
	}
	return nil
}

// outFormat is the format d is written in: its own, but JSON Lines for a
// text file's document.
func outFormat(d *Document) string {
	if d.Format == Text {
		return JSONL
	}
	return d.Format
}

func (w *Writer) start(d *Document, format string) error {
	w.format = format
	switch format {
	case CSV, TSV:
		w.header = d.Header
		w.csv = csv.NewWriter(w.w)
		if format == TSV {
			w.csv.Comma = '\t'
		}
		// An extra field the header already has (a file annotated before)
		// takes that column; the others are added at the end.
		header := slices.Clone(d.Header)
		for _, e := range w.extra {
			c := slices.Index(header, e)
			if c < 0 {
				c = len(header)
				header = append(header, e)
			}
			w.columns = append(w.columns, c)
		}
		return w.csv.Write(header)
	case Parquet:
		w.schema = d.Schema
		schema := d.Schema
		if len(w.extra) > 0 {
			g := orderedGroup{Group: parquet.Group{}}
			for _, f := range d.Schema.Fields() {
				g.Group[f.Name()] = f
				g.fields = append(g.fields, f)
			}
			for _, e := range w.extra {
				if _, dup := g.Group[e]; dup {
					return fmt.Errorf("write %s: the schema already has a column %q", d.Place(), e)
				}
				g.Group[e] = parquet.String()
				g.fields = append(g.fields, namedField{parquet.String(), e})
			}
			schema = parquet.NewSchema(d.Schema.Name(), g)
			// Leaf columns keep their paths but not their numbers.
			for _, path := range d.Schema.Columns() {
				in, _ := d.Schema.Lookup(path...)
				out, _ := schema.Lookup(path...)
				for len(w.remap) <= in.ColumnIndex {
					w.remap = append(w.remap, 0)
				}
				w.remap[in.ColumnIndex] = out.ColumnIndex
			}
		}
		w.pq = parquet.NewGenericWriter[any](w.w, schema)
	}
	return nil
}

func (w *Writer) writeJSON(d *Document, extra []any) error {
	w.buf.Reset()
	if d.Format == Text {
		obj, _ := json.Marshal(struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}{d.ID, d.Text})
		w.buf.Write(obj)
	} else {
		w.buf.Write(bytes.TrimSpace(d.Raw))
	}
	if len(w.extra) > 0 {
		b := w.buf.Bytes()
		if len(b) < 2 || b[len(b)-1] != '}' {
			return fmt.Errorf("write %s: not a JSON object", d.Place())
		}
		w.buf.Truncate(len(b) - 1)
		sep := ","
		if bytes.Equal(bytes.TrimSpace(b[:len(b)-1]), []byte("{")) {
			sep = ""
		}
		for i, name := range w.extra {
			k, _ := json.Marshal(name)
			v, err := json.Marshal(extra[i])
			if err != nil {
				return fmt.Errorf("write %s: %w", d.Place(), err)
			}
			fmt.Fprintf(&w.buf, "%s%s:%s", sep, k, v)
			sep = ","
		}
		w.buf.WriteByte('}')
	}
	w.buf.WriteByte('\n')
	_, err := w.w.Write(w.buf.Bytes())
	return err
}

func (w *Writer) writeParquet(d *Document, extra []any) error {
	row := d.Row
	if len(w.extra) > 0 {
		row = make(parquet.Row, 0, len(d.Row)+len(extra))
		for _, v := range d.Row {
			row = append(row, v.Level(v.RepetitionLevel(), v.DefinitionLevel(), w.remap[v.Column()]))
		}
		for i, name := range w.extra {
			leaf, _ := w.pq.Schema().Lookup(name)
			row = append(row, parquet.ValueOf(fmt.Sprint(extra[i])).Level(0, 0, leaf.ColumnIndex))
		}
		slices.SortStableFunc(row, func(a, b parquet.Value) int { return cmp.Compare(a.Column(), b.Column()) })
	}
	_, err := w.pq.WriteRows([]parquet.Row{row})
	return err
}

// Close flushes what is buffered; the underlying writer stays open.
func (w *Writer) Close() error {
	switch {
	case w.csv != nil:
		w.csv.Flush()
		return w.csv.Error()
	case w.pq != nil:
		return w.pq.Close()
	}
	return nil
}

// orderedGroup is a parquet.Group whose fields keep the order they were
// added in, where a Group sorts them by name: the columns of an input keep
// their order, and the ones added follow.
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

// Fields returns the group's fields in order.
func (g orderedGroup) Fields() []parquet.Field { return g.fields }

// namedField is a node with its name, as a parquet.Field.
type namedField struct {
	parquet.Node
	name string
}

func (f namedField) Name() string { return f.name }

// Value returns the field of a map value, as a Group's fields do.
func (f namedField) Value(base reflect.Value) reflect.Value {
	return base.MapIndex(reflect.ValueOf(f.name))
}
