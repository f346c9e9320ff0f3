package corpus_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/neardup/neardup/corpus"
)

// A Reader yields one document at a time, with its place; a bad record is
// an *Error, and reading goes on past it.
func ExampleNewReader() {
	in := `{"id": "a", "text": "نص أول"}
{"id": 7, "title": "عنوان", "text": "نص ثان"}
{not json
{"text": "نص بلا معرف"}
`
	r := corpus.NewReader([]string{"-"}, corpus.Options{Stdin: strings.NewReader(in)})
	defer r.Close()
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		var bad *corpus.Error
		if errors.As(err, &bad) {
			fmt.Println("skipped", bad.Place())
			continue
		}
		fmt.Printf("%s %s %q %q\n", d.Place(), d.ID, d.Title, d.Text)
	}
	// Output:
	// -:1 a "" "نص أول"
	// -:2 7 "عنوان" "نص ثان"
	// skipped -:3
	// -:4 -:4 "" "نص بلا معرف"
}
