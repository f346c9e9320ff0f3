package cluster

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
)

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
