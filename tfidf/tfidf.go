// Package tfidf weighs the word terms of documents by TF-IDF and compares
// them by cosine similarity.
//
// Character shingles see that two texts share passages; they do not see
// that two differently written reports name the same people, places and
// numbers. TF-IDF does: a term's weight is its frequency in the document
// (1 + ln tf, so that repetition saturates) times its inverse document
// frequency ln((1+N)/(1+df)) + 1 (smoothed, so that unseen terms get the
// largest weight and no term gets zero). Frequent words weigh little; the
// names and numbers specific to one event weigh most.
//
// Terms are the light stems of the normalized words that are not stop words
// (package arabic), identified by 32 bits of their xxhash64: among a million
// distinct stems a few hundred pairs share an identifier, too few to move a
// cosine, and a term costs 4 bytes instead of 8. A [Vector] keeps a
// document's heaviest terms only (at most [MaxTerms]): the cosine of two
// documents is carried by their heaviest terms, and the cap bounds the memory
// each document needs.
//
// Two reports of one event written independently share words, not lines.
// Two documents that hold the same line verbatim hold it because one copied
// it: an outlet repeats the background paragraphs of its earlier stories
// under a new lead, a scraped page carries the opening lines of other
// stories as teasers, a site prints its footer on every page. Such a
// passage says nothing of whether the two report one event, and yet it
// carries much of their cosine: on the hand-labelled pairs of a corpus of
// Arabic news, follow-ups of one outlet repeating its background
// paragraphs had cosines up to 0.65, above most independent reports of one
// event. [OwnCosine] compares two documents on what each says outside the
// passages they share; [Counter.BagLines] finds where each term occurs and
// [Passages] keeps, for a vector's terms, what OwnCosine needs.
package tfidf

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
	"github.com/neardup/neardup/intsort"
)

// MaxTerms is the number of terms a Vector keeps.
const MaxTerms = 48

// Hash returns the identifier of a term.
func Hash(term string) uint32 { return uint32(xxhash.Sum64String(term)) }

// A Bag holds the term counts of one document, sorted by term hash.
type Bag struct {
	Terms  []uint32
	Counts []uint16 // capped at 65535
}

// NewBag counts the terms of the normalized text s.
func NewBag(s string) Bag {
	var c Counter
	return c.Bag(s)
}

// A Counter counts the terms of one document after another, reusing its
// memory: the bags it returns are valid until its next call. Counting with
// one Counter per goroutine leaves little garbage behind, where each bag
// and its intermediate lists would otherwise be collected, document after
// document. The zero value is ready to use; a Counter is not safe for
// concurrent use.
type Counter struct {
	bag   Bag
	where Where
	keys  []uint64
	occ   []uint64 // BagLines' term occurrences
}

// Bag counts the terms of the normalized text s, as NewBag does, into
// memory of c's: BagLines, with s one line and no passage.
func (c *Counter) Bag(s string) Bag {
	b, _ := c.BagLines(s, []int{len(s)}, 0)
	return b
}

// A Table holds document frequencies: how many of N documents hold each
// term. Its zero value is an empty table, as [NewTable] returns.
type Table struct {
	mu sync.Mutex
	n  int
	df counts
	// idf[df] is IDF's value for the small document frequencies, computed
	// once for a table read from a file, which may then serve millions of
	// look-ups: a logarithm costs more than the map look-up before it. Add
	// and AddTallies drop it.
	idf []float64
	// batch and tmp are AddTallies' memory, reused from batch to batch.
	batch, tmp []uint32
}

// NewTable returns an empty table.
func NewTable() *Table { return &Table{} }

// Add counts one document with the terms of b. It is safe for concurrent use.
func (t *Table) Add(b Bag) {
	t.mu.Lock()
	t.n++
	t.idf = nil
	for _, h := range b.Terms {
		t.df.add(h, 1)
	}
	t.mu.Unlock()
}

