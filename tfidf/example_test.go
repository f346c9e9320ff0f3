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

// Two stories of one outlet share a background paragraph under different
// leads: their plain cosine counts the paragraph, OwnCosine what each says
// outside it.
func ExampleOwnCosine() {
	norm := arabic.NewNormalizer(arabic.DefaultOptions())
	prior := tfidf.Builtin()
	var c tfidf.Counter
	var vecs []tfidf.Vector
	var passages []tfidf.Passages
	for _, text := range []string{
		"أعلن وزير الخارجية اليوم في مؤتمر صحفي عن اتفاق جديد مع الجار الشمالي.\n" +
			"وكانت المفاوضات بين البلدين قد توقفت العام الماضي بعد خلاف على ترسيم الحدود.",
		"قال رئيس الوزراء أمام البرلمان إن الحكومة ستدعم المزارعين المتضررين من الجفاف.\n" +
			"وكانت المفاوضات بين البلدين قد توقفت العام الماضي بعد خلاف على ترسيم الحدود.",
	} {
		s, ends := norm.AppendLines(nil, nil, text) // where each line ends
		all, where := c.BagLines(string(s), ends, tfidf.MinPassage)
		top := c.Top(all, tfidf.MaxTerms, prior)
		vecs = append(vecs, prior.Vector(top))
		passages = append(passages, where.Passages(all, top))
	}
	fmt.Printf("%d passage shared; cosine %.2f, over their own lines %.2f\n", passages[0].Shared(passages[1]),
		tfidf.Cosine(vecs[0], vecs[1]), tfidf.OwnCosine(vecs[0], passages[0], vecs[1], passages[1]))
	// Output: 1 passage shared; cosine 0.52, over their own lines 0.00
}

// The vectors of many documents can keep their weights in one slice:
// AppendVector appends each vector's weights to it and returns it.
func ExampleBlend_AppendVector() {
	norm := arabic.NewNormalizer(arabic.DefaultOptions())
	corpus := tfidf.NewTable()
	var c tfidf.Counter
	var bags []tfidf.Bag
	for _, text := range []string{
		"وصل رئيس الوزراء الروسي ميشوستين إلى بكين في زيارة رسمية",
		"ميشوستين يصل إلى بكين في زيارة رسمية للصين",
	} {
		bag := c.Bag(norm.String(text)).Clone()
		corpus.Add(bag)
		bags = append(bags, bag)
	}
	blend := tfidf.NewBlend(corpus, tfidf.Builtin())
	weights := make([]uint16, 0, 2*tfidf.MaxTerms) // room for both: no allocation
	var vecs []tfidf.Vector
	for _, b := range bags {
		var v tfidf.Vector
		v, weights = blend.AppendVector(weights, b)
		vecs = append(vecs, v)
	}
	fmt.Printf("%d weights in one slice; cosine %.2f\n", len(weights), tfidf.Cosine(vecs[0], vecs[1]))
	// Output: 14 weights in one slice; cosine 0.72
}
