// Package cluster groups documents at two levels: near-duplicate groups
// (copies of one text) nested inside event clusters (reports of one event).
//
// Both levels start from candidate pairs (found by LSH) and accept a pair
// only after verifying it; neither level takes connected components as they
// are, because a chain of pairs, each similar, links texts that are not
// similar at all.
//
// Copies. Two documents are copies when they share most of their text and
// what it is about. Text: the estimated Jaccard similarity of their
// shingle sets is at least Threshold, or one is mostly contained in the
// other (a republication with a lead paragraph added, or truncated): the
// share of the smaller set's shingles found in the larger, estimated from
// the Jaccard similarity J and the set sizes as J/(1+J)·(|A|+|B|)/min(|A|,|B|),
// is at least Containment. Subject: their TF-IDF cosine is at least
// CopyCosine; a template filled in with other names and places, or a short
// text of boilerplate contained in many pages, shares text but not the
// heavy terms. Candidate
// pairs of both LSH indexes are checked. Within each connected component of
// copy pairs, documents are taken in representative order (longest first,
// ties by smallest id) and each joins, of the groups whose representative
// it is a copy of, the one whose representative it shares most text with
// (highest estimated Jaccard), or starts a group of its own. Every member
// of a group is thus a copy of the group's representative, not merely of a
// neighbour.
//
// Look-alikes. Ten or more texts linked by Jaccard ≥ Threshold are a
// family (see families): a pair of them with Jaccard ≥ Threshold is a copy
// only if one holds the other's TopTerms heaviest terms, and its cosine is
// weighed by what varies in the family. A template filled in with other
// names is thus not a copy of its siblings.
//
// Events. Groups are the units of the second level, each stood for by its
// representative's TF-IDF vector. Two units are compared by the cosine of
// what each says outside the lines they share verbatim (Doc.Passages,
// tfidf.OwnCosine): independent reports of one event share words, not
// lines, and a line two texts share (an outlet's background paragraph
// repeated under a new lead, a teaser of another story) says nothing of
// whether they report one event. A candidate pair of units (from either
// LSH) whose cosine is at least MinCosine is an event edge; two units of
// one family of look-alikes are compared, here too, by their cosine weighed
// within it. Each connected
// component of event edges is then refined on the full matrix of cosines
// between its units (computed once, held in a gonum SymDense):
//
//  1. Split at weak links: in the graph of pairs with cosine ≥ MinCosine,
//     the bridges (edges whose removal disconnects the graph) are cut one
//     at a time, the weakest first, each if both its sides still hold two
//     units or more: two groups joined by one link are two events.
//  2. Prune: while some unit's mean cosine to the other units of its cluster
//     is below MinCosine, the unit with the lowest mean leaves. A member must
//     be similar to the cluster as a whole, not to one neighbour.
//  3. Units that left are clustered again among themselves, by the same
//     two steps; so are the remaining units if anything left.
//
// With Options.Window, two units first published further apart than the
// window (a unit is dated by its earliest member) have an event cosine of 0
// throughout: a topic that runs for months is not one event.
//
// A component of more than [MaxPiece] units is first split at its weakest
// links: the cosine a link must reach is raised, 0.02 at a time, until
// every connected piece holds MaxPiece units or fewer; each piece is then
// refined as above. A coherent piece (every unit's mean cosine to the
// others at least MinCosine) of at most MaxWhole units is not split.
//
// The representative of a group or a cluster is its longest document (ties
// by smallest id), or, as Options.Keep says, its first or shortest; the
// group or cluster is named after it.
package cluster

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/tfidf"
)

// A Doc is what clustering needs to know of a document.
type Doc struct {
	ID   string       // unique
	Size int          // length of the normalized text in code points
	Sig  []uint16     // MinHash signature of its shingles (16 bits a value); empty if it has none
	Set  int          // number of distinct shingles
	Vec  tfidf.Vector // TF-IDF vector of its terms
	// Passages tells which of Vec's terms occur in which of its lines, for
	// the event level to weigh only what a text does not share verbatim
	// with the other (see [tfidf.OwnCosine]); zero if unknown.
	Passages tfidf.Passages
	// Time is when the document was published, in Unix seconds; 0 if
	// unknown (no news of 1 January 1970, 00:00 UTC, is expected).
	Time int64
}

