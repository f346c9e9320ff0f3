package corpus_test

import (
	"errors"
	"fmt"
	"io"
	"os"
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

// A Writer writes records back in their own format, byte for byte for JSON
// Lines, with fields added.
func ExampleNewWriter() {
	in := `{"id":"a","text":"نص أول","lang":"ar"}
{"id":"b","text":"نص ثان"}
`
	r := corpus.NewReader([]string{"-"}, corpus.Options{Stdin: strings.NewReader(in)})
	defer r.Close()
	w := corpus.NewWriter(os.Stdout, "keep")
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		if err := w.Write(&d, d.ID == "a"); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	// Output:
	// {"id":"a","text":"نص أول","lang":"ar","keep":true}
	// {"id":"b","text":"نص ثان","keep":false}
}
