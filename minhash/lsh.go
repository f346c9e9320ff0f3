package minhash

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/neardup/neardup/intsort"
)

// Params are the LSH banding parameters: Bands·Rows signature positions.
type Params struct {
	Bands int // b: a pair is a candidate if it agrees on all rows of one band
	Rows  int // r: signature values per band; b·r of them are used
}

// Probability returns P(candidate | s) = 1 − (1 − s^r)^b.
func (p Params) Probability(s float64) float64 {
	return 1 - math.Pow(1-math.Pow(s, float64(p.Rows)), float64(p.Bands))
}

// Threshold returns (1/b)^(1/r), the similarity near which the S-curve is
// steepest: the effective threshold of the banding.
func (p Params) Threshold() float64 {
	return math.Pow(1/float64(p.Bands), 1/float64(p.Rows))
}

// FalsePositive returns the mean probability that a pair below the
// threshold t becomes a candidate: ∫₀ᵗ P(s) ds / t.
func (p Params) FalsePositive(t float64) float64 {
	if t <= 0 {
		return 0
	}
	return integrate(p.Probability, 0, t) / t
}

// FalseNegative returns the mean probability that a pair at or above the
// threshold t is missed: ∫ₜ¹ (1 − P(s)) ds / (1 − t).
func (p Params) FalseNegative(t float64) float64 {
	if t >= 1 {
		return 0
	}
	return integrate(func(s float64) float64 { return 1 - p.Probability(s) }, t, 1) / (1 - t)
}

// String formats the parameters as "BxR".
func (p Params) String() string { return fmt.Sprintf("%dx%d", p.Bands, p.Rows) }

// integrate is Simpson's rule with 256 intervals: the integrands are
// smooth polynomials in s, and this is exact to about 1e-9.
func integrate(f func(float64) float64, a, b float64) float64 {
	const n = 256
	h := (b - a) / n
	sum := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(a+float64(i)*h)
	}
	return sum * h / 3
}

// Optimal returns the banding with Bands·Rows = numPerm that minimizes the
// sum of the normalized false-positive and false-negative areas around
// threshold. Using every position keeps the estimate's full accuracy for
// verification and makes the curve as steep as numPerm allows.
func Optimal(threshold float64, numPerm int) Params {
	return OptimalWeighted(threshold, numPerm, 1, 1)
}

// OptimalWeighted is like Optimal but weighs the false-positive and
// false-negative areas: a caller that verifies every candidate cheaply and
// cannot recover a missed pair weighs false negatives more.
func OptimalWeighted(threshold float64, numPerm int, fpWeight, fnWeight float64) Params {
	return OptimalCatching(threshold, numPerm, fpWeight, fnWeight, 0)
}

// OptimalCatching is like OptimalWeighted among the bandings that make a
// pair at the threshold a candidate with probability at least minP (among
// all if none does). The areas alone can favour a curve that rises late
// and steeply: at 256 permutations and threshold 0.6, 32 bands of 8 rows,
// which misses 58% of the pairs at 0.6 itself.
func OptimalCatching(threshold float64, numPerm int, fpWeight, fnWeight, minP float64) Params {
	best, bestErr := Params{Bands: numPerm, Rows: 1}, math.Inf(1)
	for _, atLeast := range []float64{minP, 0} {
		for r := 1; r <= numPerm; r++ {
			if numPerm%r != 0 {
				continue
			}
			p := Params{Bands: numPerm / r, Rows: r}
			if p.Probability(threshold) < atLeast {
				continue
			}
			e := fpWeight*p.FalsePositive(threshold) + fnWeight*p.FalseNegative(threshold)
			if e < bestErr {
				best, bestErr = p, e
			}
		}
		if !math.IsInf(bestErr, 1) {
			return best
		}
	}
	return best
}

// An Index collects signatures and reports the pairs that share a band. It
// holds a reference to each signature, not a copy, and works band by band:
// beyond the signatures it needs 16 bytes per document (a band key and the
// document number packed in 8 bytes, and as much for the sort) for each
// band in progress (PairOptions.Workers at a time), and no maps. A band's
// key is a hash of its rows cut to the bits the document numbers leave
// (44 bits for a million documents): two different bands share a key once
// in 2^44 pairs, and such a pair is reported as if they shared the band.
// V is the
// signature's value type: 32-bit values, or 16-bit ones where candidates
// are verified on something else and a band key of r 16-bit values is
// distinctive enough.
type Index[V uint16 | uint32] struct {
	p      Params
	docs   []uint32
	sigs   [][]V
	maxDoc uint32
}