// Options are the similarity thresholds.
type Options struct {
	Threshold float64 // estimated Jaccard at or above which a text is a copy
	// Containment is the estimated share of the smaller text's shingles
	// found in the larger at or above which the smaller is a copy; zero
	// turns the rule off. CopyCosine is the TF-IDF cosine two copies must
	// reach; zero turns that check off.
	Containment, CopyCosine float64
	MinCosine               float64 // TF-IDF cosine at or above which two reports are of one event
	Workers                 int     // goroutines verifying candidate pairs and refining components; 0 or 1: one
	Edges                   bool    // return the verified pairs with their evidence
	Keep                    Keep    // which document represents a group or cluster
	// Window, if positive, is the longest time between two reports of one
	// event: two groups first published further apart than that (each
	// group dated by the earliest known time of its members) have an event
	// cosine of 0, so they are neither linked nor counted as similar when a
	// cluster is refined. A group none of whose members has a known time is
	// never too far. Copies are not bound by it: a text republished a month
	// later is still a copy.
	Window time.Duration
	// CopiesOnly skips the event level: each group is a cluster of its
	// own, and event candidates are tested for shared text only. Groups
	// are the same as without it.
	CopiesOnly bool
	// Trace, if set, names two documents whose separation into different
	// clusters Build explains in Result.Why, and into different groups in
	// Result.CopyWhy.
	Trace *[2]int32
}

// Keep is the rule that picks the representative of a group or a cluster:
// the document a dedup keeps, and the one the cluster is named after.
type Keep uint8

const (
	Longest  Keep = iota // the longest normalized text, ties by smallest id
	First                // the first in input order
	Shortest             // the shortest normalized text, ties by smallest id
)

// ParseKeep parses "longest", "first" or "shortest".
func ParseKeep(s string) (Keep, bool) {
	switch s {
	case "longest":
		return Longest, true
	case "first":
		return First, true
	case "shortest":
		return Shortest, true
	}
	return 0, false
}

// String returns the name ParseKeep accepts.
func (k Keep) String() string {
	if k > Shortest {
		return fmt.Sprintf("Keep(%d)", k)
	}
	return [...]string{"longest", "first", "shortest"}[k]
}

// An Edge is a verified candidate pair: two documents found to be copies,
// or two groups' representatives found to report one event.
type Edge struct {
	A, B    int32   // document numbers, A < B
	Copy    bool    // a copy pair (else an event pair of representatives)
	Jaccard float64 // estimated Jaccard similarity
	// Cosine is the TF-IDF cosine: for copies, within their family if they
	// have one; for event pairs, the event cosine that made the edge, over
	// what each says outside the passages they share (see Doc.Passages).
	Cosine float64
}

// A Result is the outcome of Build.
type Result struct {
	Assign []Assignment // by document number
	Stats  Stats
	Edges  []Edge // with Options.Edges: copy pairs, then event pairs, each sorted
	// Why tells, with Options.Trace, why its two documents are in different
	// clusters; nil if they are in one.
	Why *Separation
	// CopyWhy tells, with Options.Trace, why its two documents are in
	// different near-duplicate groups; empty if they are in one.
	CopyWhy CopyStep
}

// A CopyStep names the rule that put two documents in different
// near-duplicate groups.
type CopyStep string

// The rules that part two documents at the copy level, in the order they
// are applied.
const (
	// CopyText: they do not share enough text (Options.SharesText).
	CopyText CopyStep = "text"
	// CopyTemplate: look-alikes of one family, with Jaccard at least
	// Threshold, of which neither holds the other's TopTerms heaviest
	// terms: a template filled in with other names.
	CopyTemplate CopyStep = "template"
	// CopySubject: they share text, but their cosine (weighed within their
	// family, if they are look-alikes of one) is below CopyCosine.
	CopySubject CopyStep = "subject"
	// CopyUnlinked: copies as a pair, but no chain of verified candidate
	// pairs joins them: they were never paired as candidates (they share
	// no band of either LSH index, or only buckets over the cap, whose
	// documents are paired with their successor only), nor were texts
	// between them.
	CopyUnlinked CopyStep = "unlinked"
	// CopyRepresentative: copies as a pair and linked, but they ended
	// under different representatives: documents are taken in
	// representative order, and each joins, of the representatives before
	// it that it is a copy of, the one it shares most text with, or starts
	// a group of its own.
	CopyRepresentative CopyStep = "representative"
)

