package cluster

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/neardup/neardup/tfidf"
	"gonum.org/v1/gonum/mat"
)

// vec builds a unit vector from term→weight pairs (weights need not be
// normalized).
func vec(ws map[uint32]float32) tfidf.Vector {
	var terms []uint32
	for t := range ws {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	w := make([]float64, len(terms))
	for i, t := range terms {
		w[i] = float64(ws[t])
	}
	return tfidf.NewVector(terms, w)
}

func pair(a, b int) uint64 { return uint64(a)<<32 | uint64(b) }

// allPairs lists every pair of n documents as candidates.
func allPairs(n int) []uint64 {
	var ps []uint64
	for a := range n {
		for b := a + 1; b < n; b++ {
			ps = append(ps, pair(a, b))
		}
	}
	return ps
}

// clusterIDs returns, per document, the id of its cluster's representative.
func clusterIDs(docs []Doc, as []Assignment) string {
	s := ""
	for i, a := range as {
		if i > 0 {
			s += " "
		}
		s += docs[a.Cluster].ID
	}
	return s
}

func TestChainIsNotOneCluster(t *testing.T) {
	// A chain a-b-c-d-e: each neighbour shares two of its three terms,
	// documents two apart share one, further ones none.
	var docs []Doc
	for i := range 5 {
		docs = append(docs, Doc{
			ID:   fmt.Sprintf("d%d", i),
			Size: 100 - i,
			Vec:  vec(map[uint32]float32{uint32(i): 1, uint32(i + 1): 1, uint32(i + 2): 1}),
		})
	}
	r := Build(docs, nil, allPairs(5), Options{Threshold: 0.5, MinCosine: 0.5})
	as, st := r.Assign, r.Stats
	_ = st
	for _, a := range as {
		if a.ClusterSize > 3 {
			t.Fatalf("chain became a cluster of %d: %s", a.ClusterSize, clusterIDs(docs, as))
		}
	}
	// The chain's ends are apart, and every member of a cluster is similar
	// to the cluster as a whole: its mean cosine to the others reaches
	// MinCosine.
	if as[0].Cluster == as[4].Cluster {
		t.Errorf("the chain's ends share a cluster: %s", clusterIDs(docs, as))
	}
	for i, a := range as {
		var sum float64
		n := 0
		for j, b := range as {
			if j != i && b.Cluster == a.Cluster {
				sum += tfidf.Cosine(docs[i].Vec, docs[j].Vec)
				n++
			}
		}
		if n > 0 && sum/float64(n) < 0.5 {
			t.Errorf("%s: mean cosine %.2f to the rest of its cluster", docs[i].ID, sum/float64(n))
		}
	}
	if st.Cut+st.Pruned == 0 {
		t.Errorf("nothing was cut or pruned: %+v", st)
	}
}

// TestRefinementWorkers: forty chains like TestChainIsNotOneCluster's,
// each its own component, are refined on one goroutine or several to the
// same clusters and the same counts of cuts and prunings.
func TestRefinementWorkers(t *testing.T) {
	var docs []Doc
	var pairs []uint64
	for c := range 40 {
		base := len(docs)
		for i := range 5 + c%4 {
			term := uint32(100*c + i)
			docs = append(docs, Doc{
				ID:   fmt.Sprintf("c%d-%d", c, i),
				Size: 100 - i,
				Vec:  vec(map[uint32]float32{term: 1, term + 1: 1, term + 2: 1}),
			})
		}
		for a := base; a < len(docs); a++ {
			for b := a + 1; b < len(docs); b++ {
				pairs = append(pairs, pair(a, b))
			}
		}
	}
	one := Build(docs, nil, pairs, Options{Threshold: 0.5, MinCosine: 0.5})
	if one.Stats.Cut+one.Stats.Pruned == 0 {
		t.Fatalf("nothing was cut or pruned: %+v", one.Stats)
	}
	for _, w := range []int{2, 3, 8} {
		r := Build(docs, nil, pairs, Options{Threshold: 0.5, MinCosine: 0.5, Workers: w})
		if clusterIDs(docs, r.Assign) != clusterIDs(docs, one.Assign) || r.Stats != one.Stats {
			t.Errorf("%d workers: clusters %s, stats %+v; one worker: %s, %+v",
				w, clusterIDs(docs, r.Assign), r.Stats, clusterIDs(docs, one.Assign), one.Stats)
		}
	}
}

// TestChainIsCutIntoPairs: a chain of six reports, neighbours at cosine
// 0.5 and others unlinked, is cut at its weak links one at a time, into
// pairs: cutting every bridge at once left the middle two alone, linked at
// 0.5 but in no cluster.
func TestChainIsCutIntoPairs(t *testing.T) {
	const m = 6
	s := mat.NewSymDense(m, nil)
	for i := range m {
		s.SetSym(i, i, 1)
		if i+1 < m {
			s.SetSym(i, i+1, 0.5)
		}
	}
	r := refiner{s: s, bar: 0.3}
	parts, cut := r.split([]int{0, 1, 2, 3, 4, 5})
	if got := fmt.Sprint(parts); got != "[[0 1] [2 3] [4 5]]" || cut != 2 {
		t.Errorf("split into %s with %d cuts, want [[0 1] [2 3] [4 5]] with 2", got, cut)
	}
}

func TestTwoGroupsJoinedByOneLinkAreSplit(t *testing.T) {
	// Two tight triangles {0,1,2} and {3,4,5}, joined by one edge 2-3.
	base := []map[uint32]float32{
		{1: 1, 2: 1, 3: 1, 100: 0.1}, {1: 1, 2: 1, 3: 1, 101: 0.1}, {1: 1, 2: 1, 3: 1, 50: 1.2},
		{7: 1, 8: 1, 9: 1, 50: 1.2}, {7: 1, 8: 1, 9: 1, 104: 0.1}, {7: 1, 8: 1, 9: 1, 105: 0.1},
	}
	var docs []Doc
	for i, m := range base {
		docs = append(docs, Doc{ID: fmt.Sprintf("d%d", i), Size: 10, Vec: vec(m)})
	}
	r := Build(docs, nil, allPairs(6), Options{Threshold: 0.5, MinCosine: 0.3})
	as, st := r.Assign, r.Stats
	_ = st
	got := clusterIDs(docs, as)
	if want := "d0 d0 d0 d3 d3 d3"; got != want {
		t.Errorf("clusters %s, want %s (stats %+v)", got, want, st)
	}
	if st.Cut != 1 {
		t.Errorf("cut %d links, want 1", st.Cut)
	}
}

func TestCopiesNestInsideClusters(t *testing.T) {
	sig := func(vals ...uint16) []uint16 { return vals }
	event := vec(map[uint32]float32{1: 1, 2: 1})
	docs := []Doc{
		{ID: "a", Size: 50, Sig: sig(1, 2, 3, 4), Vec: event},
		{ID: "b", Size: 40, Sig: sig(1, 2, 3, 9), Vec: event}, // copy of a (J 0.75)
		{ID: "c", Size: 60, Sig: sig(5, 6, 7, 8), Vec: event}, // same event, own text
		{ID: "d", Size: 10, Sig: nil, Vec: tfidf.Vector{}},    // empty
		{ID: "e", Size: 10, Sig: nil, Vec: tfidf.Vector{}},    // empty
		{ID: "f", Size: 45, Sig: sig(1, 9, 3, 9), Vec: event}, // copy of b (J 0.75), not of a (0.5 < 0.6)
	}
	r := Build(docs, allPairs(6), allPairs(6), Options{Threshold: 0.6, MinCosine: 0.5})
	as, st := r.Assign, r.Stats
	_ = st
	want := []struct {
		cluster, group   string
		clusterN, groupN int
	}{
		{"c", "a", 4, 2}, {"c", "a", 4, 2}, {"c", "c", 4, 1}, {"d", "d", 1, 1}, {"e", "e", 1, 1}, {"c", "f", 4, 1},
	}
	for i, w := range want {
		a := as[i]
		if docs[a.Cluster].ID != w.cluster || docs[a.Group].ID != w.group || a.ClusterSize != w.clusterN || a.GroupSize != w.groupN {
			t.Errorf("%s: cluster %s (%d), group %s (%d); want %s (%d), %s (%d)", docs[i].ID,
				docs[a.Cluster].ID, a.ClusterSize, docs[a.Group].ID, a.GroupSize, w.cluster, w.clusterN, w.group, w.groupN)
		}
	}
	if as[1].Jaccard != 0.75 {
		t.Errorf("b's Jaccard to a: %v", as[1].Jaccard)
	}
}

// TestEventCandidatesFindCopies checks that a copy pair found by the event
// LSH alone is grouped, with the containment rule off too.
func TestEventCandidatesFindCopies(t *testing.T) {
	sig := func(vals ...uint16) []uint16 { return vals }
	event := vec(map[uint32]float32{1: 1, 2: 1})
	docs := []Doc{
		{ID: "a", Size: 50, Set: 40, Sig: sig(1, 2, 3, 4), Vec: event},
		{ID: "b", Size: 40, Set: 40, Sig: sig(1, 2, 3, 9), Vec: event}, // J 0.75
	}
	for _, containment := range []float64{0, 0.8} {
		r := Build(docs, nil, []uint64{pair(0, 1)}, Options{Threshold: 0.6, Containment: containment, MinCosine: 0.5})
		if r.Assign[1].Group != 0 {
			t.Errorf("containment %v: b not grouped with a", containment)
		}
	}
}

// TestCopiesOnly checks that a run of copies only finds the groups of a
// full run, each its own cluster, and tests no event pair.
func TestCopiesOnly(t *testing.T) {
	sig := func(vals ...uint16) []uint16 { return vals }
	event := vec(map[uint32]float32{1: 1, 2: 1})
	docs := []Doc{
		{ID: "a", Size: 50, Sig: sig(1, 2, 3, 4), Vec: event},
		{ID: "b", Size: 40, Sig: sig(1, 2, 3, 9), Vec: event}, // copy of a
		{ID: "c", Size: 60, Sig: sig(5, 6, 7, 8), Vec: event}, // same event, own text
		{ID: "d", Size: 45, Sig: sig(1, 9, 3, 9), Vec: event}, // copy of b, not of a
	}
	opt := Options{Threshold: 0.6, MinCosine: 0.5}
	full := Build(docs, allPairs(4), allPairs(4), opt)
	opt.CopiesOnly = true
	only := Build(docs, allPairs(4), allPairs(4), opt)
	if only.Stats.EventEdges != 0 {
		t.Errorf("%d event edges", only.Stats.EventEdges)
	}
	for i, a := range only.Assign {
		f := full.Assign[i]
		if a.Group != f.Group || a.GroupSize != f.GroupSize || a.Jaccard != f.Jaccard {
			t.Errorf("%s: group %s (%d, J %v); full run %s (%d, J %v)", docs[i].ID,
				docs[a.Group].ID, a.GroupSize, a.Jaccard, docs[f.Group].ID, f.GroupSize, f.Jaccard)
		}
		if a.Cluster != a.Group || a.ClusterSize != a.GroupSize {
			t.Errorf("%s: cluster %s (%d), group %s (%d)", docs[i].ID, docs[a.Cluster].ID, a.ClusterSize,
				docs[a.Group].ID, a.GroupSize)
		}
	}
	if full.Assign[2].Cluster != full.Assign[0].Cluster {
		t.Errorf("the full run should put c with a's group: the test proves nothing")
	}
	// Candidate tests event pairs for shared text only.
	if !opt.Candidate(docs, false)(0, 1) || opt.Candidate(docs, true)(0, 2) {
		t.Errorf("Candidate with CopiesOnly: a,b %v (want true), a,c %v (want false)",
			opt.Candidate(docs, false)(0, 1), opt.Candidate(docs, true)(0, 2))
	}
	opt.CopiesOnly = false
	if !opt.Candidate(docs, true)(0, 2) {
		t.Errorf("Candidate for events: a,c not kept")
	}
}

// TestLargeComponentIsSplit: a chain of 1,501 reports on one topic, each
// also with a term of its own, is one component far too large to refine
// whole: it is split at its weakest links into pieces of MaxPiece or
// fewer, and every member of a cluster is similar to its representative.
func TestLargeComponentIsSplit(t *testing.T) {
	n := 1501
	var docs []Doc
	for i := range n {
		// Weights vary a little, so that links differ in strength.
		docs = append(docs, Doc{ID: fmt.Sprintf("d%05d", i), Size: 10, Vec: vec(map[uint32]float32{1: 1, uint32(1000 + i): 0.3 + float32(i%7)/10})})
	}
	var pairs []uint64
	for i := 1; i < n; i++ {
		pairs = append(pairs, pair(i-1, i))
	}
	r := Build(docs, nil, pairs, Options{Threshold: 0.5, MinCosine: 0.5})
	if r.Stats.Split != 1 {
		t.Fatalf("stats %+v", r.Stats)
	}
	for i, a := range r.Assign {
		if a.ClusterSize > MaxPiece || a.Cosine < 0.5 {
			t.Fatalf("%s: cluster of %d, cosine %.2f to its representative", docs[i].ID, a.ClusterSize, a.Cosine)
		}
	}
}

func TestContainedTextIsACopy(t *testing.T) {
	event := vec(map[uint32]float32{1: 1, 2: 1})
	other := vec(map[uint32]float32{7: 1, 8: 1})
	long := []uint16{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	// J = 0.3 with sets of 1000 and 300 shingles: the short text's share in
	// the long one is 0.3/1.3 × 1300/300 = 1.
	short := []uint16{1, 2, 3, 0, 0, 0, 0, 0, 0, 0}
	docs := []Doc{
		{ID: "long", Size: 1000, Sig: long, Set: 1000, Vec: event},
		{ID: "lead-added", Size: 300, Sig: short, Set: 300, Vec: event},
		{ID: "boilerplate", Size: 300, Sig: []uint16{1, 2, 3, 20, 21, 22, 23, 24, 25, 26}, Set: 300, Vec: other},
		{ID: "same-size", Size: 900, Sig: []uint16{1, 2, 3, 30, 31, 32, 33, 34, 35, 36}, Set: 1000, Vec: event},
	}
	r := Build(docs, nil, allPairs(4), Options{Threshold: 0.6, Containment: 0.8, CopyCosine: 0.5, MinCosine: 0.9})
	as, st := r.Assign, r.Stats
	_ = st
	groups := ""
	for _, a := range as {
		groups += docs[a.Group].ID + " "
	}
	// "boilerplate" is contained but about something else; "same-size"
	// shares 0.3/1.3 × 2 = 46% of its text with "long": neither is a copy.
	if want := "long long boilerplate same-size "; groups != want {
		t.Errorf("groups %q, want %q", groups, want)
	}
	r = Build(docs, nil, allPairs(4), Options{Threshold: 0.6, MinCosine: 0.9})
	as = r.Assign
	if as[1].Group != 1 {
		t.Errorf("containment off: lead-added grouped with %s", docs[as[1].Group].ID)
	}
}

// TestCopyJoinsItsClosestRepresentative: a short text contained in a long
// article (J 0.3) and republished almost whole in a mid-length one (J 0.8)
// joins the mid-length one's group, though the long one ranks first.
func TestCopyJoinsItsClosestRepresentative(t *testing.T) {
	v := vec(map[uint32]float32{1: 1, 2: 1})
	docs := []Doc{
		{ID: "long", Size: 1000, Set: 1000, Vec: v, Sig: []uint16{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		// J 0.2 with long: 0.2/1.2 × 1400/400 = 58% of it is in long.
		{ID: "mid", Size: 400, Set: 400, Vec: v, Sig: []uint16{1, 2, 60, 40, 41, 42, 43, 44, 45, 61}},
		// J 0.3 with long: all of it is in long; J 0.8 with mid.
		{ID: "short", Size: 300, Set: 300, Vec: v, Sig: []uint16{1, 2, 3, 40, 41, 42, 43, 44, 45, 46}},
	}
	r := Build(docs, allPairs(3), nil, Options{Threshold: 0.6, Containment: 0.8, CopyCosine: 0.5, MinCosine: 0.3})
	groups := ""
	for _, a := range r.Assign {
		groups += docs[a.Group].ID + " "
	}
	if want := "long mid mid "; groups != want {
		t.Errorf("groups %q, want %q", groups, want)
	}
}

// TestCopyWhy checks that Build names the rule that put two traced
// documents in different groups, as explain prints it.
func TestCopyWhy(t *testing.T) {
	v := vec(map[uint32]float32{1: 1, 2: 1})
	sig := func(vals ...uint16) []uint16 { return vals }
	ten := sig(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	// Twelve look-alikes (J 0.8 to one another), a family; lookAlikes
	// gives each the vector vecOf(i).
	lookAlikes := func(vecOf func(i int) tfidf.Vector) []Doc {
		var docs []Doc
		for i := range 12 {
			s := slices.Clone(ten)
			s[0], s[1] = uint16(100+i), uint16(200+i)
			docs = append(docs, Doc{ID: fmt.Sprintf("d%02d", i), Size: 100, Sig: s, Set: 100, Vec: vecOf(i)})
		}
		return docs
	}
	opt := Options{Threshold: 0.6, Containment: 0.8, CopyCosine: 0.5, MinCosine: 0.3}
	for _, tt := range []struct {
		name  string
		docs  []Doc
		pairs []uint64
		opt   Options
		want  CopyStep
	}{
		{"text", []Doc{
			{ID: "a", Size: 10, Set: 10, Vec: v, Sig: ten},
			{ID: "b", Size: 10, Set: 10, Vec: v, Sig: sig(11, 12, 13, 14, 15, 16, 17, 18, 19, 20)},
		}, allPairs(2), opt, CopyText},
		{"subject", []Doc{
			{ID: "a", Size: 10, Set: 10, Vec: v, Sig: ten},
			{ID: "b", Size: 10, Set: 10, Vec: vec(map[uint32]float32{3: 1}), Sig: ten},
		}, allPairs(2), opt, CopySubject},
		// A bar that is not a number makes no copies.
		{"subject, NaN bar", []Doc{
			{ID: "a", Size: 10, Set: 10, Vec: v, Sig: ten},
			{ID: "b", Size: 10, Set: 10, Vec: vec(map[uint32]float32{3: 1}), Sig: ten},
		}, allPairs(2), Options{Threshold: 0.6, CopyCosine: math.NaN(), MinCosine: 0.3}, CopySubject},
		// A template filled in with a heavy name of each member's own.
		{"template", lookAlikes(func(i int) tfidf.Vector {
			return vec(map[uint32]float32{1: 1, 2: 1, 3: 1, 40: 5, uint32(50 + i): 1.5})
		}), allPairs(12), opt, CopyTemplate},
		// Both the template rule and the cosine (0.60 weighed within the
		// family) fail: the template rule is named, as it is applied first.
		{"template before subject", lookAlikes(func(i int) tfidf.Vector {
			return vec(map[uint32]float32{1: 1, 2: 1, 3: 1, 40: 5, uint32(50 + i): 1.5})
		}), allPairs(12), Options{Threshold: 0.6, CopyCosine: 0.7, MinCosine: 0.3}, CopyTemplate},
		// The template's words are the heaviest, and every member holds
		// them; weighed by what varies in the family, the names part them
		// (cosine 0.77, where plain cosine is 0.96).
		{"family cosine", lookAlikes(func(i int) tfidf.Vector {
			return vec(map[uint32]float32{1: 3, 2: 3, 3: 3, uint32(50 + i): 1})
		}), allPairs(12), Options{Threshold: 0.6, CopyCosine: 0.8, MinCosine: 0.3}, CopySubject},
		{"unlinked", []Doc{
			{ID: "a", Size: 10, Set: 10, Vec: v, Sig: ten},
			{ID: "b", Size: 10, Set: 10, Vec: v, Sig: ten},
		}, nil, opt, CopyUnlinked},
		// As in TestCopyJoinsItsClosestRepresentative: short is contained
		// in long, but joins mid, which it shares more text with.
		{"representative", []Doc{
			{ID: "long", Size: 1000, Set: 1000, Vec: v, Sig: ten},
			{ID: "mid", Size: 400, Set: 400, Vec: v, Sig: sig(1, 2, 60, 40, 41, 42, 43, 44, 45, 61)},
			{ID: "short", Size: 300, Set: 300, Vec: v, Sig: sig(1, 2, 3, 40, 41, 42, 43, 44, 45, 46)},
		}, allPairs(3), opt, CopyRepresentative},
	} {
		x, y := int32(0), int32(1)
		if tt.name == "representative" {
			y = 2
		}
		tt.opt.Trace = &[2]int32{x, y}
		r := Build(tt.docs, tt.pairs, nil, tt.opt)
		if r.CopyWhy != tt.want {
			t.Errorf("%s: CopyWhy %q, want %q", tt.name, r.CopyWhy, tt.want)
		}
		if r.Assign[x].Group == r.Assign[y].Group {
			t.Errorf("%s: one group", tt.name)
		}
	}
	// Copies in one group: no step.
	docs := []Doc{{ID: "a", Size: 10, Set: 10, Vec: v, Sig: ten}, {ID: "b", Size: 10, Set: 10, Vec: v, Sig: ten}}
	if r := Build(docs, allPairs(2), nil, Options{Threshold: 0.6, Trace: &[2]int32{0, 1}}); r.CopyWhy != "" {
		t.Errorf("copies: CopyWhy %q, want none", r.CopyWhy)
	}
}

// TestTemplateFamily checks the family weighting of look-alike texts: 12
// texts of one template, each filled in with its own name, share their
// shingles (J 0.8) and, by plain cosine, their subject (0.75); weighed
// within their family, the names carry them apart and none is a copy of
// another. 12 identical copies of one text, in the same run, stay copies.
func TestTemplateFamily(t *testing.T) {
	sig := make([]uint16, 10)
	for i := range sig {
		sig[i] = uint16(i + 1)
	}
	var docs []Doc
	for i := range 12 {
		s := slices.Clone(sig)
		s[0], s[1] = uint16(100+i), uint16(200+i) // J 0.8 to one another
		// The template's terms 1–3 and a name of its own.
		docs = append(docs, Doc{ID: fmt.Sprintf("cable-%02d", i), Size: 100, Sig: s, Set: 100,
			Vec: vec(map[uint32]float32{1: 1, 2: 1, 3: 1, uint32(50 + i): 1})})
	}
	for i := range 12 {
		s := slices.Clone(sig)
		for j := range s {
			s[j] += 1000 // J 1 to one another, 0 to the cables
		}
		docs = append(docs, Doc{ID: fmt.Sprintf("wire-%02d", i), Size: 100, Sig: s, Set: 100,
			Vec: vec(map[uint32]float32{7: 1, 8: 2, 9: 1})})
	}
	if c := tfidf.Cosine(docs[0].Vec, docs[1].Vec); c < 0.5 {
		t.Fatalf("plain cosine of two cables %.2f: the test needs ≥ 0.5", c)
	}
	r := Build(docs, allPairs(len(docs)), nil, Options{Threshold: 0.6, CopyCosine: 0.5, MinCosine: 0.9})
	for i, a := range r.Assign {
		switch {
		case i < 12 && a.GroupSize != 1:
			t.Errorf("%s is in a group of %d", docs[i].ID, a.GroupSize)
		case i >= 12 && a.GroupSize != 12:
			t.Errorf("%s is in a group of %d, want the 12 copies", docs[i].ID, a.GroupSize)
		}
	}
	if r.Stats.Families != 2 {
		t.Errorf("%d families, want 2", r.Stats.Families)
	}
	// Each document names its family by its first member.
	for i, a := range r.Assign {
		if want := i / 12 * 12; a.Family != want {
			t.Errorf("%s: family %d, want %d", docs[i].ID, a.Family, want)
		}
	}
	if r := Build(docs[:2], allPairs(2), nil, Options{Threshold: 0.6}); r.Assign[0].Family != -1 {
		t.Errorf("two texts are no family: %d", r.Assign[0].Family)
	}
}

// TestLookAlikesDifferInHeaviestTerms: 12 look-alikes (J 0.8) share a
// heavy term (a country) and the template, each with a name of its own
// among its three heaviest terms. Their family-weighted cosine (0.60)
// passes the copy bar, but none holds another's heaviest terms: none is a
// copy.
func TestLookAlikesDifferInHeaviestTerms(t *testing.T) {
	var docs []Doc
	for i := range 12 {
		s := make([]uint16, 10)
		for j := range s {
			s[j] = uint16(j + 1)
		}
		s[0], s[1] = uint16(100+i), uint16(200+i)
		docs = append(docs, Doc{ID: fmt.Sprintf("cable-%02d", i), Size: 100, Sig: s, Set: 100,
			Vec: vec(map[uint32]float32{1: 1, 2: 1, 3: 1, 40: 5, uint32(50 + i): 1.5})})
	}
	b := &builder{docs: docs, opt: Options{Threshold: 0.6, CopyCosine: 0.5}}
	b.families(allPairs(len(docs)))
	if c := b.familyCosine(0, 1); c < 0.5 {
		t.Fatalf("family cosine %.2f: the test needs ≥ 0.5", c)
	}
	r := Build(docs, allPairs(len(docs)), nil, Options{Threshold: 0.6, CopyCosine: 0.5, MinCosine: 0.9})
	for i, a := range r.Assign {
		if a.GroupSize != 1 {
			t.Errorf("%s is in a group of %d", docs[i].ID, a.GroupSize)
		}
	}
}

// TestTemplateRuleNeedsLookAlikes: the heaviest-terms rule is for two
// members of a family that are look-alikes (Jaccard at least Threshold); a
// member contained in another, less alike, is judged on its cosine only.
func TestTemplateRuleNeedsLookAlikes(t *testing.T) {
	var docs []Doc
	for i := range 12 {
		s := []uint16{uint16(100 + i), uint16(200 + i), 3, 4, 5, 6, 7, 8, 9, 10} // J 0.8 to one another
		docs = append(docs, Doc{ID: fmt.Sprintf("cable-%02d", i), Size: 100, Sig: s, Set: 100,
			Vec: vec(map[uint32]float32{1: 1, 2: 1, 3: 1, 40: 5, uint32(50 + i): 1.5})})
	}
	// J 0.7 with cable-00, so in the family; J 0.5 with cable-01.
	docs = append(docs, Doc{ID: "cable-12", Size: 100, Sig: []uint16{100, 200, 3, 4, 5, 6, 7, 901, 902, 903}, Set: 100,
		Vec: vec(map[uint32]float32{1: 1, 2: 1, 3: 1, 40: 5, 62: 1.5})})
	b := &builder{docs: docs, opt: Options{Threshold: 0.6, CopyCosine: 0.5}}
	b.families(allPairs(len(docs)))
	if !b.sameFamily(12, 1) || b.jaccard(12, 1) >= 0.6 || HoldsTop(docs[12].Vec, docs[1].Vec) || HoldsTop(docs[1].Vec, docs[12].Vec) {
		t.Fatal("the test needs cable-12 and cable-01 in one family, less alike than the threshold, each with heaviest terms of its own")
	}
	if step := b.subject(0, 1); step != CopyTemplate {
		t.Errorf("look-alikes: %q, want %q", step, CopyTemplate)
	}
	if step := b.subject(12, 1); step != "" {
		t.Errorf("not look-alikes: %q, want none (their family cosine %.2f passes)", step, b.familyCosine(12, 1))
	}
}

// TestContainmentNeedsSeveralPositions: a 20-shingle text and a
// 3,000-shingle one agreeing on one position of 128 (a chance agreement of
// 16-bit values) would pass containment 0.8; three positions are needed.
func TestContainmentNeedsSeveralPositions(t *testing.T) {
	o := Options{Threshold: 0.6, Containment: 0.8}
	sig := func(agree int) (a, b []uint16) {
		a, b = make([]uint16, 128), make([]uint16, 128)
		for i := range a {
			a[i], b[i] = uint16(i), uint16(1000+i)
		}
		copy(b, a[:agree])
		return a, b
	}
	for _, tc := range []struct {
		agree int
		want  bool
	}{{1, false}, {2, false}, {3, true}} {
		a, b := sig(tc.agree)
		if got := o.SharesText(&Doc{Sig: a, Set: 20}, &Doc{Sig: b, Set: 3000}); got != tc.want {
			t.Errorf("%d agreeing positions: shares text %v, want %v", tc.agree, got, tc.want)
		}
	}
}

// TestCoherentComponentStaysWhole: reports each similar to all the others
// (cosine 0.8), chained by their candidate pairs, are one event however
// many: 101 or 1,500 of them are one cluster, not split into single
// reports at the bar above their likeness.
func TestCoherentComponentStaysWhole(t *testing.T) {
	for _, m := range []int{MaxPiece + 1, MaxWhole} {
		docs := make([]Doc, m)
		var pairs []uint64
		for i := range m {
			docs[i] = Doc{ID: fmt.Sprintf("d%06d", i), Size: 10, Vec: vec(map[uint32]float32{1: 1, uint32(1000 + i): 0.5})}
			if i > 0 {
				pairs = append(pairs, pair(i-1, i))
			}
		}
		r := Build(docs, nil, pairs, Options{Threshold: 0.6, MinCosine: 0.3})
		if size := r.Assign[0].ClusterSize; size != m {
			t.Errorf("%d reports of one event: a cluster of %d", m, size)
		}
	}
}

// TestLargeSeriesIsSplit: a series of 2,500 look-alikes (one template
// term, one private term each, cosine 0.8 to each other), chained into one
// component too large to refine whole (more than MaxWhole), is split at
// the bar above their likeness: no two members are one event.
func TestLargeSeriesIsSplit(t *testing.T) {
	const m = 2500
	docs := make([]Doc, m)
	var pairs []uint64
	for i := range m {
		docs[i] = Doc{ID: fmt.Sprintf("d%06d", i), Size: 10, Vec: vec(map[uint32]float32{1: 1, uint32(1000 + i): 0.5})}
		if i > 0 {
			pairs = append(pairs, pair(i-1, i)) // linked in a chain: one component
		}
	}
	r := Build(docs, nil, pairs, Options{Threshold: 0.6, MinCosine: 0.3})
	if r.Stats.Split != 1 {
		t.Fatalf("%d components split, want the series", r.Stats.Split)
	}
	for i := range m {
		if size := r.Assign[i].ClusterSize; size != 1 {
			t.Fatalf("%s is in a cluster of %d", docs[i].ID, size)
		}
	}
}

// TestSameFamily: a family's rules and weighting apply to pairs of its own
// members only, not to a member and an outsider, nor to members of two
// families.
func TestSameFamily(t *testing.T) {
	b := &builder{family: map[int32]member{1: {id: 1}, 2: {id: 1}, 3: {id: 3}}}
	for _, tt := range []struct {
		x, y int32
		want bool
	}{{1, 2, true}, {2, 1, true}, {1, 3, false}, {1, 4, false}, {4, 1, false}, {4, 5, false}} {
		if got := b.sameFamily(tt.x, tt.y); got != tt.want {
			t.Errorf("sameFamily(%d, %d) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}

// TestWhy: Build tells, for two documents it traces, the step that put
// them in different clusters.
func TestWhy(t *testing.T) {
	// Two tight triangles {0,1,2} and {3,4,5}, joined by one edge 2-3; and
	// 6, linked to nobody.
	base := []map[uint32]float32{
		{1: 1, 2: 1, 3: 1, 100: 0.1}, {1: 1, 2: 1, 3: 1, 101: 0.1}, {1: 1, 2: 1, 3: 1, 50: 1.2},
		{7: 1, 8: 1, 9: 1, 50: 1.2}, {7: 1, 8: 1, 9: 1, 104: 0.1}, {7: 1, 8: 1, 9: 1, 105: 0.1},
		{200: 1},
	}
	var docs []Doc
	for i, m := range base {
		docs = append(docs, Doc{ID: fmt.Sprintf("d%d", i), Size: 10, Vec: vec(m)})
	}
	for _, tt := range []struct {
		x, y  int32
		step  Step
		units int
	}{
		{0, 4, "bridge", 6},
		{0, 6, "component", 0},
		{0, 1, "", 0}, // one cluster: no Why
	} {
		r := Build(docs, nil, allPairs(len(docs)), Options{Threshold: 0.5, MinCosine: 0.3, Trace: &[2]int32{tt.x, tt.y}})
		switch {
		case tt.step == "" && r.Why != nil:
			t.Errorf("d%d d%d: one cluster, but Why %+v", tt.x, tt.y, r.Why)
		case tt.step != "" && (r.Why == nil || r.Why.Step != tt.step || r.Why.Units != tt.units):
			t.Errorf("d%d d%d: Why %+v, want step %q in %d units", tt.x, tt.y, r.Why, tt.step, tt.units)
		}
	}

	// Split: a chain too large to refine whole, neighbours at cosine 0.5,
	// parts at the first bar above it, 0.50.
	n := 2 * MaxPiece
	docs = nil
	for i := range n {
		docs = append(docs, Doc{ID: fmt.Sprintf("d%05d", i), Size: 10, Vec: vec(map[uint32]float32{uint32(i): 1, uint32(i + 1): 1})})
	}
	var pairs []uint64
	for i := 1; i < n; i++ {
		pairs = append(pairs, pair(i-1, i))
	}
	r := Build(docs, nil, pairs, Options{Threshold: 0.5, MinCosine: 0.3, Trace: &[2]int32{0, int32(n - 1)}})
	if r.Why == nil || r.Why.Step != "split" || r.Why.Units != n || !near(r.Why.Bar, 0.5) { // 0.5 in fixed point is a hair less
		t.Errorf("split: Why %+v", r.Why)
	}

	// Prune and alone, on refinement's cosines: a and b alike, c linked
	// to a only, and on average to neither; then three units, each pair
	// below the bar but a chain.
	docs = []Doc{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	cosines := map[[2]int32]float64{{0, 1}: 0.9, {0, 2}: 0.4, {1, 2}: 0.1}
	cos := func(x, y int32) float64 { return cosines[[2]int32{min(x, y), max(x, y)}] }
	b := &builder{docs: docs, opt: Options{MinCosine: 0.3}, trace: &tracer{x: 0, y: 2}}
	b.refine([]int32{0, 1, 2}, cos)
	if w := b.trace.why; w.Step != "prune" || w.Left != 2 || !near(w.Mean, 0.25) {
		t.Errorf("prune: %+v", w)
	}
	// The mean is the leaver's to the units it left, when it left: 4 leaves
	// first (mean 0.25), then 3 and 0 (its mean to the last kept, {1, 2},
	// would be 0.35).
	docs5 := []Doc{{ID: "u0"}, {ID: "u1"}, {ID: "u2"}, {ID: "u3"}, {ID: "u4"}}
	c5 := map[[2]int32]float64{{0, 1}: .1, {0, 2}: .4, {0, 3}: .5, {0, 4}: .1, {1, 2}: .5, {1, 3}: .3, {1, 4}: .3, {2, 4}: .4, {3, 4}: .2}
	b = &builder{docs: docs5, opt: Options{MinCosine: 0.3}, trace: &tracer{x: 1, y: 4}}
	b.refine([]int32{0, 1, 2, 3, 4}, func(x, y int32) float64 { return c5[[2]int32{min(x, y), max(x, y)}] })
	if w := b.trace.why; w.Step != "prune" || w.Left != 4 || !near(w.Mean, 0.25) {
		t.Errorf("prune, mean when it left: %+v", w)
	}
	// c hangs on a, d on b, of a triangle a, b, e: c and d leave it, and
	// are not linked to each other.
	docs = append(docs, Doc{ID: "d"}, Doc{ID: "e"})
	cosines = map[[2]int32]float64{{0, 1}: 0.9, {0, 4}: 0.9, {1, 4}: 0.9, {0, 2}: 0.4, {1, 2}: 0.05, {1, 3}: 0.4, {0, 3}: 0.05}
	b = &builder{docs: docs, opt: Options{MinCosine: 0.3}, trace: &tracer{x: 2, y: 3}}
	if got := fmt.Sprint(b.refine([]int32{0, 1, 2, 3, 4}, cos)); got != "[[3] [2] [0 1 4]]" || b.trace.why.Step != "apart" {
		t.Errorf("apart: clusters %s, %+v", got, b.trace.why)
	}
	// Pruning that leaves every unit alone.
	b.trace.why = Separation{}
	b.tracePrune([]int32{0, 1, 2, 3}, nil, []int{0, 1, 2, 3}, refiner{})
	if b.trace.why.Step != "alone" {
		t.Errorf("alone: %+v", b.trace.why)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestWindow checks that reports published further apart than the window
// are not one event, however alike, while copies are grouped at any
// distance and a report of unknown time is bound by no window.
func TestWindow(t *testing.T) {
	const day = 24 * 3600
	event := vec(map[uint32]float32{1: 1, 2: 1})
	sig := func(vals ...uint16) []uint16 { return vals }
	docs := []Doc{
		{ID: "a", Size: 50, Sig: sig(1, 2, 3, 4), Vec: event, Time: 100 * day},
		{ID: "b", Size: 40, Sig: sig(5, 6, 7, 8), Vec: event, Time: 102 * day},
		{ID: "c", Size: 30, Sig: sig(9, 10, 11, 12), Vec: event, Time: 130 * day},
		{ID: "e", Size: 20, Sig: sig(13, 14, 15, 16), Vec: event},              // unknown time
		{ID: "f", Size: 45, Sig: sig(1, 2, 3, 4), Vec: event, Time: 400 * day}, // a copy of a, a year later
		{ID: "h", Size: 25, Sig: sig(17, 18, 19, 20), Vec: event, Time: 101 * day},
	}
	tests := []struct {
		window time.Duration
		want   string
	}{
		{0, "a a a a a a"},
		// c, at day 130, is far from the group (a, f), dated by its first
		// publication (day 100), and from b and h: its mean cosine to the
		// cluster, 1/4, is below the bar.
		{7 * 24 * time.Hour, "a a c a a a"},
	}
	for _, tt := range tests {
		r := Build(docs, allPairs(6), allPairs(6), Options{Threshold: 0.6, MinCosine: 0.7, Window: tt.window, Trace: &[2]int32{1, 2}})
		if got := clusterIDs(docs, r.Assign); got != tt.want {
			t.Errorf("window %v: clusters %s, want %s", tt.window, got, tt.want)
		}
		if r.Assign[4].Group != 0 {
			t.Errorf("window %v: f is not in a's group", tt.window)
		}
		if tt.window > 0 && (r.Why == nil || !r.Why.TooFar) {
			t.Errorf("window %v: Why = %+v, want TooFar", tt.window, r.Why)
		}
	}
}

// TestWindowDatesGroupsByFirstPublication checks that a group of copies is
// dated by the earliest known time of its members, whichever member
// represents it and wherever it stands in the input: a text republished a
// year later does not make the reports of that later time one event with
// the first, and a text first published a year earlier does.
func TestWindowDatesGroupsByFirstPublication(t *testing.T) {
	const day = 24 * 3600
	event := vec(map[uint32]float32{1: 1, 2: 1})
	copyOf := []uint16{1, 2, 3, 4}
	report := []uint16{21, 22, 23, 24}
	for _, tt := range []struct {
		name  string
		docs  []Doc
		want  string
		dated [2]int64 // the dates of the groups of a and g, when too far apart
	}{
		{"republished later", []Doc{
			{ID: "a", Size: 50, Sig: copyOf, Vec: event, Time: 100 * day},
			{ID: "f", Size: 45, Sig: copyOf, Vec: event, Time: 400 * day}, // a copy of a, 300 days later
			{ID: "g", Size: 35, Sig: report, Vec: event, Time: 401 * day}, // a report next to f
		}, "a a g", [2]int64{100 * day, 401 * day}},
		// The representative a, read first, is the latest of its group.
		{"first published earlier", []Doc{
			{ID: "a", Size: 50, Sig: copyOf, Vec: event, Time: 400 * day},
			{ID: "f", Size: 45, Sig: copyOf, Vec: event, Time: 100 * day}, // a copy of a, 300 days earlier
			{ID: "g", Size: 35, Sig: report, Vec: event, Time: 101 * day}, // a report next to f
		}, "a a a", [2]int64{}},
		// An undated copy leaves its group's date as it is.
		{"undated copy", []Doc{
			{ID: "a", Size: 50, Sig: copyOf, Vec: event, Time: 400 * day},
			{ID: "u", Size: 45, Sig: copyOf, Vec: event},
			{ID: "g", Size: 35, Sig: report, Vec: event, Time: 101 * day},
		}, "a a g", [2]int64{400 * day, 101 * day}},
	} {
		r := Build(tt.docs, allPairs(3), allPairs(3), Options{Threshold: 0.6, MinCosine: 0.7, Window: 7 * 24 * time.Hour, Trace: &[2]int32{0, 2}})
		if got := clusterIDs(tt.docs, r.Assign); got != tt.want {
			t.Errorf("%s: clusters %s, want %s", tt.name, got, tt.want)
		}
		if apart := tt.want[len(tt.want)-1] == 'g'; apart != (r.Why != nil && r.Why.TooFar) {
			t.Errorf("%s: Why = %+v, want TooFar %v", tt.name, r.Why, apart)
		} else if apart && r.Why.First != tt.dated {
			t.Errorf("%s: groups dated %v, want %v", tt.name, r.Why.First, tt.dated)
		}
	}
}

// textDoc makes a document of normalized lines, weighed by the built-in
// table, with the passages of its lines.
func textDoc(id string, sig []uint16, lines ...string) Doc {
	var c tfidf.Counter
	s, ends := "", []int(nil)
	for i, l := range lines {
		if i > 0 {
			s += " "
		}
		s += l
		ends = append(ends, len(s))
	}
	all, where := c.BagLines(s, ends, tfidf.MinPassage)
	top := c.Top(all, tfidf.MaxTerms, tfidf.Builtin())
	return Doc{ID: id, Size: len(s), Sig: sig, Set: 100, Vec: tfidf.Builtin().Vector(top), Passages: where.Passages(all, top)}
}

func TestSharedPassagesAreNotAnEvent(t *testing.T) {
	const (
		lead     = "اعلن وزير الخارجيه اليوم في مؤتمر صحفي عقده في العاصمه عن اتفاق جديد مع الجار الشمالي"
		rewrite  = "وزير الخارجيه يكشف في مؤتمر صحفي تفاصيل الاتفاق الجديد مع الجار الشمالي"
		back     = "وكانت المفاوضات بين البلدين قد توقفت العام الماضي بعد خلاف على ترسيم الحدود والمياه"
		followUp = "قال رئيس الوزراء في كلمه امام البرلمان ان الحكومه ستدعم المزارعين المتضررين من الجفاف"
		close    = "ورحب المراقبون بالخطوه التي وصفوها بالتاريخيه في العلاقات الثنائيه"
	)
	docs := []Doc{
		textDoc("story", []uint16{1, 2, 3, 4}, lead, back),
		textDoc("other-outlet", []uint16{5, 6, 7, 8}, rewrite, close), // the same event, in its own words
		textDoc("follow-up", []uint16{9, 10, 11, 12}, followUp, back), // the outlet's next story, its background repeated
	}
	own := func(x, y int) float64 { return ownCosine(&docs[x], &docs[y]) }
	plain := func(x, y int) float64 { return tfidf.Cosine(docs[x].Vec, docs[y].Vec) }
	const bar = 0.2
	if plain(0, 2) < bar || own(0, 2) >= bar || own(0, 1) < bar || own(0, 1) != plain(0, 1) {
		t.Fatalf("the texts do not show the rule: story–follow-up cosine %.3f, over own lines %.3f; story–other outlet %.3f and %.3f",
			plain(0, 2), own(0, 2), plain(0, 1), own(0, 1))
	}
	r := Build(docs, nil, allPairs(3), Options{Threshold: 0.6, MinCosine: bar, Edges: true})
	if a := r.Assign; a[0].Cluster != a[1].Cluster || a[2].Cluster == a[0].Cluster {
		t.Errorf("clusters %s, want the story with the other outlet's report, the follow-up alone", clusterIDs(docs, a))
	}
	if len(r.Edges) != 1 || r.Edges[0].Cosine != own(0, 1) {
		t.Errorf("edges %+v, want story–other outlet at %.3f", r.Edges, own(0, 1))
	}
	// Without the passages, the background joins the follow-up to the
	// story.
	for i := range docs {
		docs[i].Passages = tfidf.Passages{}
	}
	r = Build(docs, nil, allPairs(3), Options{Threshold: 0.6, MinCosine: bar})
	if a := r.Assign; a[0].Cluster != a[2].Cluster {
		t.Errorf("without passages: clusters %s, want the follow-up with the story", clusterIDs(docs, a))
	}
}