// A Tally gathers the terms of documents for [Table.AddTallies] to count
// all at once: a batch's documents, one Tally per goroutine. Counting each
// document's terms into a table of the goroutine's own cost a random
// memory access a term, into a table that outgrew the cache within a batch
// and had to be cleared after it; appending them to a list costs a copy,
// and a batch's lists are then sorted once, reading and writing memory in
// order. The zero value is empty. A Tally is not safe for concurrent use.
type Tally struct {
	docs  int
	terms []uint32
}

// Add tallies one document with the terms of b.
func (t *Tally) Add(b Bag) {
	t.docs++
	t.terms = append(t.terms, b.Terms...)
}

// AddTallies counts the documents of tallies into t, empties the tallies,
// and returns the distinct terms they held, in the order of their slots in
// a hash table (of t's, and of a Memo's: see fibonacci). The list is valid
// until the next call. It is safe for concurrent use with other calls of
// Add and AddTallies on t, not with calls on the tallies.
func (t *Table) AddTallies(tallies ...*Tally) []uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.idf = nil
	all := t.batch[:0]
	for _, ta := range tallies {
		t.n += ta.docs
		for _, h := range ta.terms {
			all = append(all, inSlotOrder(h))
		}
		ta.docs, ta.terms = 0, ta.terms[:0]
	}
	t.tmp = intsort.Radix(all, slices.Grow(t.tmp[:0], len(all)))
	t.batch = all
	distinct := all[:0]
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j] == all[i] {
			j++
		}
		h := fromSlotOrder(all[i])
		t.df.add(h, uint32(j-i))
		distinct = append(distinct, h)
		i = j
	}
	return distinct
}

// Docs returns the number of documents counted.
func (t *Table) Docs() int { return t.n }

// Terms returns the number of distinct terms counted.
func (t *Table) Terms() int { return t.df.len() }

// IDF returns ln((1+N)/(1+df)) + 1.
func (t *Table) IDF(h uint32) float64 { return t.idfAt(t.df.get(h)) }

// idfAt is IDF for a term of document frequency df.
func (t *Table) idfAt(df uint32) float64 {
	if int(df) < len(t.idf) {
		return t.idf[df]
	}
	return t.idfOf(df)
}

func (t *Table) idfOf(df uint32) float64 { return smoothIDF(t.n, int(df)) }

// smoothIDF is the IDF of a term in df of n documents, ln((1+n)/(1+df)) + 1.
func smoothIDF(n, df int) float64 {
	return math.Log(float64(1+n)/float64(1+df)) + 1
}

// maxCachedDF bounds the IDF cache of a table: 256 KB, all of the built-in
// table's frequencies.
const maxCachedDF = 1 << 15

// cacheIDF fills t.idf for the frequencies up to N (at most maxCachedDF).
func (t *Table) cacheIDF() {
	t.idf = make([]float64, min(t.n+1, maxCachedDF))
	for df := range t.idf {
		t.idf[df] = t.idfOf(uint32(df))
	}
}

// Vector returns the TF-IDF vector of b under the table's own counts.
func (t *Table) Vector(b Bag) Vector {
	v, _ := appendVector(nil, t, b)
	return v
}

// tf returns the term-frequency factor of a term counted n times,
// 1 + ln n; most terms of a document occur once, and need no logarithm.
func tf(n uint16) float64 {
	if n == 1 {
		return 1
	}
	return 1 + math.Log(float64(n))
}

// appendVector returns the TF-IDF vector of b under idf: its MaxTerms
// heaviest terms, sorted by hash, normalized to unit length; its weights
// are appended to dst, which is returned too. When b has no more terms
// than that, the vector shares b's Terms slice. Ties in weight are broken
// by hash so that the result does not depend on anything but b and idf.
func appendVector(dst []uint16, idf IDF, b Bag) (Vector, []uint16) {
	type tw struct {
		h uint32
		w float64
	}
	// A bag of a document's kept terms, the common case, is weighed on the
	// stack.
	var buf [MaxTerms]tw
	ws := buf[:0]
	if len(b.Terms) > MaxTerms {
		ws = make([]tw, 0, len(b.Terms))
	}
	for i, h := range b.Terms {
		ws = append(ws, tw{h, tf(b.Counts[i]) * idf.IDF(h)})
	}
	v := Vector{Terms: b.Terms}
	if len(ws) > MaxTerms {
		slices.SortFunc(ws, func(a, b tw) int {
			if c := cmp.Compare(b.w, a.w); c != 0 {
				return c
			}
			return cmp.Compare(a.h, b.h)
		})
		ws = ws[:MaxTerms]
		slices.SortFunc(ws, func(a, b tw) int { return cmp.Compare(a.h, b.h) })
		v.Terms = make([]uint32, len(ws))
	}
	var wbuf [MaxTerms]float64
	w := wbuf[:len(ws)]
	for i, x := range ws {
		v.Terms[i], w[i] = x.h, x.w
	}
	start := len(dst)
	dst = appendUnit(dst, w)
	v.Weights = dst[start:len(dst):len(dst)]
	return v, dst
}