// A Step is a step of event clustering that parts two groups.
type Step string

// The steps that part two groups.
const (
	// StepComponent: no chain of event edges joins them.
	StepComponent Step = "component"
	// StepSplit: their component, too large to refine whole, was split at
	// its weakest links, and at the bar Separation.Bar they fell in
	// different pieces.
	StepSplit Step = "split"
	// StepBridge: the weak link between their two parts was cut.
	StepBridge Step = "bridge"
	// StepApart: in what was left to cluster again, no chain of links at
	// or above MinCosine joins them.
	StepApart Step = "apart"
	// StepPrune: one left a cluster whose other units it was not similar
	// to on average.
	StepPrune Step = "prune"
	// StepAlone: pruning their set left every unit alone.
	StepAlone Step = "alone"
)

// A Separation tells why two documents are in different clusters: the step
// that parted their groups (represented by their representatives, the
// units of the event level).
type Separation struct {
	// Step is the step that parted them.
	Step Step
	// Units is the size of their component of event edges, in groups.
	Units int
	// Cosine is the cosine of the two representatives. For "split", Bar
	// is the cosine a link had to reach when they parted; for "prune",
	// Left is the representative whose group left (one of the two), and
	// Mean its mean cosine to the units it left.
	Cosine, Bar float64
	Left        int32
	Mean        float64
	// TooFar is true when their groups were first published more than
	// Options.Window apart: their event cosine is then 0, whatever their
	// texts. First then holds when each group was first published (Unix
	// seconds), the group of Options.Trace[0] first.
	TooFar bool
	First  [2]int64
}

// An Assignment places one document.
type Assignment struct {
	Cluster     int     // index of the cluster's representative
	ClusterSize int     // documents in the cluster
	Group       int     // index of the near-duplicate group's representative
	GroupSize   int     // documents in the group
	Jaccard     float64 // estimated Jaccard to the group's representative
	Cosine      float64 // TF-IDF cosine to the cluster's representative
	// Family is the index of the first member of the document's family of
	// look-alikes (see [MinFamily]), whose rules apply between its members;
	// -1 if it is in none.
	Family int
}

// Stats counts what clustering did.
type Stats struct {
	CopyEdges  int // candidate pairs verified as copies
	EventEdges int // candidate pairs of groups verified as one event
	Cut        int // weak links cut
	Pruned     int // units that left a cluster they were not similar to
	Split      int // components too large to refine whole, split at their weakest links
	Families   int // families of look-alike texts weighed by what varies among them
}

// Build places every document. copyPairs and eventPairs are candidate pairs
// packed as by [minhash.Index.Pairs], possibly already tested with
// [Options.Candidate]; copy candidates are also event candidates. Build
// reuses the memory of both lists: their contents are lost. The result is
// a pure function of its arguments.
func Build(docs []Doc, copyPairs, eventPairs []uint64, opt Options) Result {
	b := &builder{docs: docs, opt: opt}
	b.rankDocs()
	b.groupCopies(copyPairs, eventPairs)
	var clusters [][]int32
	if opt.CopiesOnly {
		for x, g := range b.group {
			if g == int32(x) {
				clusters = append(clusters, []int32{g})
			}
		}
	} else {
		if t := opt.Trace; t != nil && b.group[t[0]] != b.group[t[1]] {
			b.trace = &tracer{x: b.group[t[0]], y: b.group[t[1]]}
		}
		b.dates()
		if t := b.trace; t != nil {
			if t.why.TooFar = b.tooFar(t.x, t.y); t.why.TooFar {
				t.why.First = [2]int64{b.first[t.x], b.first[t.y]}
			}
		}
		clusters = b.clusterEvents(copyPairs, eventPairs)
	}
	r := Result{Assign: b.assign(clusters), Stats: b.stats, Edges: b.edges, CopyWhy: b.copyWhy}
	if t := b.trace; t != nil && r.Assign[t.x].Cluster != r.Assign[t.y].Cluster {
		r.Why = &t.why
		if r.Why.Step == "" {
			r.Why.Step = StepComponent
		}
	}
	return r
}

