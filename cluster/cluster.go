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
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/tfidf"
	"gonum.org/v1/gonum/mat"
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
	// texts.
	TooFar bool
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
			t.why.TooFar = b.tooFar(t.x, t.y)
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

// verify returns the pairs for which ok holds, in their order, checking
// them on opt.Workers goroutines.
func (b *builder) verify(pairs []uint64, ok func(x, y int32) bool) []uint64 {
	return minhash.Filter(nil, pairs, func(x, y uint32) bool { return ok(int32(x), int32(y)) }, b.opt.Workers)
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

// refineAll refines each piece and returns their clusters, in the order
// of the pieces. Pieces are independent, and are refined on
// Options.Workers goroutines (one while a pair is traced, whose record
// follows the order of the steps); the result does not depend on their
// number.
func (b *builder) refineAll(pieces [][]int32) [][]int32 {
	outs := make([][][]int32, len(pieces))
	counts := make([][2]int, len(pieces)) // bridges cut, units pruned
	workers := max(1, b.opt.Workers)
	if b.trace != nil {
		workers = 1
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(pieces)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(pieces); i = int(next.Add(1) - 1) {
				outs[i], counts[i][0], counts[i][1] = b.refineCounting(pieces[i], b.eventCosine)
			}
		})
	}
	wg.Wait()
	var clusters [][]int32
	for i, out := range outs {
		clusters = append(clusters, out...)
		b.stats.Cut += counts[i][0]
		b.stats.Pruned += counts[i][1]
	}
	return clusters
}

// An edge is an event edge between two units, with their cosine.
type edge struct {
	x, y int32
	cos  float64
}

// MaxPiece is the most units (groups) refined together: a component of
// more is split at its weakest links first (see splitLarge). Hundreds of
// reports chained by links at the event bar are far more often a chain of
// related events, or a series of look-alikes (daily market reports), than
// one event; and refinement needs the full matrix of their cosines.
const MaxPiece = 100

// MaxWhole is the most units refined together when each is similar to the
// others on average (mean cosine at least MinCosine): such a piece is one
// event however large, and splitting it would break it. Its matrix of
// cosines takes MaxWhole² float64s, 18 MB.
const MaxWhole = 1500

// coherent reports whether every unit's mean cosine to the others reaches
// MinCosine. Units are tried fewest edges first: a chain of reports fails
// at once, at one of its ends.
func (b *builder) coherent(units []int32, edges []edge) bool {
	degree := make(map[int32]int, len(units))
	for _, e := range edges {
		degree[e.x]++
		degree[e.y]++
	}
	order := slices.Clone(units)
	slices.SortStableFunc(order, func(x, y int32) int { return cmp.Compare(degree[x], degree[y]) })
	for _, u := range order {
		sum := 0.0
		for _, v := range units {
			if u != v {
				sum += b.eventCosine(u, v)
			}
		}
		if sum/float64(len(units)-1) < b.opt.MinCosine {
			return false
		}
	}
	return true
}

// barStep is how much splitLarge raises the bar at a time.
const barStep = 0.02