// scale is the fixed-point scale of Vector weights.
const scale = 65535

// appendUnit appends w scaled to unit length, in fixed point, to dst.
func appendUnit(dst []uint16, w []float64) []uint16 {
	var norm float64
	for _, x := range w {
		norm += x * x
	}
	norm = math.Sqrt(norm)
	for _, x := range w {
		var q uint16
		if norm > 0 {
			q = uint16(math.Round(min(x/norm, 1) * scale))
		}
		dst = append(dst, q)
	}
	return dst
}

// NewVector returns the unit vector with the given terms, sorted, and
// non-negative weights, scaled to unit length. A vector of zero weights
// stays zero.
func NewVector(terms []uint32, weights []float64) Vector {
	return Vector{Terms: terms, Weights: appendUnit(make([]uint16, 0, len(weights)), weights)}
}

// PriorDocs is the weight, in documents, of the prior in the estimate of a
// term's frequency in the corpus: a corpus of a few documents is weighed by
// the prior, one of many thousands by its own counts.
const PriorDocs = 1000

// A Blend weighs terms by a prior table (general news) and a corpus's own
// counts together. A term is weak evidence if it is common in either: in
// news at large (a function word, a frequent name), or in this corpus (the
// text of a template repeated a thousand times, which the prior may find
// rare). So the document frequency used is the larger of the prior's,
// p = (1+df)/(1+N), and the corpus's, estimated with the prior's as a
// Bayesian prior of PriorDocs documents: (df_c + PriorDocs·p)/(N_c +
// PriorDocs). The weight is 1 − ln of it: ln(1/frequency) + 1, the smoothed
// IDF.
type Blend struct {
	corpus, prior *Table
}

// NewBlend returns the blend of a corpus's table with a prior.
func NewBlend(corpus, prior *Table) *Blend { return &Blend{corpus: corpus, prior: prior} }

// IDF returns the blended inverse document frequency of a term. An empty
// prior (of no documents) knows nothing: the corpus's own counts alone
// decide, (1+df_c)/(1+N_c), as [Table.IDF] has it.
func (b *Blend) IDF(h uint32) float64 { return b.idf(h, 0) }

// Others returns the blend as seen by one of the documents counted in the
// corpus's table: its IDF weighs a term of that document by the counts of
// the other documents. While a corpus is still being counted, a term's own
// occurrence is much of its count: in the first thousand documents every
// term of a document would seem at least one in a thousand, and its rare
// names would weigh no more than its common words.
func (b *Blend) Others() IDF { return others{b} }

type others struct{ b *Blend }

func (o others) IDF(h uint32) float64 { return o.b.idf(h, 1) }

// idf is IDF with the corpus's counts less those of less documents, which
// hold h if any document does.
func (b *Blend) idf(h uint32, less int) float64 {
	dfc, nc := int(b.corpus.df.get(h)), b.corpus.n
	dfc, nc = max(dfc-less, 0), max(nc-less, 0)
	if b.prior.n == 0 {
		return smoothIDF(nc, dfc)
	}
	dfp := b.prior.df.get(h)
	p := float64(1+dfp) / float64(1+b.prior.n)
	if float64(dfc) <= p*float64(nc) {
		// c ≤ p: the prior's frequency is the larger, as it is for most
		// terms, and its IDF is cached. Every term of every document is
		// weighed here while its 48 are chosen, so the logarithm counts.
		return b.prior.idfAt(dfp)
	}
	c := (float64(dfc) + PriorDocs*p) / float64(nc+PriorDocs)
	return 1 - math.Log(c)
}

