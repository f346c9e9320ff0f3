package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/tfidf"
	"github.com/spf13/pflag"
)

// normFlags registers the normalization options on fs and returns a
// function that reads them back once fs is parsed.
func normFlags(fs *pflag.FlagSet) func() (arabic.Options, error) {
	d := arabic.DefaultOptions()
	zwnj := fs.String("zwnj", "delete", "zero-width non-joiner U+200C: delete or space")
	persian := fs.Bool("persian", d.Persian, "fold Persian and Urdu letters (ک ی ے ۀ ہ ھ) to Arabic")
	teh := fs.Bool("teh-marbuta", d.TehMarbuta, "fold teh marbuta ة to heh ه")
	hamza := fs.String("hamza", d.Hamza.String(), "hamza on a seat (ؤ ئ): keep, uniform (→ ء) or seat (→ و ي)")
	digits := fs.Bool("digits", d.Digits, "fold every decimal digit to ASCII")
	lower := fs.Bool("lower", d.Lower, "lowercase")
	punct := fs.String("punct", d.Punct.String(), "punctuation: space, delete, keep or fold (to ASCII)")
	return func() (arabic.Options, error) {
		o := arabic.Options{Persian: *persian, TehMarbuta: *teh, Digits: *digits, Lower: *lower}
		switch *zwnj {
		case "delete":
		case "space":
			o.ZWNJSpace = true
		default:
			return o, usageError{fmt.Errorf("--zwnj %q: want delete or space", *zwnj)}
		}
		var ok bool
		if o.Hamza, ok = arabic.ParseHamza(*hamza); !ok {
			return o, usageError{fmt.Errorf("--hamza %q: want keep, uniform or seat", *hamza)}
		}
		if o.Punct, ok = arabic.ParsePunct(*punct); !ok {
			return o, usageError{fmt.Errorf("--punct %q: want space, delete, keep or fold", *punct)}
		}
		return o, nil
	}
}

// loadIDF returns the prior table named by --idf: "" for the built-in one,
// "none" for an empty one, or a file written by 'neardup idf'.
func loadIDF(name string) (*tfidf.Table, error) {
	switch name {
	case "", "builtin":
		return tfidf.Builtin(), nil
	case "none":
		return tfidf.NewTable(), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, usageError{fmt.Errorf("--idf: %w", err)}
	}
	defer f.Close()
	t, err := tfidf.ReadTable(f)
	if err != nil {
		return nil, inputError{fmt.Errorf("--idf %s: %w", name, err)}
	}
	return t, nil
}

// inputFlags say how inputs are read.
type inputFlags struct {
	idField, textField, titleField, format, glob *string
}

func addInputFlags(fs *pflag.FlagSet) *inputFlags {
	return &inputFlags{
		idField:    fs.String("id-field", "id", "field or column of the document id; a dotted path reaches into JSON objects (meta.id)"),
		textField:  fs.String("text-field", "text", "field or column of the text; several, comma-separated, are joined (title,text)"),
		titleField: fs.String("title-field", "title", "field or column shown as the title, if present"),
		format:     fs.String("format", "", "input format: txt, jsonl, csv, tsv or parquet (default: by extension; jsonl for -)"),
		glob:       fs.String("glob", "*.txt", "files of a directory to read, by name"),
	}
}

// oddFlags say what becomes of odd input, for every command that reads
// documents.
type oddFlags struct {
	skipBad, strict *bool
	maxDocBytes     *int
}

func addOddFlags(fs *pflag.FlagSet) oddFlags {
	return oddFlags{
		strict:      fs.Bool("strict", false, "make invalid UTF-8 an error instead of replacing it by U+FFFD"),
		maxDocBytes: fs.Int("max-doc-bytes", neardup.DefaultConfig().MaxDocBytes, "cut longer texts to this many bytes, counting them (0: no limit)"),
		skipBad:     fs.Bool("skip-bad", false, "pass over records and files that cannot be read, counting them, instead of stopping"),
	}
}

// set sets the fields of cfg the flags say.
func (f oddFlags) set(cfg *neardup.Config) {
	cfg.SkipBad, cfg.Strict, cfg.MaxDocBytes = *f.skipBad, *f.strict, *f.maxDocBytes
}

func (f *inputFlags) options(stdin io.Reader) (corpus.Options, error) {
	if *f.format != "" && !slices.Contains(corpus.Formats, *f.format) {
		return corpus.Options{}, usageError{fmt.Errorf("--format %q: want %s", *f.format, strings.Join(corpus.Formats, ", "))}
	}
	text := fieldList(*f.textField)
	if len(text) == 0 {
		return corpus.Options{}, usageError{fmt.Errorf("--text-field: name at least one field")}
	}
	return corpus.Options{IDField: *f.idField, TextFields: text, TitleField: *f.titleField,
		Format: *f.format, Glob: *f.glob, Stdin: stdin}, nil
}

// fieldList splits a comma-separated list of field names.
func fieldList(s string) []string {
	var names []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			names = append(names, t)
		}
	}
	return names
}
