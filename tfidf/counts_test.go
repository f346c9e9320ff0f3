package tfidf

import (
	"cmp"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCounts checks the hash table against a map under random additions,
// settings and removals, over few enough keys that probe sequences collide
// and wrap around, and through several growths.
func TestCounts(t *testing.T) {
	for _, keys := range []uint32{3, 700, 5000} {
		rng := rand.New(rand.NewPCG(uint64(keys), 1))
		var c counts
		want := map[uint32]uint32{}
		for range 20000 {
			k := rng.Uint32N(keys) * 0x01000193 // keys 0, and spread over all bits
			n := rng.Uint32N(3)
			if rng.IntN(4) == 0 {
				c.set(k, n)
				want[k] = n
			} else {
				c.add(k, n)
				want[k] += n
			}
			if want[k] == 0 {
				delete(want, k)
			}
		}
		if c.len() != len(want) {
			t.Errorf("%d keys: len %d, want %d", keys, c.len(), len(want))
		}
		for k, n := range want {
			if got := c.get(k); got != n {
				t.Errorf("%d keys: get(%#x) = %d, want %d", keys, k, got, n)
			}
		}
		if got := maps.Collect(c.all()); !maps.Equal(got, want) {
			t.Errorf("%d keys: all() holds %d keys, want %d", keys, len(got), len(want))
		}
		if got := c.get(0xdeadbeef); want[0xdeadbeef] != got {
			t.Errorf("get of an absent key = %d", got)
		}
	}
	var empty counts
	if empty.get(7) != 0 || empty.len() != 0 {
		t.Error("the zero counts is not empty")
	}
}

// TestSlotOrder: fromSlotOrder inverts inSlotOrder, and keys sorted by
// inSlotOrder have their slots in order, in tables of every size.
func TestSlotOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	keys := []uint32{0, 1, 2, 1 << 31, math.MaxUint32}
	for range 10000 {
		keys = append(keys, r.Uint32())
	}
	for _, k := range keys {
		if got := fromSlotOrder(inSlotOrder(k)); got != k {
			t.Fatalf("fromSlotOrder(inSlotOrder(%d)) = %d", k, got)
		}
	}
	slices.SortFunc(keys, func(a, b uint32) int { return cmp.Compare(inSlotOrder(a), inSlotOrder(b)) })
	for size := 2; size <= 1<<31; size *= 2 {
		shift := shiftFor(size)
		for i := 1; i < len(keys); i++ {
			a, b := fibonacci(keys[i-1], shift), fibonacci(keys[i], shift)
			if a > b || b >= size {
				t.Fatalf("%d slots: slots %d then %d", size, a, b)
			}
		}
	}
}