// Vector returns the TF-IDF vector of bag under the blended counts.
func (b *Blend) Vector(bag Bag) Vector {
	v, _ := b.AppendVector(nil, bag)
	return v
}

// AppendVector is Vector, its weights appended to dst, which it returns
// too: the vectors of many documents can share one allocation, in the
// order of the documents, where one allocation each was most of what
// weighing a corpus allocated.
func (b *Blend) AppendVector(dst []uint16, bag Bag) (Vector, []uint16) {
	return appendVector(dst, b, bag)
}

// A Vector is a sparse unit vector of term weights, sorted by term hash.
// Weights are held in 16-bit fixed point, the component times 65535: half
// the memory of float32, and a cosine computed on them is off by at most
// √48/65535 ≈ 1.1×10⁻⁴ (typically far less), below any threshold's
// resolution.
type Vector struct {
	Terms   []uint32
	Weights []uint16 // the unit vector's components × 65535
}

// Heaviest returns the hashes of v's n heaviest terms, heaviest first, ties
// by hash.
func (v Vector) Heaviest(n int) []uint32 {
	var buf [MaxTerms]uint64
	keys := v.weightKeys(buf[:0])
	slices.Sort(keys)
	out := make([]uint32, min(n, len(keys)))
	for k := range out {
		out[k] = uint32(keys[k])
	}
	return out
}

// AppendHeaviest appends the hashes of v's n heaviest terms to dst, in no
// particular order: the set Heaviest returns, without the cost of ordering
// it, for a caller that hashes it as a set.
func (v Vector) AppendHeaviest(dst []uint64, n int) []uint64 {
	var buf [MaxTerms]uint64
	keys := v.weightKeys(buf[:0])
	n = min(n, len(keys))
	intsort.Smallest(keys, n)
	for _, k := range keys[:n] {
		dst = append(dst, uint64(uint32(k)))
	}
	return dst
}

// weightKeys appends one sortable key per term of v to dst: the
// complemented fixed-point weight above the hash, so that the heaviest
// sorts first and ties go by hash.
func (v Vector) weightKeys(dst []uint64) []uint64 {
	for i, h := range v.Terms {
		dst = append(dst, uint64(math.MaxUint16-v.Weights[i])<<32|uint64(h))
	}
	return dst
}

// Weight returns the weight of the i-th term.
func (v Vector) Weight(i int) float64 { return float64(v.Weights[i]) / scale }

// Cosine returns the cosine similarity of two unit vectors: the dot product
// over their common terms. It is 0 when either is empty.
func Cosine(a, b Vector) float64 {
	// A branch-free merge: which side advances depends on two hashes, a
	// coin toss the processor cannot predict, so the advances are computed
	// from the sign of their difference instead of branched on. A
	// mispredicted branch per step cost more than the step itself
	// (BenchmarkCosineAtRandom).
	var dot uint64
	at, bt := a.Terms, b.Terms
	aw, bw := a.Weights[:len(at)], b.Weights[:len(bt)]
	i, j := 0, 0
	for i < len(at) && j < len(bt) {
		d := int64(at[i]) - int64(bt[j])
		lt := int(d >> 63)        // -1 if a's term is smaller, else 0
		gt := int(-d >> 63)       // -1 if b's term is smaller, else 0
		eq := uint64(1 + lt + gt) // 1 if the terms are equal, else 0
		dot += eq * uint64(aw[i]) * uint64(bw[j])
		i += 1 + gt
		j += 1 + lt
	}
	return min(float64(dot)/(scale*scale), 1)
}

// Write writes the table as text: a first line "N docs", then one
// "term<TAB>df" line per term, sorted by term, for terms held by at least
// minDF documents, and returns the number of terms written. Terms are
// written by name, so the table needs the names: names maps each hash to
// its term.
func (t *Table) Write(w io.Writer, names map[uint32]string, minDF int) (terms int, err error) {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d docs\n", t.n)
	var kept []string
	for h, df := range t.df.all() {
		if int(df) >= minDF {
			if name, ok := names[h]; ok {
				kept = append(kept, name)
			}
		}
	}
	slices.Sort(kept)
	for _, term := range kept {
		fmt.Fprintf(bw, "%s\t%d\n", term, t.df.get(Hash(term)))
	}
	return len(kept), bw.Flush()
}

