package main

import (
	"fmt"
	"os"

	"github.com/neardup/neardup/arabic"
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
