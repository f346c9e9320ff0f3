package cluster

import (
	"math"
	"slices"

	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/tfidf"
)

func (b *builder) jaccard(x, y int32) float64 {
	return minhash.Similarity(b.docs[x].Sig, b.docs[y].Sig)
}

// copies reports whether x and y are copies of one text.
func (b *builder) copies(x, y int32) bool {
	return b.sharesText(x, y) && b.sameSubject(x, y)
}

// sharesText reports whether x and y share enough shingles to be copies.
func (b *builder) sharesText(x, y int32) bool {
	return b.opt.SharesText(&b.docs[x], &b.docs[y])
}

// SharesText reports whether x and y share enough shingles to be copies:
// Jaccard at least Threshold, or one contained in the other.
func (o *Options) SharesText(x, y *Doc) bool {
	j := minhash.Similarity(x.Sig, y.Sig)
	switch {
	case j == 0:
		return false
	case j >= o.Threshold:
		return true
	case o.Containment > 0 && j*float64(len(x.Sig)) >= MinAgree:
		sx, sy := float64(x.Set), float64(y.Set)
		return j/(1+j)*(sx+sy)/min(sx, sy) >= o.Containment
	}
	return false
}

// MinAgree is the least number of agreeing signature positions on which
// containment is judged. Between a short text and one a hundred times
// longer, containment 0.8 needs J of about 1/128: one position, which two
// unrelated texts share by chance once in 500 pairs with 16-bit values.
// Three agree by chance about once in a billion; a text too small for
// three positions to show its containment is left to the Jaccard rule.
const MinAgree = 3

// Candidate returns the first test Build applies to a candidate pair of
// documents: whether they share enough text to be copies, or, with
// events (and without CopiesOnly), whether their cosine reaches MinCosine,
// so that they may report one event. Given to [minhash.PairOptions], it lets an LSH index hold only
// the pairs worth verifying further: on news, a fraction of its
// candidates. Build then finds the same copies; an event pair is judged
// on both its documents and their groups' representatives.
func (o Options) Candidate(docs []Doc, events bool) func(a, b uint32) bool {
	return func(a, b uint32) bool {
		x, y := &docs[a], &docs[b]
		// Most event candidates that pass, pass on their cosine: it is
		// tested first, which spares them the signatures' cache misses.
		return events && !o.CopiesOnly && ownCosine(x, y) >= o.MinCosine || o.SharesText(x, y)
	}
}

// sameSubject reports whether two texts that share text also share their
// heavy terms: their copy cosine is at least CopyCosine.
func (b *builder) sameSubject(x, y int32) bool { return b.subject(x, y) == "" }

// subject is sameSubject's rules: it returns the step that says x and y
// are not about one subject, or "" if they are.
func (b *builder) subject(x, y int32) CopyStep {
	switch {
	case b.opt.CopyCosine <= 0:
		return ""
	case b.sameFamily(x, y) && b.jaccard(x, y) >= b.opt.Threshold &&
		!HoldsTop(b.docs[x].Vec, b.docs[y].Vec) && !HoldsTop(b.docs[y].Vec, b.docs[x].Vec):
		return CopyTemplate // look-alikes that differ in what they are about
	case !(b.familyCosine(x, y) >= b.opt.CopyCosine): // as sameSubject was: a NaN bar makes no copies
		return CopySubject
	}
	return ""
}

// copyApart returns the rule that put x and y, in different groups, apart;
// linked says whether a chain of copy edges joins them.
func (b *builder) copyApart(x, y int32, linked bool) CopyStep {
	if !b.sharesText(x, y) {
		return CopyText
	}
	if step := b.subject(x, y); step != "" {
		return step
	}
	if !linked {
		return CopyUnlinked
	}
	return CopyRepresentative
}

// TopTerms is how many of a text's heaviest terms a look-alike must hold
// to be its copy.
const TopTerms = 3

// HoldsTop reports whether y holds the TopTerms heaviest terms of x. A
// text's heaviest terms name what it is about; a template filled in with
// other names differs from its siblings in exactly those, while copies of
// one text, whatever headline, dateline or footer each outlet added,
// share them (an outlet's furniture is frequent in the corpus and weighs
// little).
func HoldsTop(x, y tfidf.Vector) bool {
	var buf [TopTerms]uint64
	for _, t := range x.AppendHeaviest(buf[:0], TopTerms) {
		if _, ok := slices.BinarySearch(y.Terms, uint32(t)); !ok {
			return false
		}
	}
	return true
}

// familyCosine is the cosine of two texts weighed within their family of
// look-alikes when they have one (see families), else their plain cosine.
// Both levels compare so: a thousand cables of one template, sent to as
// many people, are neither copies nor one event; their template counts for
// little, the names for much.
func (b *builder) familyCosine(x, y int32) float64 {
	if b.sameFamily(x, y) {
		return tfidf.Cosine(b.family[x].vec, b.family[y].vec)
	}
	return b.cosine(x, y)
}

