package minhash

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// setsWithJaccard returns two sets of distinct random hashes whose exact
// Jaccard similarity is shared/(shared+2*own).
func setsWithJaccard(rng *rand.Rand, shared, own int) (a, b []uint64) {
	for range shared {
		x := rng.Uint64()
		a, b = append(a, x), append(b, x)
	}
	for range own {
		a, b = append(a, rng.Uint64()), append(b, rng.Uint64())
	}
	return a, b
}

var schemes = []Scheme{SuperMinHash, Classic, MultiplyShift, OnePermutation, FastSimilarity}

// estimateStats signs trials independent pairs of sets of union size
// shared+2*own with each scheme and returns the mean estimate and the mean
// squared error against the exact Jaccard similarity.
func estimateStats(scheme Scheme, k, trials, shared, own int) (exact, mean, mse float64) {
	rng := rand.New(rand.NewPCG(uint64(shared), uint64(own)))
	exact = float64(shared) / float64(shared+2*own)
	var sum, sumSq float64
	for trial := range trials {
		s := NewSchemeSigner(scheme, k, uint64(trial)+1000)
		a, b := setsWithJaccard(rng, shared, own)
		e := Similarity(s.Sign(nil, a), s.Sign(nil, b))
		sum += e
		sumSq += (e - exact) * (e - exact)
	}
	return exact, sum / float64(trials), sumSq / float64(trials)
}

// TestEstimateWithinBounds checks every scheme's mean and variance against
// J and J(1-J)/k at J = 0.2, 0.5, 0.8, 0.9, on unions of 40 and 600
// elements; go test -v prints the variance ratios.
func TestEstimateWithinBounds(t *testing.T) {
	const k, trials = 128, 1000
	// A sample variance over 1000 trials is accurate to about ±4.5% (one
	// standard error), so the bounds below fail a scheme, not noise.
	// Sampling without replacement (SuperMinHash, fast similarity
	// sketching) beats independent hashes most on small sets: the bounds,
	// for unions of 40 and 600, hold each scheme to what it should reach,
	// so that one falling back to independent hashes' variance fails.
	maxRatio := map[Scheme][2]float64{
		SuperMinHash: {0.65, 0.9}, FastSimilarity: {0.65, 0.9},
		Classic: {1.2, 1.2}, MultiplyShift: {1.2, 1.2}, OnePermutation: {1.5, 1.0},
	}
	for si, size := range []int{40, 600} {
		for _, scheme := range schemes {
			line := fmt.Sprintf("union %3d, %-14v variance/theory:", size, scheme)
			for _, j := range []float64{0.2, 0.5, 0.8, 0.9} {
				shared := int(j * float64(size))
				exact, mean, mse := estimateStats(scheme, k, trials, shared, (size-shared)/2)
				want := exact * (1 - exact) / k
				ratio := mse / want
				line += fmt.Sprintf(" J=%.2f %.2f", exact, ratio)
				// The mean has a standard error of at most sqrt(want/trials).
				if d := math.Abs(mean - exact); d > 5*math.Sqrt(want/trials) {
					t.Errorf("%v, union %d, J=%.2f: mean estimate %.4f, off by %.4f", scheme, size, exact, mean, d)
				}
				// Independent hashes match theory; SuperMinHash and one-permutation
				// hashing sample without replacement and may be below it.
				independent := scheme == Classic || scheme == MultiplyShift
				if ratio > maxRatio[scheme][si] || (independent && ratio < 0.8) {
					t.Errorf("%v, union %d, J=%.2f: variance %.2f × theory", scheme, size, exact, ratio)
				}
			}
			t.Log(line)
		}
	}
}