// splitLarge splits a component of more than MaxPiece units at its weakest
// links: the cosine an edge must reach to hold is raised from the event
// bar by barStep at a time, and each connected piece that still holds more
// than MaxPiece units is split again at the next bar, unless it is
// coherent and of at most MaxWhole units. Reports of one event are joined
// by their strongest links, which hold longest; a chain of related reports
// breaks at its weak links; a series of more than MaxWhole look-alikes,
// all alike, at the bar above their likeness, into single reports. edges
// are the component's, with their cosines; step counts the raises, the
// first 1.
func (b *builder) splitLarge(units []int32, edges []edge, step int) [][]int32 {
	if len(units) <= MaxWhole && b.coherent(units, edges) {
		return [][]int32{units} // refinement keeps it whole: it is one event
	}
	bar := b.opt.MinCosine + float64(step)*barStep
	index := make(map[int32]int32, len(units))
	for i, u := range units {
		index[u] = int32(i)
	}
	var kept []edge
	uf := newUnionFind(len(units))
	for _, e := range edges {
		if e.cos >= bar {
			kept = append(kept, e)
			uf.union(index[e.x], index[e.y])
		}
	}
	if t := b.trace; t != nil {
		if i, ok := index[t.x]; ok {
			if j, ok := index[t.y]; ok && uf.find(i) != uf.find(j) {
				t.why.Step, t.why.Bar = StepSplit, bar
			}
		}
	}
	// Each piece still too large is split again at the next bar, with its
	// own edges, sorted out in one pass.
	var pieces, large [][]int32
	of := make(map[int32]int) // root of a large piece -> its index
	for _, set := range uf.sets() {
		piece := make([]int32, len(set))
		for k, i := range set {
			piece[k] = units[i]
		}
		if len(piece) <= MaxPiece || bar > 1 {
			pieces = append(pieces, piece)
			continue
		}
		of[uf.find(set[0])] = len(large)
		large = append(large, piece)
	}
	edgesOf := make([][]edge, len(large))
	for _, e := range kept {
		if k, ok := of[uf.find(index[e.x])]; ok {
			edgesOf[k] = append(edgesOf[k], e)
		}
	}
	kept = nil
	for k, piece := range large {
		// Bars that no edge of the piece falls below would find it whole
		// again: the next is the first above its weakest edge.
		next, weakest := step+1, math.Inf(1)
		for _, e := range edgesOf[k] {
			weakest = min(weakest, e.cos)
		}
		for b.opt.MinCosine+float64(next)*barStep <= min(weakest, 1) {
			next++
		}
		es := edgesOf[k]
		edgesOf[k] = nil // the recursion holds its own
		pieces = append(pieces, b.splitLarge(piece, es, next)...)
	}
	return pieces
}

// refine applies the split-and-prune rule to one component of units, with
// cos the cosine of two units.
func (b *builder) refine(units []int32, cos func(x, y int32) float64) [][]int32 {
	out, cut, pruned := b.refineCounting(units, cos)
	b.stats.Cut += cut
	b.stats.Pruned += pruned
	return out
}

// refineCounting is refine, returning the number of bridges it cut and of
// units it pruned instead of counting them in b.stats, so that pieces can
// be refined at once. It writes nothing of b but the trace.
func (b *builder) refineCounting(units []int32, cos func(x, y int32) float64) (out [][]int32, cut, pruned int) {
	m := len(units)
	s := mat.NewSymDense(m, nil)
	for i := range m {
		s.SetSym(i, i, 1)
		for j := i + 1; j < m; j++ {
			s.SetSym(i, j, cos(units[i], units[j]))
		}
	}
	r := refiner{s: s, bar: b.opt.MinCosine}
	if _, _, ok := b.trace.in(units); ok {
		r.means = make(map[int]float64)
	}
	all := make([]int, m)
	for i := range all {
		all[i] = i
	}
	queue := [][]int{all}
	for len(queue) > 0 {
		set := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if len(set) == 1 {
			out = append(out, []int32{units[set[0]]})
			continue
		}
		parts, n := r.split(set)
		cut += n
		if len(parts) > 1 {
			b.traceSplit(units, set, parts, r)
			queue = append(queue, parts...)
			continue
		}
		kept, left := r.prune(set)
		b.tracePrune(units, kept, left, r)
		if len(left) == 0 {
			c := make([]int32, len(kept))
			for i, k := range kept {
				c[i] = units[k]
			}
			out = append(out, c)
			continue
		}
		pruned += len(left)
		if len(kept) == 0 { // nobody was similar to the rest: all alone
			for _, u := range left {
				out = append(out, []int32{units[u]})
			}
			continue
		}
		queue = append(queue, kept, left)
	}
	return out, cut, pruned
}

