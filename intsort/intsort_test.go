package intsort

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSort compares Radix and Sort with slices.Sort on random values,
// values that differ in some bytes only, few distinct values and equal
// ones, and sorted, reversed and organ-pipe orders.
func TestSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	gens := map[string]func() uint64{
		"random":        rng.Uint64,
		"high bytes":    func() uint64 { return rng.Uint64() >> 32 << 32 },
		"top digit":     func() uint64 { return rng.Uint64() >> 55 << 55 },
		"few":           func() uint64 { return uint64(rng.IntN(3))<<32 | 7 },
		"equal":         func() uint64 { return 42 },
		"middle bytes":  func() uint64 { return uint64(rng.IntN(1000)) << 40 >> 8 },
		"small numbers": func() uint64 { return uint64(rng.IntN(300)) },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 3, 31, 32, 33, 100, 258, 5000} {
			a := make([]uint64, n)
			b := make([]uint32, n)
			for i := range a {
				a[i] = gen()
				b[i] = uint32(a[i] ^ a[i]>>32)
			}
			checkSort(t, name, a)
			checkSort(t, name, b)
		}
	}
	for _, n := range []int{100, 5000} {
		up, down, pipe := make([]uint64, n), make([]uint64, n), make([]uint64, n)
		for i := range n {
			up[i], down[i], pipe[i] = uint64(i), uint64(n-i), uint64(min(i, n-i))
		}
		checkSort(t, "sorted", up)
		checkSort(t, "reversed", down)
		checkSort(t, "organ pipe", pipe)
	}
}

func checkSort[T uint32 | uint64](t *testing.T, name string, a []T) {
	t.Helper()
	want := slices.Clone(a)
	slices.Sort(want)
	r := slices.Clone(a)
	tmp := make([]T, len(a)+3) // longer than a: Radix uses what it needs
	Radix(r, tmp)
	if !slices.Equal(r, want) {
		t.Fatalf("%s, %d values of %T: Radix differs from slices.Sort", name, len(a), a)
	}
	q := slices.Clone(a)
	Sort(q)
	if !slices.Equal(q, want) {
		t.Fatalf("%s, %d values of %T: Sort differs from slices.Sort", name, len(a), a)
	}
	// With no depth to spend, a part goes to slices.Sort at once.
	q = slices.Clone(a)
	quick(q, 0)
	if !slices.Equal(q, want) {
		t.Fatalf("%s, %d values of %T: quick at depth 0 differs from slices.Sort", name, len(a), a)
	}
}

func ExampleRadix() {
	a := []uint32{30, 1 << 20, 7, 30, 0}
	Radix(a, make([]uint32, len(a)))
	fmt.Println(a)
	// Output: [0 7 30 30 1048576]
}

func ExampleSort() {
	a := []uint64{30, 1 << 40, 7, 30, 0}
	Sort(a)
	fmt.Println(a)
	// Output: [0 7 30 30 1099511627776]
}

// batchHashes returns random values as many as the term hashes of a batch
// of 512 documents.
func batchHashes() []uint32 {
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]uint32, 150000)
	for i := range src {
		src[i] = rng.Uint32()
	}
	return src
}

// BenchmarkRadix sorts the 150,000 term hashes of a batch of 512
// documents; BenchmarkSlicesSort is slices.Sort on them.
func BenchmarkRadix(b *testing.B) {
	src := batchHashes()
	a, tmp := make([]uint32, len(src)), make([]uint32, len(src))
	b.ReportAllocs()
	for b.Loop() {
		copy(a, src)
		Radix(a, tmp)
	}
}

func BenchmarkSlicesSort(b *testing.B) {
	src := batchHashes()
	a := make([]uint32, len(src))
	for b.Loop() {
		copy(a, src)
		slices.Sort(a)
	}
}

// BenchmarkRadix64 sorts the packed band keys of an LSH band over 100,000
// documents.
func BenchmarkRadix64(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	src := make([]uint64, 100000)
	for i := range src {
		src[i] = rng.Uint64()>>17<<17 | uint64(i)
	}
	a, tmp := make([]uint64, len(src)), make([]uint64, len(src))
	for b.Loop() {
		copy(a, src)
		Radix(a, tmp)
	}
}

// BenchmarkSort sorts the term hashes of one document, 258 of them (15%
// repeated), as tfidf counts them; BenchmarkSortSlices is slices.Sort.
func BenchmarkSort(b *testing.B) {
	for _, name := range []string{"intsort", "slices"} {
		b.Run(name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			docs := make([][]uint32, 64)
			for i := range docs {
				docs[i] = make([]uint32, 258)
				for j := range docs[i] {
					docs[i][j] = rng.Uint32()
					if j > 0 && rng.IntN(7) == 0 {
						docs[i][j] = docs[i][rng.IntN(j)]
					}
				}
			}
			a := make([]uint32, 258)
			d := 0
			for b.Loop() {
				copy(a, docs[d])
				if name == "intsort" {
					Sort(a)
				} else {
					slices.Sort(a)
				}
				d = (d + 1) % len(docs)
			}
		})
	}
}

// TestSmallest checks that Smallest puts the n smallest values first, with
// many ties and few.
func TestSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, 5, 17, 40, 300, 2000} {
		for _, spread := range []int{3, 1 << 30} { // many ties, or few
			a := make([]uint64, size)
			for i := range a {
				a[i] = uint64(rng.IntN(spread))
			}
			want := slices.Clone(a)
			slices.Sort(want)
			for _, n := range []int{0, min(1, size), size / 3, size} {
				b := slices.Clone(a)
				Smallest(b, n)
				got := slices.Clone(b[:n])
				slices.Sort(got)
				if !slices.Equal(got, want[:n]) {
					t.Fatalf("size %d, n %d: smallest %v, want %v", size, n, got, want[:n])
				}
			}
		}
	}
}

// BenchmarkSmallest selects as tfidf's Top does a document's 48 heaviest
// of 220 terms, and as the event signatures do 24 of 48.
func BenchmarkSmallest(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ size, n int }{{220, 48}, {48, 24}} {
		src := make([][]uint64, 64)
		for i := range src {
			src[i] = make([]uint64, c.size)
			for j := range src[i] {
				src[i][j] = rng.Uint64()
			}
		}
		a := make([]uint64, c.size)
		b.Run(fmt.Sprintf("%d of %d", c.n, c.size), func(b *testing.B) {
			i := 0
			for b.Loop() {
				copy(a, src[i%len(src)])
				Smallest(a, c.n)
				i++
			}
		})
	}
}