func TestSignEdgeCases(t *testing.T) {
	for _, scheme := range schemes {
		s := NewSchemeSigner(scheme, 64, 7)
		if sig := s.Sign(nil, nil); len(sig) != 0 {
			t.Errorf("%v: empty set: signature of length %d", scheme, len(sig))
		}
		if got := Similarity(s.Sign(nil, nil), s.Sign(nil, nil)); got != 0 {
			t.Errorf("%v: two empty sets: similarity %v, want 0", scheme, got)
		}
		one := s.Sign(nil, []uint64{42})
		if len(one) != 64 {
			t.Errorf("%v: signature of length %d", scheme, len(one))
		}
		if got := Similarity(one, s.Sign(nil, []uint64{42, 42, 42})); got != 1 {
			t.Errorf("%v: repeated element changed the signature: %v", scheme, got)
		}
		if got := Similarity(one, s.Sign(nil, []uint64{43})); got > 0.1 {
			t.Errorf("%v: different one-element sets: similarity %v", scheme, got)
		}
		if got := Similarity(one, NewSchemeSigner(scheme, 64, 8).Sign(nil, []uint64{42})); got == 1 {
			t.Errorf("%v: a different seed gave the same signature", scheme)
		}
		rng := rand.New(rand.NewPCG(3, 4))
		a, _ := setsWithJaccard(rng, 300, 0)
		b := append([]uint64(nil), a...)
		rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
		b = append(b, a[:50]...)
		if got := Similarity(s.Sign(nil, a), s.Sign(nil, b)); got != 1 {
			t.Errorf("%v: same set in another order, with repeats: similarity %v", scheme, got)
		}
		// A long signature takes the heap path.
		big := NewSchemeSigner(scheme, 300, 1)
		if got := Similarity(big.Sign(nil, a), big.Sign(nil, b)); got != 1 {
			t.Errorf("%v: 300 positions: similarity %v", scheme, got)
		}
	}
}

// TestPositions: a piece's signature is the piece of the whole signature,
// for the schemes that have pieces; the others refuse.
func TestPositions(t *testing.T) {
	set := []uint64{1, 2, 3, 5, 8, 13, 21}
	for _, scheme := range schemes {
		s := NewSchemeSigner(scheme, 64, 9)
		piece, err := s.Positions(16, 48)
		if scheme != Classic && scheme != MultiplyShift {
			if err == nil {
				t.Errorf("%v: Positions gave a piece", scheme)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", scheme, err)
		}
		if got, want := piece.Sign(nil, set), s.Sign(nil, set)[16:48]; !slices.Equal(got, want) {
			t.Errorf("%v: piece %v, want %v", scheme, got, want)
		}
		for _, r := range [][2]int{{-1, 4}, {4, 65}, {8, 4}} {
			if _, err := s.Positions(r[0], r[1]); err == nil {
				t.Errorf("%v: Positions(%d, %d) accepted", scheme, r[0], r[1])
			}
		}
	}
}

// TestMultiplyShift checks the multiply-shift signature against its
// definition, the top 32 bits of the smallest a·x + b mod 2^64 at each
// position, on sets of odd and even sizes, in any order.
func TestMultiplyShift(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := NewSchemeSigner(MultiplyShift, 128, 11)
	for _, n := range []int{1, 2, 3, 24, 25, 1500} {
		set := make([]uint64, n)
		for i := range set {
			set[i] = rng.Uint64()
		}
		want := make([]uint32, 128)
		for i := range want {
			m := uint64(math.MaxUint64)
			for _, x := range set {
				m = min(m, s.a[i]*x+s.b[i])
			}
			want[i] = uint32(m >> 32)
		}
		if got := s.Sign(nil, set); !slices.Equal(got, want) {
			t.Errorf("%d elements: signature differs from the definition", n)
		}
		slices.Reverse(set)
		if got := s.Sign(nil, set); !slices.Equal(got, want) {
			t.Errorf("%d elements, reversed: signature differs from the definition", n)
		}
	}
}

func TestMulmod61(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	p := new(big.Int).SetUint64(mersenne61)
	for range 10000 {
		a, x, b := rng.Uint64()%mersenne61, rng.Uint64()%mersenne61, rng.Uint64()%mersenne61
		want := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(x))
		want.Add(want, new(big.Int).SetUint64(b)).Mod(want, p)
		if got := mulmod61(a, x, b); got != want.Uint64() {
			t.Fatalf("mulmod61(%d, %d, %d) = %d, want %d", a, x, b, got, want)
		}
	}
	if got := mulmod61(mersenne61-1, mersenne61-1, mersenne61-1); got != (1+mersenne61-1)%mersenne61 {
		t.Errorf("edge: %d", got)
	}
}

func TestParseScheme(t *testing.T) {
	for _, s := range schemes {
		if got, ok := ParseScheme(s.String()); !ok || got != s {
			t.Errorf("ParseScheme(%q) = %v, %v", s, got, ok)
		}
	}
	if _, ok := ParseScheme("nope"); ok {
		t.Error("ParseScheme accepted nope")
	}
}

