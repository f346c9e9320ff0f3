package tfidf_test

import (
	"fmt"

	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/tfidf"
)

// A Counter counts the terms of one text after another; each document
// keeps its heaviest terms, weighed by the built-in table, and two
// documents are compared by the cosine of their TF-IDF vectors.
func ExampleCounter() {
	norm := arabic.NewNormalizer(arabic.DefaultOptions())
	prior := tfidf.Builtin()
	var c tfidf.Counter
	var vecs []tfidf.Vector
	for _, text := range []string{
		"وصل رئيس الوزراء الروسي ميشوستين إلى بكين في زيارة رسمية",
		"ميشوستين يصل إلى بكين في زيارة رسمية للصين",
		"ارتفاع أسعار النفط في الأسواق العالمية",
	} {
		bag := c.Bag(norm.String(text))
		top := c.Top(bag, tfidf.MaxTerms, prior) // the caller's: c's next Bag does not touch it
		vecs = append(vecs, prior.Vector(top))
	}
	fmt.Printf("same visit %.2f, another subject %.2f\n", tfidf.Cosine(vecs[0], vecs[1]), tfidf.Cosine(vecs[0], vecs[2]))
	// Output: same visit 0.82, another subject 0.00
}