// NewIndex returns an empty index for the banding p.
func NewIndex[V uint16 | uint32](p Params) *Index[V] { return &Index[V]{p: p} }

// Add inserts the signature of document doc; sig must not change until
// Pairs returns. Empty signatures are not inserted: the empty set is similar
// to nothing. Signatures must have at least Bands·Rows positions.
func (x *Index[V]) Add(doc uint32, sig []V) {
	if len(sig) == 0 {
		return
	}
	x.docs = append(x.docs, doc)
	x.sigs = append(x.sigs, sig)
	x.maxDoc = max(x.maxDoc, doc)
}

// Len returns the number of signatures in the index.
func (x *Index[V]) Len() int { return len(x.docs) }

// PairStats describes the buckets seen by [Index.Pairs].
type PairStats struct {
	Buckets       int // buckets holding two documents or more
	CappedBuckets int // buckets larger than the cap
	LargestBucket int // documents in the largest bucket
	// Tested counts the candidate pairs given to PairOptions.Keep: distinct
	// within a band and not kept by an earlier band, so a pair rejected in
	// one band and found again in another counts again.
	Tested int
}

// PairOptions tune [Index.Pairs].
type PairOptions struct {
	// MaxBucket caps the buckets expanded into all their pairs; 0 or 1
	// means no cap.
	MaxBucket int
	// Keep, if set, verifies candidate pairs as they are found, band by
	// band; only the pairs it accepts are held and returned. Memory then
	// follows the verified pairs, not the candidates, which on news are
	// several times more. It is called from Workers goroutines at once.
	Keep func(a, b uint32) bool
	// Workers is the number of goroutines calling Keep; 0 means one.
	Workers int
	// Order, if set, ranks the documents, by document number: those of a
	// bucket over MaxBucket are paired with their successor in this order
	// rather than by number. For news, the order of publication: such a
	// bucket holds reports of many events, and a report's own event is
	// likeliest among the reports published next to it.
	Order []uint32
	// Kept holds pairs already kept, sorted and without repeats, by an
	// index over other bands of the same signatures: they are not tested
	// again, and are returned with the new ones. Pairs takes over the
	// slice's memory.
	Kept []uint64
}

// Pairs returns every pair (a, b), a < b, of documents that share a
// bucket (and that opt.Keep accepts), sorted and without repeats, packed
// as a<<32 | b. A bucket of more than opt.MaxBucket documents is not
// expanded into all its pairs: that would be quadratic on boilerplate that
// thousands of documents share. Its documents, in order, are paired with
// their successor only, so that a run of true copies still links up after
// verification while the pair count stays linear.
func (x *Index[V]) Pairs(opt PairOptions) ([]uint64, PairStats) {
	var st PairStats
	kept := opt.Kept
	// Bands are bucketed Workers at a time, each into its own buffers, and
	// their pairs tested and kept in band order, so that the result and the
	// statistics do not depend on the number of workers.
	workers := max(1, opt.Workers)
	bufs := make([]bandBuf, min(workers, x.p.Bands))
	for first := 0; first < x.p.Bands; first += len(bufs) {
		var wg sync.WaitGroup
		n := min(len(bufs), x.p.Bands-first)
		for w := range n {
			wg.Go(func() { x.bucket(first+w, opt.MaxBucket, opt.Order, &bufs[w]) })
		}
		wg.Wait()
		for w := range n {
			bb := &bufs[w]
			st.Buckets += bb.st.Buckets
			st.CappedBuckets += bb.st.CappedBuckets
			st.LargestBucket = max(st.LargestBucket, bb.st.LargestBucket)
			// Similar documents share many bands: a pair kept by an
			// earlier band is not tested again.
			band := without(bb.pairs, kept)
			st.Tested += len(band)
			if opt.Keep != nil {
				band = Filter(band[:0], band, opt.Keep, opt.Workers)
			}
			kept = merge(kept, band)
		}
	}
	return kept, st
}

// bandBuf is the memory that bucketing one band needs, reused from band to
// band.
type bandBuf struct {
	es    []uint64 // band key<<d | document, d the bits of the largest document number
	tmp   []uint64 // intsort.Radix's other buffer, for es and then pairs
	pairs []uint64 // the band's pairs, sorted, without repeats
	ranks []uint64 // a capped bucket's documents, by PairOptions.Order if set: rank<<32 | document
	st    PairStats
}