func TestOptimal(t *testing.T) {
	tests := []struct {
		t    float64
		k    int
		want Params
	}{
		{0.5, 128, Params{32, 4}},
		{0.8, 128, Params{16, 8}},
		{0.9, 128, Params{8, 16}},
	}
	for _, tt := range tests {
		p := Optimal(tt.t, tt.k)
		if p != tt.want {
			t.Errorf("Optimal(%v, %d) = %v, want %v", tt.t, tt.k, p, tt.want)
		}
		if p.Bands*p.Rows != tt.k {
			t.Errorf("Optimal(%v, %d) = %v does not use every position", tt.t, tt.k, p)
		}
	}
	// Weighing the misses twice at 256 permutations, the areas alone choose
	// a curve that rises late (32 bands of 8 rows: P(0.6) = 0.42); asking
	// for P(threshold) ≥ 0.9 chooses the steepest curve that catches it.
	if got := OptimalWeighted(0.6, 256, 1, 2); got != (Params{32, 8}) {
		t.Errorf("OptimalWeighted(0.6, 256, 1, 2) = %v", got)
	}
	for _, k := range []int{64, 128, 256, 512} {
		got := OptimalCatching(0.6, k, 1, 2, 0.9)
		if got.Probability(0.6) < 0.9 || got.Bands*got.Rows != k {
			t.Errorf("OptimalCatching(0.6, %d, 1, 2, 0.9) = %v: P(0.6) = %.2f", k, got, got.Probability(0.6))
		}
	}
	if got := OptimalCatching(0.6, 128, 1, 2, 0.9); got != OptimalWeighted(0.6, 128, 1, 2) {
		t.Errorf("at 128 permutations the constraint changes the banding: %v", got)
	}
	if got := OptimalCatching(0.1, 2, 1, 1, 0.5); got != Optimal(0.1, 2) {
		t.Errorf("no banding catches the threshold: %v, want the unconstrained optimum", got)
	}
	// The S-curve is monotone with P(0)=0 and P(1)=1.
	p := Params{20, 5}
	if p.Probability(0) != 0 || p.Probability(1) != 1 {
		t.Errorf("P(0)=%v P(1)=%v", p.Probability(0), p.Probability(1))
	}
	if got := p.Threshold(); math.Abs(got-math.Pow(0.05, 0.2)) > 1e-12 {
		t.Errorf("threshold %v", got)
	}
	// A band count of 1 with r rows: P(s) = s^r, FP area = t^r/(r+1).
	q := Params{1, 3}
	if got, want := q.FalsePositive(0.5), math.Pow(0.5, 3)/4; math.Abs(got-want) > 1e-9 {
		t.Errorf("FalsePositive = %v, want %v", got, want)
	}
}

func TestIndexPairs(t *testing.T) {
	p := Params{4, 2}
	x := NewIndex[uint32](p)
	base := []uint32{1, 2, 3, 4, 5, 6, 7, 8}
	x.Add(0, base)
	x.Add(1, []uint32{1, 2, 9, 9, 9, 9, 9, 9}) // shares band 0 with 0
	x.Add(2, []uint32{0, 0, 0, 0, 0, 0, 7, 8}) // shares band 3 with 0
	x.Add(3, []uint32{0, 0, 0, 0, 0, 0, 0, 0}) // shares band 0.. none with 0; bands 0-2 with 2
	x.Add(4, nil)                              // empty: never a candidate
	x.Add(5, []uint32{2, 1, 4, 3, 6, 5, 8, 7}) // same values, other positions
	pairs, st := x.Pairs(PairOptions{})
	var got [][2]uint32
	for _, pr := range pairs {
		a, b := Unpack(pr)
		got = append(got, [2]uint32{a, b})
	}
	want := [][2]uint32{{0, 1}, {0, 2}, {2, 3}}
	if len(got) != len(want) {
		t.Fatalf("pairs %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pairs %v, want %v", got, want)
		}
	}
	if st.Buckets != 5 || st.LargestBucket != 2 {
		t.Errorf("stats %+v", st)
	}
}

