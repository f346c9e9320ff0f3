package tfidf

import (
	"math"
	"slices"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/intsort"
)

// MinPassage is the default length, in code points, from which a line of a
// text is a passage: long enough that another text holding the same line
// copied it. Shorter lines (a dateline, "read also:", a byline) say little
// either way and count as the rest of the text.
const MinPassage = 40

// maxPassages is the number of passages of a text told apart; the later
// ones count as the rest of the text. Bit maxPassages of [Where.In] is the
// rest.
const maxPassages = 63

// Where records where the terms of a [Bag] occur in its text: Lines holds
// the hashes of the text's passages (its first 63 lines of the length
// BagLines was given, MinPassage by default) and In, for each of the bag's
// terms, the passages it occurs in: bit i for passage i, bit 63 for the
// rest of the text.
type Where struct {
	Lines []uint32
	In    []uint64
}

// BagLines counts the terms of the normalized text s, as Bag does, and
// records where they occur: ends holds, for each line of s, the offset at
// which it ends, as [arabic.Normalizer.AppendLines] returns them (lines are
// separated by one space), and lines of at least minLen code points are
// passages (0: none is). Both results are valid until c's next call.
func (c *Counter) BagLines(s string, ends []int, minLen int) (Bag, Where) {
	occ := c.occ[:0]
	lines := c.where.Lines[:0]
	var bit uint64
	add := func(t string) { occ = append(occ, uint64(Hash(t))<<6|bit) } // one closure a text
	from := 0
	for _, end := range ends {
		line := s[from:end]
		bit = maxPassages
		if minLen > 0 && len(lines) < maxPassages && isPassage(line, minLen) {
			bit = uint64(len(lines))
			lines = append(lines, uint32(xxhash.Sum64String(line)))
		}
		arabic.Terms(line, add)
		from = end + 1
	}
	intsort.Sort(occ)
	c.occ = occ
	b := Bag{Terms: c.bag.Terms[:0], Counts: c.bag.Counts[:0]}
	w := Where{Lines: lines, In: c.where.In[:0]}
	for i := 0; i < len(occ); {
		h := occ[i] >> 6
		var in uint64
		j := i
		for ; j < len(occ) && occ[j]>>6 == h; j++ {
			in |= 1 << (occ[j] & 63)
		}
		b.Terms = append(b.Terms, uint32(h))
		b.Counts = append(b.Counts, uint16(min(j-i, math.MaxUint16)))
		w.In = append(w.In, in)
		i = j
	}
	c.bag, c.where = b, w
	return b, w
}

// Clone returns a copy of w that shares no memory with it.
func (w Where) Clone() Where {
	return Where{Lines: slices.Clone(w.Lines), In: slices.Clone(w.In)}
}

// isPassage reports whether line has at least n code points.
func isPassage(line string, n int) bool {
	switch {
	case len(line) < n:
		return false
	case len(line) >= utf8.UTFMax*n:
		return true
	}
	return utf8.RuneCountInString(line) >= n
}

// Passages records, for a document's [Vector], which of its terms occur in
// which of the document's passages, by the passages' hashes. Its zero
// value knows no passage: the vector's terms all count as the document's
// own.
type Passages struct {
	// p holds the terms found outside every passage (bit j for the
	// vector's j-th term), then, for each passage that holds one of the
	// vector's terms, sorted by hash, its hash and its terms. Nil if no
	// passage does. One slice: 24 bytes a document and 16 a passage.
	p []uint64
}

// Passages returns the passages of the vector made of top, a bag of at
// most MaxTerms of the terms of all (as Top returns), where w says where
// all's terms occur; with a larger top, or without passages, the zero
// Passages.
func (w Where) Passages(all, top Bag) Passages {
	p, _ := w.AppendPassages(make([]uint64, 0, w.PassagesSize()), all, top)
	return p
}

// PassagesSize returns the most memory, in words, that passages from w
// take in AppendPassages.
func (w Where) PassagesSize() int { return 1 + 2*len(w.Lines) }

// AppendPassages is Passages, its memory appended to dst: the passages of
// many documents can share one allocation, where as many small ones, let
// go once the corpus is read (see AppendOnly), would leave the heap full
// of holes that the larger allocations made next cannot use.
func (w Where) AppendPassages(dst []uint64, all, top Bag) (Passages, []uint64) {
	if len(top.Terms) > MaxTerms || len(w.In) != len(all.Terms) {
		return Passages{}, dst
	}
	// in[j]: where top's j-th term occurs (both bags are sorted by term).
	var buf [MaxTerms]uint64
	in := buf[:len(top.Terms)]
	for i, j := 0, 0; i < len(all.Terms) && j < len(top.Terms); i++ {
		if all.Terms[i] == top.Terms[j] {
			in[j] = w.In[i]
			j++
		}
	}
	start := len(dst)
	var rest uint64
	for j, in := range in {
		rest |= (in >> maxPassages & 1) << j
	}
	dst = append(dst, rest)
	for i, h := range w.Lines {
		var terms uint64
		for j, in := range in {
			terms |= (in >> i & 1) << j
		}
		if terms != 0 {
			dst = append(dst, uint64(h), terms)
		}
	}
	p := dst[start:]
	if len(p) == 1 {
		return Passages{}, dst[:start]
	}
	// Sort the (hash, terms) pairs by hash, a text's few passages by
	// insertion, and merge a passage that occurs twice.
	for i := 3; i < len(p); i += 2 {
		for k := i; k > 1 && p[k-2] > p[k]; k -= 2 {
			p[k-2], p[k] = p[k], p[k-2]
			p[k-1], p[k+1] = p[k+1], p[k-1]
		}
	}
	out := p[:3]
	for i := 3; i < len(p); i += 2 {
		if p[i] == out[len(out)-2] {
			out[len(out)-1] |= p[i+1]
		} else {
			out = append(out, p[i], p[i+1])
		}
	}
	return Passages{p: out[:len(out):len(out)]}, dst[:start+len(out)]
}