// ReadTable reads a table written by Write, gzip-compressed or not.
func ReadTable(r io.Reader) (*Table, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		br = bufio.NewReader(zr)
	}
	t := NewTable()
	sc := bufio.NewScanner(br)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if line == 1 {
			n, ok := strings.CutSuffix(s, " docs")
			var err error
			if t.n, err = strconv.Atoi(n); !ok || err != nil || t.n < 0 {
				return nil, fmt.Errorf("line 1: want \"N docs\", got %q", excerpt(s))
			}
			continue
		}
		term, df, ok := strings.Cut(s, "\t")
		n, err := strconv.ParseUint(df, 10, 32)
		if !ok || err != nil || term == "" {
			return nil, fmt.Errorf("line %d: want \"term<TAB>df\", got %q", line, excerpt(s))
		}
		if n > uint64(t.n) {
			// More documents than the table counts would make weights negative.
			return nil, fmt.Errorf("line %d: df %d of %q exceeds the table's %d docs", line, n, term, t.n)
		}
		t.df.set(Hash(term), uint32(n))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("empty table")
	}
	t.cacheIDF()
	return t, nil
}

// excerpt returns the start of a line quoted in an error: a file that is
// not a table may hold a line of megabytes.
func excerpt(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

//go:embed news-idf.txt.gz
var builtin []byte

// Builtin returns the table shipped with the package: document frequencies
// of the stems of 31,525 Arabic news articles (ANT corpus v2.1, 2018). It
// serves inputs too small to weigh their own terms.
var Builtin = sync.OnceValue(func() *Table {
	t, err := ReadTable(bytes.NewReader(builtin))
	if err != nil {
		panic("tfidf: built-in table: " + err.Error())
	}
	return t
})

// An IDF weighs a term by its inverse document frequency; [Table], [Blend]
// and [Memo] are IDFs.
type IDF interface {
	IDF(h uint32) float64
}

// Top returns the n terms of b with the largest weight under idf, sorted by
// hash: what a document keeps before the corpus's own frequencies are all
// known. A bag of n terms or fewer is its own top.
func (b Bag) Top(n int, idf IDF) Bag {
	if len(b.Terms) <= n {
		return b
	}
	var c Counter
	return c.Top(b, n, idf)
}

// Top is [Bag.Top], with its working memory c's; the result is the
// caller's, and is a copy of b even when b has n terms or fewer (b may be
// c's).
func (c *Counter) Top(b Bag, n int, idf IDF) Bag {
	if len(b.Terms) <= n {
		return b.Clone()
	}
	// One sortable key per term: the weight's float32 bits, complemented so
	// that heavier sorts first, above the term's index, which breaks ties by
	// hash because Terms are sorted. Sorting integers is several times
	// faster than sorting with a comparison function.
	keys := slices.Grow(c.keys[:0], len(b.Terms))[:len(b.Terms)]
	c.keys = keys
	for i, h := range b.Terms {
		w := float32(tf(b.Counts[i]) * idf.IDF(h))
		keys[i] = uint64(^math.Float32bits(w))<<32 | uint64(i)
	}
	intsort.Smallest(keys, n)
	keys = keys[:n]
	for k := range keys {
		keys[k] &= math.MaxUint32
	}
	intsort.Sort(keys)
	out := Bag{Terms: make([]uint32, n), Counts: make([]uint16, n)}
	for k, i := range keys {
		out.Terms[k], out.Counts[k] = b.Terms[i], b.Counts[i]
	}
	return out
}

// Clone returns a copy of b that shares no memory with it: a bag of a
// [Counter]'s kept past the Counter's next call.
func (b Bag) Clone() Bag {
	return Bag{Terms: slices.Clone(b.Terms), Counts: slices.Clone(b.Counts)}
}