// TestIndexPairsKeep checks verification as pairs are found: the result is
// the unverified pairs that Keep accepts, for any number of workers, and a
// pair kept by one band is not tested again.
func TestIndexPairsKeep(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := NewIndex[uint16](Params{16, 2})
	for d := range uint32(400) {
		sig := make([]uint16, 32)
		for i := range sig {
			sig[i] = uint16(rng.IntN(4)) // small alphabet: many shared bands
		}
		x.Add(d, sig)
	}
	keep := func(a, b uint32) bool { return (a+b)%3 != 0 }
	all, _ := x.Pairs(PairOptions{MaxBucket: 50})
	var want []uint64
	for _, p := range all {
		if keep(Unpack(p)) {
			want = append(want, p)
		}
	}
	for _, workers := range []int{0, 1, 3} {
		var mu sync.Mutex
		tested := map[uint64]int{}
		got, st := x.Pairs(PairOptions{MaxBucket: 50, Workers: workers, Keep: func(a, b uint32) bool {
			mu.Lock()
			tested[uint64(a)<<32|uint64(b)]++
			mu.Unlock()
			return keep(a, b)
		}})
		if !slices.Equal(got, want) {
			t.Fatalf("workers %d: %d pairs, want %d", workers, len(got), len(want))
		}
		calls := 0
		for p, n := range tested {
			calls += n
			if keep(Unpack(p)) && n != 1 {
				t.Fatalf("kept pair %x tested %d times", p, n)
			}
		}
		if calls != st.Tested || st.Tested < len(all) {
			t.Errorf("workers %d: %d calls, Tested %d, %d distinct candidates", workers, calls, st.Tested, len(all))
		}
	}
}

// TestIndexPairsInPieces: the bands of one signature found by two indexes,
// the second given what the first kept, give the pairs of one index.
func TestIndexPairsInPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	whole := NewIndex[uint16](Params{8, 2})
	first, second := NewIndex[uint16](Params{4, 2}), NewIndex[uint16](Params{4, 2})
	for d := range uint32(300) {
		sig := make([]uint16, 16)
		for i := range sig {
			sig[i] = uint16(rng.IntN(3))
		}
		whole.Add(d, sig)
		first.Add(d, sig[:8])
		second.Add(d, sig[8:])
	}
	keep := func(a, b uint32) bool { return (a^b)%2 == 0 }
	want, _ := whole.Pairs(PairOptions{MaxBucket: 40, Keep: keep})
	kept, _ := first.Pairs(PairOptions{MaxBucket: 40, Keep: keep})
	got, _ := second.Pairs(PairOptions{MaxBucket: 40, Keep: keep, Kept: kept})
	if !slices.Equal(got, want) {
		t.Errorf("in pieces: %d pairs, whole: %d", len(got), len(want))
	}
}

func TestSharesBand(t *testing.T) {
	p := Params{4, 2}
	a := []uint32{1, 2, 3, 4, 5, 6, 7, 8}
	for _, tc := range []struct {
		b    []uint32
		want bool
	}{
		{[]uint32{1, 2, 9, 9, 9, 9, 9, 9}, true},
		{[]uint32{9, 9, 9, 9, 9, 9, 7, 8}, true},
		{[]uint32{1, 9, 3, 9, 5, 9, 7, 9}, false},
		{nil, false},
	} {
		if got := SharesBand(p, a, tc.b); got != tc.want {
			t.Errorf("SharesBand(%v) = %v", tc.b, got)
		}
	}
}

func TestIndexCapsGiantBuckets(t *testing.T) {
	x := NewIndex[uint32](Params{1, 2})
	for d := range uint32(100) {
		x.Add(d, []uint32{1, 1})
	}
	pairs, st := x.Pairs(PairOptions{MaxBucket: 10})
	if len(pairs) != 99 || st.CappedBuckets != 1 || st.LargestBucket != 100 {
		t.Errorf("%d pairs, stats %+v; want 99 successor pairs from one capped bucket", len(pairs), st)
	}
	pairs, _ = x.Pairs(PairOptions{})
	if len(pairs) != 100*99/2 {
		t.Errorf("uncapped: %d pairs", len(pairs))
	}
	// With an order (of publication), a capped bucket's documents are
	// paired with their successor in it: here even numbers first, then odd.
	order := make([]uint32, 100)
	for d := range uint32(100) {
		order[d] = d%2*50 + d/2
	}
	pairs, _ = x.Pairs(PairOptions{MaxBucket: 10, Order: order})
	var want []uint64
	for d := uint32(0); d+2 < 100; d++ {
		if d != 98 {
			want = append(want, uint64(d)<<32|uint64(d+2))
		}
	}
	want = append(want, uint64(1)<<32|98) // the last even, then the first odd
	slices.Sort(want)
	if !slices.Equal(pairs, want) {
		t.Errorf("ordered: %d pairs %x…, want %d %x…", len(pairs), pairs[:min(4, len(pairs))], len(want), want[:4])
	}
}

