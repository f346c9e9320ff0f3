package cluster

import (
	"slices"
	"time"

	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/tfidf"
)

// eventCosine is the cosine of two units at the event level: over what
// each says outside the passages the two share (their ownCosine), within
// their family if they are look-alikes of one (whose members share their
// template's lines), or 0 if they were published more than Options.Window
// apart.
func (b *builder) eventCosine(x, y int32) float64 {
	switch {
	case b.tooFar(x, y):
		return 0
	case b.sameFamily(x, y):
		return b.familyCosine(x, y)
	}
	return ownCosine(&b.docs[x], &b.docs[y])
}

// ownCosine is the cosine of two documents over what each says outside the
// passages they share verbatim. An outlet's background paragraphs repeated
// under a new lead, the teasers of other stories on a scraped page, a
// footer: a line two texts share was copied by one from the other, and says
// nothing of whether they report one event. Copies share most of their
// lines, and are told by their shingles before this level.
func ownCosine(x, y *Doc) float64 {
	return tfidf.OwnCosine(x.Vec, x.Passages, y.Vec, y.Passages)
}

// tooFar reports whether the groups of units x and y were first published
// more than Options.Window apart.
func (b *builder) tooFar(x, y int32) bool {
	if b.first == nil {
		return false
	}
	tx, ty := b.first[x], b.first[y]
	return tx != 0 && ty != 0 && max(tx-ty, ty-tx) > int64(b.opt.Window/time.Second)
}

// dates sets b.first when Options.Window asks for it: each group is dated
// by its first publication, the earliest known time of its members. A text
// republished weeks later (a wire story, a template of bulletins grouped
// as copies) is still the report of what happened when it first
// appeared; dated by the span of its members' times instead, one such
// group let a cluster of missile-interception bulletins run from April to
// August on ANT, each bulletin within a week of some copy in the group.
func (b *builder) dates() {
	if b.opt.Window <= 0 {
		return
	}
	b.first = make([]int64, len(b.docs))
	for x, d := range b.docs {
		if g := b.group[x]; d.Time != 0 && (b.first[g] == 0 || d.Time < b.first[g]) {
			b.first[g] = d.Time
		}
	}
}

// clusterEvents clusters the groups; it returns the clusters as lists of
// group representatives.
func (b *builder) clusterEvents(copyPairs, eventPairs []uint64) [][]int32 {
	// Candidate pairs of documents become pairs of their groups, in place:
	// the document pairs are not needed after this.
	toGroups := func(ps []uint64) []uint64 {
		out := ps[:0]
		for _, p := range ps {
			x, y := minhash.Unpack(p)
			if gx, gy := b.group[x], b.group[y]; gx != gy {
				out = append(out, uint64(min(gx, gy))<<32|uint64(max(gx, gy)))
			}
		}
		return out
	}
	pairs := append(toGroups(eventPairs), toGroups(copyPairs)...)
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	edges := b.verify(pairs, func(x, y int32) bool { return b.eventCosine(x, y) >= b.opt.MinCosine })
	b.stats.EventEdges = len(edges)
	b.record(edges, false)
	uf := newUnionFind(len(b.docs))
	for _, p := range edges {
		x, y := minhash.Unpack(p)
		uf.union(int32(x), int32(y))
	}
	comps := uf.sets()
	// The edges of each component too large to refine whole, with their
	// cosines, to split it at its weakest links.
	large := make(map[int32]int) // unit -> index of its large component
	var n int
	for _, comp := range comps {
		if len(comp) > MaxPiece {
			for _, u := range comp {
				large[u] = n
			}
			n++
		}
	}
	largeEdges := make([][]edge, n)
	for _, p := range edges {
		x, y := minhash.Unpack(p)
		if k, ok := large[int32(x)]; ok {
			largeEdges[k] = append(largeEdges[k], edge{int32(x), int32(y), b.eventCosine(int32(x), int32(y))})
		}
	}
	var pieces [][]int32
	for _, comp := range comps {
		_, _, traced := b.trace.in(comp)
		if traced {
			t := b.trace
			t.why.Units, t.why.Cosine = len(comp), b.eventCosine(t.x, t.y)
		}
		if len(comp) > MaxPiece {
			b.stats.Split++
			pieces = append(pieces, b.splitLarge(comp, largeEdges[large[comp[0]]], 1)...)
		} else {
			pieces = append(pieces, comp)
		}
	}
	return b.refineAll(pieces)
}
