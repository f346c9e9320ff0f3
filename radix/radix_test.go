package radix

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSort compares Sort with slices.Sort on random values, values that
// differ in some bytes only, few distinct values and equal ones.
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
		for _, n := range []int{0, 1, 2, 3, 100, 5000} {
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
}

func checkSort[T uint32 | uint64](t *testing.T, name string, a []T) {
	t.Helper()
	want := slices.Clone(a)
	slices.Sort(want)
	tmp := make([]T, len(a)+3) // longer than a: Sort uses what it needs
	Sort(a, tmp)
	if !slices.Equal(a, want) {
		t.Fatalf("%s, %d values of %T: Sort differs from slices.Sort", name, len(a), a[0])
	}
}

func ExampleSort() {
	a := []uint32{30, 1 << 20, 7, 30, 0}
	Sort(a, make([]uint32, len(a)))
	fmt.Println(a)
	// Output: [0 7 30 30 1048576]
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

// BenchmarkSort sorts the 150,000 term hashes of a batch of 512 documents;
// BenchmarkSlicesSort is slices.Sort on them.
func BenchmarkSort(b *testing.B) {
	src := batchHashes()
	a, tmp := make([]uint32, len(src)), make([]uint32, len(src))
	b.ReportAllocs()
	for b.Loop() {
		copy(a, src)
		Sort(a, tmp)
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

// BenchmarkSort64 sorts the packed band keys of an LSH band over 100,000
// documents.
func BenchmarkSort64(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	src := make([]uint64, 100000)
	for i := range src {
		src[i] = rng.Uint64()>>17<<17 | uint64(i)
	}
	a, tmp := make([]uint64, len(src)), make([]uint64, len(src))
	for b.Loop() {
		copy(a, src)
		Sort(a, tmp)
	}
}