// traceSplit records, when set held both traced units and parts parts
// them, whether a weak bridge was cut between them or no chain of links
// joined them.
func (b *builder) traceSplit(units []int32, set []int, parts [][]int, r refiner) {
	i, j, ok := b.trace.in(units)
	if !ok || !slices.Contains(set, i) || !slices.Contains(set, j) {
		return
	}
	for _, p := range parts {
		if slices.Contains(p, i) != slices.Contains(p, j) {
			b.trace.why.Step = StepApart
			if r.connected(set, i, j) {
				b.trace.why.Step = StepBridge
			}
			return
		}
	}
}

// tracePrune records, when pruning parted the traced units, which left and
// its mean cosine to the units it left.
func (b *builder) tracePrune(units []int32, kept, left []int, r refiner) {
	i, j, ok := b.trace.in(units)
	if !ok {
		return
	}
	if len(kept) == 0 && slices.Contains(left, i) && slices.Contains(left, j) {
		b.trace.why.Step = StepAlone
		return
	}
	for _, c := range [][2]int{{i, j}, {j, i}} {
		if slices.Contains(left, c[0]) && slices.Contains(kept, c[1]) {
			b.trace.why.Step, b.trace.why.Left, b.trace.why.Mean = StepPrune, units[c[0]], r.means[c[0]]
		}
	}
}