func BenchmarkSign(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	hashes := make([]uint64, 1500) // a 3 KB Arabic article has about 1500 shingles
	for i := range hashes {
		hashes[i] = rng.Uint64()
	}
	for _, scheme := range schemes {
		b.Run(scheme.String(), func(b *testing.B) {
			s := NewSchemeSigner(scheme, 128, 1)
			sig := make([]uint32, 0, 128)
			b.ReportAllocs()
			for b.Loop() {
				sig = s.Sign(sig, hashes)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(hashes)), "ns/shingle")
		})
	}
}

// randomSigs returns n signatures of k values drawn by draw.
func randomSigs[V uint16 | uint32](n, k int, draw func() V) [][]V {
	sigs := make([][]V, n)
	for i := range sigs {
		sigs[i] = make([]V, k)
		for j := range sigs[i] {
			sigs[i][j] = draw()
		}
	}
	return sigs
}

func BenchmarkIndex(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	sigs := randomSigs(10000, 128, rng.Uint32)
	p := Params{32, 4}
	b.ReportAllocs()
	for b.Loop() {
		x := NewIndex[uint32](p)
		for i, s := range sigs {
			x.Add(uint32(i), s)
		}
		x.Pairs(PairOptions{MaxBucket: 1000})
	}
}

// TestTrim16 checks that 16-bit signatures estimate as the full ones do:
// over many pairs, a trimmed estimate is never below the full one, and the
// spurious agreements add about (1−J)·k/65536 positions per pair.
func TestTrim16(t *testing.T) {
	if len(Trim16(nil, nil)) != 0 {
		t.Error("Trim16 of nothing is not empty")
	}
	if got := Trim16(make([]uint16, 5), []uint32{0x12345678, 0xffff0001}); len(got) != 2 || got[0] != 0x5678 || got[1] != 1 {
		t.Errorf("Trim16 = %x, want [5678 1]", got)
	}
	const k, trials = 128, 2000
	rng := rand.New(rand.NewPCG(5, 6))
	s := NewSigner(k, 9)
	extra := 0.0
	for range trials {
		a, b := setsWithJaccard(rng, 20, 40) // J = 0.2
		sa, sb := s.Sign(nil, a), s.Sign(nil, b)
		full, short := Similarity(sa, sb), Similarity(Trim16(nil, sa), Trim16(nil, sb))
		if short < full {
			t.Fatalf("trimmed estimate %v below full %v", short, full)
		}
		extra += (short - full) * k
	}
	// Expected 0.8·128/65536 ≈ 0.0016 extra positions a pair: 3 in 2000
	// pairs; 20 would mean the low bits are not uniform.
	if extra > 20 {
		t.Errorf("%v spurious agreements in %d pairs, want about 3", extra, trials)
	}
}

// superMinHashRef is SuperMinHash as Ertl's paper states it, every draw
// of every element followed through: the oracle for the signer's shortcuts.
func superMinHashRef(s *Signer, hashes []uint64) []uint32 {
	k := s.k
	h := make([]uint64, k)
	p, q, b := make([]int, k), make([]int, k), make([]int, k)
	for j := range k {
		h[j], q[j] = math.MaxUint64, -1
	}
	b[k-1] = k
	a := k - 1
	for i, x := range hashes {
		rng := x ^ s.seed
		for j := 0; j <= a; j++ {
			z := splitmix64(&rng)
			r := z >> 32
			l := j + int((z&0xffffffff)*uint64(k-j)>>32)
			if q[j] != i {
				q[j], p[j] = i, j
			}
			if q[l] != i {
				q[l], p[l] = i, l
			}
			p[j], p[l] = p[l], p[j]
			if v := uint64(j)<<32 | r; v < h[p[j]] {
				old := min(int(h[p[j]]>>32), k-1)
				h[p[j]] = v
				if j < old {
					b[old]--
					b[j]++
					for b[a] == 0 {
						a--
					}
				}
			}
		}
	}
	return finishRef(h)
}

// finishRef turns minima into signature values, as the signers do.
func finishRef(h []uint64) []uint32 {
	out := make([]uint32, len(h))
	for j, v := range h {
		out[j] = uint32(mix64(v))
	}
	return out
}

