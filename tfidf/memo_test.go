package tfidf

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// countingIDF is an IDF that counts its calls.
type countingIDF struct {
	idf   IDF
	calls int
}

func (c *countingIDF) IDF(h uint32) float64 { c.calls++; return c.idf.IDF(h) }

// TestMemo checks that a Memo returns its IDF's values, for the terms it
// holds and for the others, asks for each term of its tables once, and
// forgets a batch's terms at the next Fill.
func TestMemo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	corpus := NewTable()
	for range 500 {
		var b Bag
		for h := uint32(0); h < 3000; h += 1 + uint32(r.IntN(40)) {
			b.Terms = append(b.Terms, h)
		}
		corpus.Add(b)
	}
	blend := NewBlend(corpus, Builtin()).Others()
	var m Memo
	for _, size := range []int{5000, 10, 2000} { // a batch that needs a larger table, a smaller, the same
		var terms []uint32
		for i := range size {
			// Each term twice, and a term 0 (an empty slot is told by
			// its IDF, not its key).
			terms = append(terms, uint32(i/2*7))
		}
		c := &countingIDF{idf: blend}
		m.Fill(c, terms)
		if want := (size + 1) / 2; c.calls != want {
			t.Errorf("%d terms: Fill weighed %d terms, want %d (each once)", size, c.calls, want)
		}
		for h := range uint32(size * 5) {
			if got, want := m.IDF(h), blend.IDF(h); got != want {
				t.Fatalf("%d terms: IDF(%d) = %v, want %v", size, h, got, want)
			}
		}
	}
	m.Fill(blend, nil)
	if got, want := m.IDF(7), blend.IDF(7); got != want {
		t.Errorf("empty memo: IDF %v, want %v", got, want)
	}
}

// BenchmarkMemo compares weighing the terms of a batch of documents by a
// Blend of two large tables with weighing them by a Memo of the batch's
// terms, Fill included.
func BenchmarkMemo(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	// Of a news corpus's term occurrences, most are of a few thousand
	// terms; the rest are of a long tail of names, numbers and typos,
	// which make its table megabytes large.
	word := func() uint32 {
		if r.IntN(10) == 0 {
			return r.Uint32()
		}
		return uint32(r.ExpFloat64() * 5000)
	}
	corpus := NewTable()
	for range 20000 {
		var bag Bag
		for range 300 {
			bag.Terms = append(bag.Terms, word())
		}
		corpus.Add(bag)
	}
	var docs [][]uint32
	var batch []uint32 // the terms of all docs, as AddTallies returns them
	for range 512 {
		var terms []uint32
		for range 300 {
			terms = append(terms, word())
		}
		docs = append(docs, terms)
		batch = append(batch, terms...)
	}
	slices.Sort(batch)
	batch = slices.Compact(batch)
	blend := NewBlend(corpus, Builtin()).Others()
	var sum float64
	b.Run("blend", func(b *testing.B) {
		for b.Loop() {
			for _, d := range docs {
				for _, h := range d {
					sum += blend.IDF(h)
				}
			}
		}
	})
	b.Run("memo", func(b *testing.B) {
		var m Memo
		for b.Loop() {
			m.Fill(blend, batch)
			for _, d := range docs {
				for _, h := range d {
					sum += m.IDF(h)
				}
			}
		}
	})
}