// connected reports whether a chain of linked pairs within set joins i and
// j.
func (r refiner) connected(set []int, i, j int) bool {
	seen := map[int]bool{i: true}
	queue := []int{i}
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if v == j {
			return true
		}
		for _, w := range set {
			if !seen[w] && r.linked(v, w) {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	return false
}

// refiner holds a component's cosine matrix.
type refiner struct {
	s   *mat.SymDense
	bar float64
	// means, if not nil, receives the mean cosine of each unit pruned to
	// the units it left, for Options.Trace.
	means map[int]float64
}

func (r *refiner) linked(i, j int) bool { return r.s.At(i, j) >= r.bar }

// split returns the connected components of set in the graph of linked
// pairs, after cutting the bridges whose two sides both hold two units or
// more (see cutBridges); cut is the number of bridges cut. Components come
// out in order of their smallest member.
func (r *refiner) split(set []int) (parts [][]int, cut int) {
	k := len(set)
	// Tarjan's bridge finding by iterative DFS over the dense graph.
	disc := make([]int, k) // discovery time + 1; 0 = unvisited
	low := make([]int, k)
	parent := make([]int, k)
	type frame struct{ v, next int }
	var bridges [][2]int
	t := 0
	for root := range k {
		if disc[root] != 0 {
			continue
		}
		t++
		disc[root], low[root], parent[root] = t, t, -1
		stack := []frame{{root, 0}}
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			v := f.v
			if f.next < k {
				w := f.next
				f.next++
				if w == v || !r.linked(set[v], set[w]) {
					continue
				}
				if disc[w] == 0 {
					t++
					disc[w], low[w], parent[w] = t, t, v
					stack = append(stack, frame{w, 0})
				} else if w != parent[v] {
					low[v] = min(low[v], disc[w])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			if p := parent[v]; p >= 0 {
				low[p] = min(low[p], low[v])
				if low[v] > disc[p] {
					bridges = append(bridges, [2]int{p, v})
				}
			}
		}
	}
	uf, cut := r.cutBridges(set, bridges)
	index := make(map[int32]int)
	for v := range k {
		root := uf.find(int32(v))
		i, ok := index[root]
		if !ok {
			i = len(parts)
			index[root] = i
			parts = append(parts, nil)
		}
		parts[i] = append(parts[i], set[v])
	}
	return parts, cut
}

// cutBridges returns the components of the linked graph on set (a
// union-find over indices into set) once its weak bridges are cut, and how
// many were cut; bridges are its bridges, as pairs of indices. They are
// cut one at a time, the weakest link first (ties by index), each only if
// both its sides hold two units or more once the bridges cut before it are
// gone: a bridge between two groups of reports is cut, but a chain of
// reports is cut into pairs, not into lone units, as cutting all its
// bridges at once would leave its middle.
func (r *refiner) cutBridges(set []int, bridges [][2]int) (uf unionFind, cut int) {
	k := len(set)
	// Without its bridges the graph falls into blocks, which the bridges
	// join into a forest; the side of a bridge is a subtree of blocks.
	isBridge := make(map[[2]int]bool, 2*len(bridges))
	for _, e := range bridges {
		isBridge[e], isBridge[[2]int{e[1], e[0]}] = true, true
	}
	uf = newUnionFind(k)
	for v := range k {
		for w := v + 1; w < k; w++ {
			if r.linked(set[v], set[w]) && !isBridge[[2]int{v, w}] {
				uf.union(int32(v), int32(w))
			}
		}
	}
	block := make([]int32, k)
	units := make(map[int32]int) // block -> units in it
	for v := range k {
		block[v] = uf.find(int32(v))
		units[block[v]]++
	}
	type edge struct {
		e   [2]int
		cos float64
		cut bool
	}
	edges := make([]*edge, len(bridges))
	tree := make(map[int32][]*edge) // block -> its bridges
	for i, e := range bridges {
		edges[i] = &edge{e: e, cos: r.s.At(set[e[0]], set[e[1]])}
		a, b := block[e[0]], block[e[1]]
		tree[a] = append(tree[a], edges[i])
		tree[b] = append(tree[b], edges[i])
	}
	slices.SortFunc(edges, func(x, y *edge) int {
		if c := cmp.Compare(x.cos, y.cos); c != 0 {
			return c
		}
		if c := cmp.Compare(min(x.e[0], x.e[1]), min(y.e[0], y.e[1])); c != 0 {
			return c
		}
		return cmp.Compare(max(x.e[0], x.e[1]), max(y.e[0], y.e[1]))
	})
	// side counts the units reachable from block b without crossing a cut
	// bridge or skip.
	side := func(b int32, skip *edge) int {
		seen := map[int32]bool{b: true}
		queue := []int32{b}
		n := 0
		for len(queue) > 0 {
			x := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			n += units[x]
			for _, g := range tree[x] {
				if g == skip || g.cut {
					continue
				}
				y := block[g.e[0]]
				if y == x {
					y = block[g.e[1]]
				}
				if !seen[y] {
					seen[y] = true
					queue = append(queue, y)
				}
			}
		}
		return n
	}
	for _, g := range edges {
		if side(block[g.e[0]], g) >= 2 && side(block[g.e[1]], g) >= 2 {
			g.cut = true
			cut++
		}
	}
	// The blocks, joined again by the bridges left.
	for _, g := range edges {
		if !g.cut {
			uf.union(int32(g.e[0]), int32(g.e[1]))
		}
	}
	return uf, cut
}

// prune removes, one at a time, the unit with the lowest mean cosine to the
// others while that mean is below the bar. Ties go against the later unit.
func (r *refiner) prune(set []int) (kept, left []int) {
	kept = slices.Clone(set)
	sum := make([]float64, len(kept))
	for i, u := range kept {
		for _, v := range kept {
			if u != v {
				sum[i] += r.s.At(u, v)
			}
		}
	}
	for len(kept) > 1 {
		worst := 0
		for i := range kept {
			if sum[i] < sum[worst] || (sum[i] == sum[worst] && kept[i] > kept[worst]) {
				worst = i
			}
		}
		if sum[worst]/float64(len(kept)-1) >= r.bar {
			break
		}
		w := kept[worst]
		if r.means != nil {
			r.means[w] = sum[worst] / float64(len(kept)-1)
		}
		left = append(left, w)
		kept = slices.Delete(kept, worst, worst+1)
		sum = slices.Delete(sum, worst, worst+1)
		for i, u := range kept {
			sum[i] -= r.s.At(u, w)
		}
	}
	if len(kept) == 1 && len(left) > 0 {
		// Nobody was similar to anybody: all are singletons.
		left = append(left, kept[0])
		kept = nil
	}
	slices.Sort(left)
	return kept, left
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