// sameFamily reports whether x and y are members of one family: its rules
// and its weighting are for pairs of its members only.
func (b *builder) sameFamily(x, y int32) bool {
	fx, ok := b.family[x]
	if !ok {
		return false
	}
	fy, ok := b.family[y]
	return ok && fx.id == fy.id
}

// member is a document's place in a family of look-alikes: the family
// (its first member) and the document's vector weighed within it.
type member struct {
	id  int32
	vec tfidf.Vector
}

// MinFamily is the least number of texts, linked by shared text, that are
// weighed as a family at the copy level. Below it, how many members hold a
// term is too coarse to tell a template's text from what fills it in.
const MinFamily = 10

// families weighs the members of every large family of look-alike texts
// (a connected component of pairs that share text) by what varies among
// them. Each term's weight is multiplied by its smoothed inverse frequency
// inside the family, 1 + ln((1+m)/(1+df)) for a family of m texts: the text
// of a template, which every member holds, keeps its weight; the names,
// places and numbers that fill it in, held by few members, weigh up to
// 1 + ln m times more. Copies of one text hold the same terms and stay
// alike; a thousand cables of congratulation, one template with other
// names, no longer are. Terms frequent in the whole corpus (an outlet's
// footer) were already weighed down by the corpus IDF.
func (b *builder) families(edges []uint64) {
	b.family = make(map[int32]member)
	uf := newUnionFind(len(b.docs))
	for _, p := range edges {
		x, y := minhash.Unpack(p)
		if b.jaccard(int32(x), int32(y)) >= b.opt.Threshold {
			uf.union(int32(x), int32(y))
		}
	}
	for _, set := range uf.sets() {
		if len(set) < MinFamily {
			continue
		}
		b.stats.Families++
		df := make(map[uint32]int) // members holding each term
		for _, u := range set {
			for _, t := range b.docs[u].Vec.Terms {
				df[t]++
			}
		}
		m := float64(len(set))
		for _, u := range set {
			b.family[u] = member{set[0], reweigh(b.docs[u].Vec, func(t uint32) float64 {
				return 1 + math.Log((1+m)/float64(1+df[t]))
			})}
		}
	}
}

// reweigh returns v with each weight multiplied by f of its term, scaled
// back to unit length. A vector whose weights all become zero stays zero.
func reweigh(v tfidf.Vector, f func(term uint32) float64) tfidf.Vector {
	w := make([]float64, len(v.Terms))
	for i, t := range v.Terms {
		w[i] = v.Weight(i) * f(t)
	}
	return tfidf.NewVector(v.Terms, w)
}

func (b *builder) cosine(x, y int32) float64 {
	return tfidf.Cosine(b.docs[x].Vec, b.docs[y].Vec)
}

// groupCopies forms the near-duplicate groups from the candidate pairs.
func (b *builder) groupCopies(copyPairs, eventPairs []uint64) {
	uf := newUnionFind(len(b.docs))
	// Both lists are checked in turn rather than merged, which would copy
	// the event pairs, the largest object of the run; a pair in both is
	// verified twice and counted once.
	edges := b.verify(copyPairs, b.sharesText)
	edges = append(edges, b.verify(eventPairs, b.sharesText)...)
	slices.Sort(edges)
	edges = slices.Compact(edges)
	b.families(edges)
	edges = b.verify(edges, b.sameSubject)
	b.record(edges, true)
	for _, p := range edges {
		x, y := minhash.Unpack(p)
		uf.union(int32(x), int32(y))
	}
	b.stats.CopyEdges = len(edges)
	t := b.opt.Trace
	linked := t != nil && uf.find(t[0]) == uf.find(t[1])
	b.group = make([]int32, len(b.docs))
	for i := range b.group {
		b.group[i] = int32(i)
	}
	for _, set := range uf.sets() {
		b.byRank(set)
		var reps []int32
		for _, d := range set {
			// d joins the representative it shares most text with, of
			// those it is a copy of: a lead paragraph contained in a long
			// article and republished whole elsewhere belongs with the
			// republication.
			best, bestJ := int32(-1), -1.0
			for _, r := range reps {
				if j := b.jaccard(d, r); j > bestJ && b.copies(d, r) {
					best, bestJ = r, j
				}
			}
			if best < 0 {
				reps = append(reps, d)
				continue
			}
			b.group[d] = best
		}
	}
	if t != nil && b.group[t[0]] != b.group[t[1]] {
		b.copyWhy = b.copyApart(t[0], t[1], linked)
	}
}