// Size returns the memory p takes, in words: as much as p.AppendOnly
// appends at most.
func (p Passages) Size() int { return len(p.p) }

// Len returns the number of passages recorded.
func (p Passages) Len() int { return max(len(p.p)-1, 0) / 2 }

// Shared returns the number of p's passages that q holds too.
func (p Passages) Shared(q Passages) int {
	_, n := p.own(q)
	return n
}

// own returns the terms of p's vector found outside the passages q holds
// too, and the number of those passages: every term, ^0, if q holds none.
// (A loop of its own, not a function called for each passage: the
// closure would be allocated, at every one of millions of event pairs.)
func (p Passages) own(q Passages) (kept uint64, shared int) {
	if len(p.p) == 0 || len(q.p) == 0 {
		return ^uint64(0), 0
	}
	kept = p.p[0]
	qp := q.p[1:]
	j := 0
	for i := 1; i < len(p.p); i += 2 {
		h := p.p[i]
		for j < len(qp) && qp[j] < h {
			j += 2
		}
		if j < len(qp) && qp[j] == h {
			shared++
		} else {
			kept |= p.p[i+1]
		}
	}
	if shared == 0 {
		return ^uint64(0), 0
	}
	return kept, shared
}

// OwnCosine returns the cosine of a and b over the terms each holds outside
// the passages they share: a term of a that occurs only in lines b holds
// too counts for neither, and each vector is scaled to unit length again
// over the terms it keeps. With no passage shared it is Cosine(a, b); a
// text made only of passages the other holds has nothing of its own, and
// a cosine of 0. pa and pb are the passages of a and b.
func OwnCosine(a Vector, pa Passages, b Vector, pb Passages) float64 {
	ka, _ := pa.own(pb)
	kb, _ := pb.own(pa)
	if ka == ^uint64(0) && kb == ^uint64(0) {
		return Cosine(a, b)
	}
	var na, nb, dot uint64
	for j, w := range a.Weights {
		na += (ka >> j & 1) * uint64(w) * uint64(w)
	}
	for j, w := range b.Weights {
		nb += (kb >> j & 1) * uint64(w) * uint64(w)
	}
	if na == 0 || nb == 0 {
		return 0
	}
	for i, j := 0, 0; i < len(a.Terms) && j < len(b.Terms); {
		switch {
		case a.Terms[i] < b.Terms[j]:
			i++
		case a.Terms[i] > b.Terms[j]:
			j++
		default:
			if ka>>i&1 != 0 && kb>>j&1 != 0 {
				dot += uint64(a.Weights[i]) * uint64(b.Weights[j])
			}
			i++
			j++
		}
	}
	return min(float64(dot)/math.Sqrt(float64(na)*float64(nb)), 1)
}

// AppendHashes appends the hashes of p's passages to dst.
func (p Passages) AppendHashes(dst []uint32) []uint32 {
	for i := 1; i < len(p.p); i += 2 {
		dst = append(dst, uint32(p.p[i]))
	}
	return dst
}

// AppendOnly returns p without the passages whose hashes are not in held,
// a sorted list (as [Held] returns), its memory appended to dst (as
// AppendPassages): their terms count as the rest of the text. A passage no
// other document holds cannot be shared, and need not be kept.
func (p Passages) AppendOnly(dst []uint64, held []uint32) (Passages, []uint64) {
	if len(p.p) == 0 {
		return p, dst
	}
	start := len(dst)
	dst = append(dst, p.p[0])
	for i := 1; i < len(p.p); i += 2 {
		if _, ok := slices.BinarySearch(held, uint32(p.p[i])); ok {
			dst = append(dst, p.p[i], p.p[i+1])
		} else {
			dst[start] |= p.p[i+1]
		}
	}
	if len(dst) == start+1 {
		return Passages{}, dst[:start]
	}
	return Passages{p: dst[start:len(dst):len(dst)]}, dst
}

// Held returns, sorted and once each, the hashes that occur at least twice
// in hashes: of the passages of all documents, those that two documents
// hold (a document's passages are distinct). It sorts hashes in place (a
// radix sort would need as much memory again, at the moment all passages
// are held), and reuses their memory for the result.
func Held(hashes []uint32) []uint32 {
	intsort.Sort(hashes)
	out := hashes[:0]
	for i := 0; i < len(hashes); {
		j := i + 1
		for j < len(hashes) && hashes[j] == hashes[i] {
			j++
		}
		if j-i > 1 {
			out = append(out, hashes[i])
		}
		i = j
	}
	return out
}