// bucket finds the pairs of band b into buf.
func (x *Index[V]) bucket(b, maxBucket int, order []uint32, buf *bandBuf) {
	buf.st = PairStats{}
	r := x.p.Rows
	seed := mix64(uint64(b) + 0x9e3779b97f4a7c15)
	es := slices.Grow(buf.es[:0], len(x.sigs))[:len(x.sigs)]
	buf.es = es
	// The document number takes the low d bits, the band's key the rest:
	// one integer sort then buckets the band, several times faster than
	// sorting pairs of fields.
	d := max(1, bits.Len32(x.maxDoc))
	for i, sig := range x.sigs {
		h := seed
		for _, v := range sig[b*r : (b+1)*r] {
			h = mix64(h ^ uint64(v))
		}
		es[i] = h>>d<<d | uint64(x.docs[i])
	}
	buf.tmp = intsort.Radix(es, slices.Grow(buf.tmp[:0], len(es))[:len(es)])
	pairs := buf.pairs[:0]
	mask := uint64(1)<<d - 1
	for i := 0; i < len(es); {
		j := i + 1
		for j < len(es) && es[j]>>d == es[i]>>d {
			j++
		}
		run := es[i:j]
		i = j
		if len(run) < 2 {
			continue
		}
		buf.st.Buckets++
		buf.st.LargestBucket = max(buf.st.LargestBucket, len(run))
		if maxBucket > 1 && len(run) > maxBucket {
			buf.st.CappedBuckets++
			// The run is in document order; with an order, rank<<32 above
			// each document sorts it by rank.
			ranks := buf.ranks[:0]
			for _, e := range run {
				doc := e & mask
				if order != nil {
					doc |= uint64(order[doc]) << 32
				}
				ranks = append(ranks, doc)
			}
			if order != nil {
				intsort.Sort(ranks)
			}
			for k := 1; k < len(ranks); k++ {
				pairs = appendPair(pairs, uint32(ranks[k-1]), uint32(ranks[k]))
			}
			buf.ranks = ranks
			continue
		}
		for a := range run {
			for b := a + 1; b < len(run); b++ {
				pairs = appendPair(pairs, uint32(run[a]&mask), uint32(run[b]&mask))
			}
		}
	}
	buf.tmp = intsort.Radix(pairs, slices.Grow(buf.tmp[:0], len(pairs)))
	buf.pairs = slices.Compact(pairs)
}

// without removes from a the values found in b; both are sorted.
func without(a, b []uint64) []uint64 {
	out := a[:0]
	j := 0
	for _, v := range a {
		for j < len(b) && b[j] < v {
			j++
		}
		if j < len(b) && b[j] == v {
			continue
		}
		out = append(out, v)
	}
	return out
}

// Filter appends to dst the pairs, packed as by [Index.Pairs], that keep
// accepts, in order, and returns it; keep is called on workers goroutines
// (0 means one). dst may be pairs[:0] to filter in place.
func Filter(dst, pairs []uint64, keep func(a, b uint32) bool, workers int) []uint64 {
	ok := make([]bool, len(pairs))
	workers = max(1, workers)
	chunk := (len(pairs) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(pairs); lo += chunk {
		hi := min(lo+chunk, len(pairs))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				ok[i] = keep(Unpack(pairs[i]))
			}
		})
	}
	wg.Wait()
	for i, p := range pairs {
		if ok[i] {
			dst = append(dst, p)
		}
	}
	return dst
}

// merge adds the sorted values of b, none of them in a, to the sorted a,
// in place from the end, and returns the extended a.
func merge(a, b []uint64) []uint64 {
	n := len(a)
	a = slices.Grow(a, len(b))[:n+len(b)]
	i, j := n-1, len(b)-1
	for k := len(a) - 1; j >= 0; k-- {
		if i >= 0 && a[i] > b[j] {
			a[k] = a[i]
			i--
		} else {
			a[k] = b[j]
			j--
		}
	}
	return a
}

func appendPair(pairs []uint64, a, b uint32) []uint64 {
	if a == b {
		return pairs
	}
	if a > b {
		a, b = b, a
	}
	return append(pairs, uint64(a)<<32|uint64(b))
}

// Unpack splits a pair returned by [Index.Pairs].
func Unpack(p uint64) (a, b uint32) { return uint32(p >> 32), uint32(p) }

// SharesBand reports whether signatures a and b agree on every row of some
// band of p: whether an Index with p makes them candidates.
func SharesBand[V uint16 | uint32](p Params, a, b []V) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	r := p.Rows
	for band := range p.Bands {
		if slices.Equal(a[band*r:(band+1)*r], b[band*r:(band+1)*r]) {
			return true
		}
	}
	return false
}