// tracer follows two group representatives through clustering, for
// Options.Trace.
type tracer struct {
	x, y int32
	why  Separation
}

// in reports whether units holds both traced units, and their indices.
func (t *tracer) in(units []int32) (i, j int, ok bool) {
	if t == nil {
		return 0, 0, false
	}
	i, j = slices.Index(units, t.x), slices.Index(units, t.y)
	return i, j, i >= 0 && j >= 0
}

type builder struct {
	docs  []Doc
	opt   Options
	rank  []int32 // position in representative order
	group []int32 // group representative of each document
	// family holds the members of large families of look-alike texts,
	// with their family-weighted vectors.
	family map[int32]member
	stats  Stats
	edges  []Edge
	trace  *tracer // with Options.Trace
	// copyWhy, with Options.Trace, is why its documents are in different
	// groups.
	copyWhy CopyStep
	// first holds, with Options.Window, the earliest known time of each
	// group's members, by representative; 0 if none is known.
	first []int64
}

// record keeps the evidence of verified pairs when asked to.
func (b *builder) record(pairs []uint64, copy bool) {
	if !b.opt.Edges {
		return
	}
	for _, p := range pairs {
		x, y := minhash.Unpack(p)
		e := Edge{A: int32(x), B: int32(y), Copy: copy, Jaccard: b.jaccard(int32(x), int32(y))}
		if copy {
			e.Cosine = b.familyCosine(e.A, e.B)
		} else {
			e.Cosine = b.eventCosine(e.A, e.B)
		}
		b.edges = append(b.edges, e)
	}
}

// rankDocs computes the representative order of Options.Keep.
func (b *builder) rankDocs() {
	order := make([]int32, len(b.docs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		switch b.opt.Keep {
		case First:
			return cmp.Compare(x, y)
		case Shortest:
			if c := cmp.Compare(b.docs[x].Size, b.docs[y].Size); c != 0 {
				return c
			}
		default:
			if c := cmp.Compare(b.docs[y].Size, b.docs[x].Size); c != 0 {
				return c
			}
		}
		return cmp.Compare(b.docs[x].ID, b.docs[y].ID)
	})
	b.rank = make([]int32, len(b.docs))
	for r, i := range order {
		b.rank[i] = int32(r)
	}
}

func (b *builder) byRank(s []int32) {
	slices.SortFunc(s, func(x, y int32) int { return cmp.Compare(b.rank[x], b.rank[y]) })
}

// verify returns the pairs for which ok holds, in their order, checking
// them on opt.Workers goroutines.
func (b *builder) verify(pairs []uint64, ok func(x, y int32) bool) []uint64 {
	return minhash.Filter(nil, pairs, func(x, y uint32) bool { return ok(int32(x), int32(y)) }, b.opt.Workers)
}

// assign turns groups and clusters into per-document assignments.
func (b *builder) assign(clusters [][]int32) []Assignment {
	clusterRep := make([]int32, len(b.docs)) // by group representative
	for i := range clusterRep {
		clusterRep[i] = int32(i)
	}
	for _, c := range clusters {
		b.byRank(c)
		for _, g := range c {
			clusterRep[g] = c[0]
		}
	}
	out := make([]Assignment, len(b.docs))
	groupSize := make([]int32, len(b.docs))   // by group representative
	clusterSize := make([]int32, len(b.docs)) // by cluster representative
	for i := range b.docs {
		g := b.group[i]
		c := clusterRep[g]
		groupSize[g]++
		clusterSize[c]++
		a := Assignment{Cluster: int(c), Group: int(g), Jaccard: 1, Cosine: 1, Family: -1}
		if m, ok := b.family[int32(i)]; ok {
			a.Family = int(m.id)
		}
		if int32(i) != g {
			a.Jaccard = b.jaccard(int32(i), g)
		}
		if int32(i) != c {
			a.Cosine = b.cosine(int32(i), c)
		}
		out[i] = a
	}
	for i := range out {
		out[i].GroupSize = int(groupSize[out[i].Group])
		out[i].ClusterSize = int(clusterSize[out[i].Cluster])
	}
	return out
}
