package minhash

import (
	"math"
	"math/rand/v2"
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

// TestEstimateWithinBounds checks the estimator's mean and variance against
// J and J(1-J)/k over many independent pairs at several similarities.
func TestEstimateWithinBounds(t *testing.T) {
	const k, trials = 128, 400
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ shared, own int }{{100, 200}, {200, 100}, {400, 50}, {450, 25}} {
		exact := float64(tc.shared) / float64(tc.shared+2*tc.own)
		var sum, sumSq float64
		for trial := range trials {
			s := NewSigner(k, uint64(trial)+1000)
			a, b := setsWithJaccard(rng, tc.shared, tc.own)
			e := Similarity(s.Sign(nil, a), s.Sign(nil, b))
			sum += e
			sumSq += (e - exact) * (e - exact)
		}
		mean, mse := sum/trials, sumSq/trials
		want := exact * (1 - exact) / k
		// The mean of 400 estimates has a standard error of sqrt(want/400);
		// allow five of them. The mean squared error must match the
		// theoretical variance within 25% (a 400-sample variance is
		// accurate to about ±7%).
		if d := math.Abs(mean - exact); d > 5*math.Sqrt(want/trials) {
			t.Errorf("J=%.3f: mean estimate %.4f, off by %.4f", exact, mean, d)
		}
		if mse < 0.75*want || mse > 1.25*want {
			t.Errorf("J=%.3f: variance %.6f, theory %.6f", exact, mse, want)
		}
	}
}

func TestSignEdgeCases(t *testing.T) {
	s := NewSigner(64, 7)
	if sig := s.Sign(nil, nil); len(sig) != 0 {
		t.Errorf("empty set: signature of length %d", len(sig))
	}
	if got := Similarity(s.Sign(nil, nil), s.Sign(nil, nil)); got != 0 {
		t.Errorf("two empty sets: similarity %v, want 0", got)
	}
	one := s.Sign(nil, []uint64{42})
	if got := Similarity(one, s.Sign(nil, []uint64{42, 42, 42})); got != 1 {
		t.Errorf("repeated element changed the signature: %v", got)
	}
	if got := Similarity(one, s.Sign(nil, []uint64{43})); got != 0 {
		t.Errorf("different one-element sets: similarity %v", got)
	}
	if got := Similarity(one, NewSigner(64, 8).Sign(nil, []uint64{42})); got == 1 {
		t.Errorf("a different seed gave the same signature")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	a, _ := setsWithJaccard(rng, 300, 0)
	b := append([]uint64(nil), a...)
	rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
	if got := Similarity(s.Sign(nil, a), s.Sign(nil, b)); got != 1 {
		t.Errorf("same set in another order: similarity %v", got)
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
	x := NewIndex(p)
	base := []uint32{1, 2, 3, 4, 5, 6, 7, 8}
	x.Add(0, base)
	x.Add(1, []uint32{1, 2, 9, 9, 9, 9, 9, 9}) // shares band 0 with 0
	x.Add(2, []uint32{0, 0, 0, 0, 0, 0, 7, 8}) // shares band 3 with 0
	x.Add(3, []uint32{0, 0, 0, 0, 0, 0, 0, 0}) // shares band 0.. none with 0; bands 0-2 with 2
	x.Add(4, nil)                              // empty: never a candidate
	x.Add(5, []uint32{2, 1, 4, 3, 6, 5, 8, 7}) // same values, other positions
	pairs, st := x.Pairs(0)
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

func TestIndexCapsGiantBuckets(t *testing.T) {
	x := NewIndex(Params{1, 2})
	for d := range uint32(100) {
		x.Add(d, []uint32{1, 1})
	}
	pairs, st := x.Pairs(10)
	if len(pairs) != 99 || st.CappedBuckets != 1 || st.LargestBucket != 100 {
		t.Errorf("%d pairs, stats %+v; want 99 successor pairs from one capped bucket", len(pairs), st)
	}
	pairs, _ = x.Pairs(0)
	if len(pairs) != 100*99/2 {
		t.Errorf("uncapped: %d pairs", len(pairs))
	}
}

func BenchmarkSign(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	hashes := make([]uint64, 1500) // a 3 KB Arabic article has about 1500 shingles
	for i := range hashes {
		hashes[i] = rng.Uint64()
	}
	s := NewSigner(128, 1)
	sig := make([]uint32, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		sig = s.Sign(sig, hashes)
	}
}

func BenchmarkIndex(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	sigs := make([][]uint32, 10000)
	for i := range sigs {
		sigs[i] = make([]uint32, 128)
		for j := range sigs[i] {
			sigs[i][j] = rng.Uint32()
		}
	}
	p := Params{32, 4}
	b.ReportAllocs()
	for b.Loop() {
		x := NewIndex(p)
		for i, s := range sigs {
			x.Add(uint32(i), s)
		}
		x.Pairs(1000)
	}
}