// TestMatchesReference: SuperMinHash's fast paths give the paper's
// algorithm's signatures, and fast similarity sketching's early stop gives
// the signature of all 2k rounds.
func TestMatchesReference(t *testing.T) {
	refs := map[Scheme]func(*Signer, []uint64) []uint32{
		SuperMinHash:   superMinHashRef,
		FastSimilarity: fastSimilarityRef,
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, scheme := range []Scheme{SuperMinHash, FastSimilarity} {
		for _, n := range []int{1, 2, 5, 40, 100, 700, 3000} {
			for _, k := range []int{16, 128} {
				s := NewSchemeSigner(scheme, k, uint64(n))
				hs := make([]uint64, n)
				for i := range hs {
					hs[i] = rng.Uint64()
				}
				if got, want := s.Sign(nil, hs), refs[scheme](s, hs); !slices.Equal(got, want) {
					t.Errorf("%v, n=%d k=%d: signature differs from the reference", scheme, n, k)
				}
			}
		}
	}
}

// fastSimilarityRef is fast similarity sketching as defined, all 2k rounds
// run: round i < k sends every element to a random position, round k+j to
// position j.
func fastSimilarityRef(s *Signer, hashes []uint64) []uint32 {
	k := s.k
	h := make([]uint64, k)
	for j := range h {
		h[j] = math.MaxUint64
	}
	for i := range 2 * k {
		step := uint64(i+1) * 0x9e3779b97f4a7c15
		for _, x := range hashes {
			z := splitmixAt(x^s.seed, step)
			l := int((z & 0xffffffff) * uint64(k) >> 32)
			if i >= k {
				l = i - k
			}
			h[l] = min(h[l], uint64(i)<<32|z>>32)
		}
	}
	return finishRef(h)
}

// BenchmarkSignEvent measures the event signature of a document's 24
// heaviest terms: 128 multiply-shift hashes each.
func BenchmarkSignEvent(b *testing.B) {
	const docs, n = 256, 24
	rng := rand.New(rand.NewPCG(7, 8))
	terms := make([]uint64, docs*n) // the sets of 256 documents, one after another
	for i := range terms {
		terms[i] = rng.Uint64()
	}
	s := NewSchemeSigner(MultiplyShift, 128, 1)
	sig := make([]uint32, 0, 128)
	b.ReportAllocs()
	d := 0
	for b.Loop() {
		sig = s.Sign(sig, terms[d*n:(d+1)*n])
		d = (d + 1) % docs
	}
}

// TestAgree16 compares agree16 with agree, a value at a time, on every
// length up to 20 and on 128, with values that differ in the bits the lanes
// test apart (the top bit, the low 15, both) and values drawn at random.
func TestAgree16(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	values := []uint16{0, 1, 0x7fff, 0x8000, 0x8001, 0xffff}
	lengths := []int{128}
	for n := range 21 {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		for range 2000 {
			a, b := make([]uint16, n), make([]uint16, n)
			for i := range a {
				a[i], b[i] = values[rng.IntN(len(values))], values[rng.IntN(len(values))]
				if rng.IntN(4) == 0 {
					a[i], b[i] = uint16(rng.Uint32()), uint16(rng.Uint32())
				}
			}
			if got, want := agree16(a, b), agree(a, b); got != want {
				t.Fatalf("agree16(%x, %x) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// BenchmarkSimilarity compares 16-bit signatures of 128 positions: one pair
// again and again, and pairs drawn at random among 100,000, as candidate
// tests draw them.
func BenchmarkSimilarity(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	// Values of 0 to 3: about a quarter of the positions agree.
	sigs := randomSigs(100000, 128, func() uint16 { return uint16(rng.IntN(4)) })
	var sum float64
	b.Run("same", func(b *testing.B) {
		for b.Loop() {
			sum += Similarity(sigs[0], sigs[1])
		}
	})
	b.Run("random", func(b *testing.B) {
		pairs := make([][2]int, 1<<16)
		for i := range pairs {
			pairs[i] = [2]int{rng.IntN(len(sigs)), rng.IntN(len(sigs))}
		}
		i := 0
		for b.Loop() {
			p := pairs[i%len(pairs)]
			sum += Similarity(sigs[p[0]], sigs[p[1]])
			i++
		}
	})
}
