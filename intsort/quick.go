package intsort

import (
	"math/bits"
	"slices"
)

// Sort sorts a in increasing order: a quicksort whose partition has no
// branch on the values, finished by insertion sort under 32 values. A
// partition more than 2·log2(n) deep, which only an adversary's input
// reaches, hands its part to slices.Sort, so that the time stays
// O(n log n).
func Sort[T uint32 | uint64](a []T) {
	quick(a, 2*bits.Len(uint(len(a))))
}

// small is the length under which insertion sort finishes a part: on few
// values its branches are learnt.
const small = 32

func quick[T uint32 | uint64](a []T, depth int) {
	for len(a) > small {
		if depth == 0 {
			slices.Sort(a)
			return
		}
		depth--
		p := medianOfThree(a)
		lt := partition(a, p)
		if lt == 0 {
			// p is the smallest value: its copies, gathered at the
			// front, are in place.
			a = a[gather(a, p):]
			continue
		}
		// The smaller part recursively, the larger in the loop: the
		// stack stays O(log n) deep.
		if lt < len(a)-lt {
			quick(a[:lt], depth)
			a = a[lt:]
		} else {
			quick(a[lt:], depth)
			a = a[:lt]
		}
	}
	for i := 1; i < len(a); i++ {
		v, j := a[i], i
		for ; j > 0 && a[j-1] > v; j-- {
			a[j] = a[j-1]
		}
		a[j] = v
	}
}

// Smallest reorders a so that its n smallest values come first, in no
// particular order: a quickselect, linear on average, on the partition of
// Sort. It is how a document's heaviest terms are chosen, where sorting
// all of its few hundred terms to keep 48 was most of the cost.
func Smallest[T uint32 | uint64](a []T, n int) {
	lo, hi := 0, len(a) // the n-th smallest lies in a[lo:hi]
	for hi-lo > 16 {
		part := a[lo:hi]
		p := medianOfThree(part)
		lt := lo + partition(part, p)
		switch {
		case n < lt:
			hi = lt
		case lt > lo:
			lo = lt
		default: // p is the smallest of a[lo:hi]
			eq := lo + gather(part, p)
			if n <= eq {
				return
			}
			lo = eq
		}
	}
	slices.Sort(a[lo:hi])
}

// medianOfThree returns the median of a's first, middle and last values.
func medianOfThree[T uint32 | uint64](a []T) T {
	x, y, z := a[0], a[len(a)/2], a[len(a)-1]
	return max(min(x, y), min(max(x, y), z))
}

// partition moves the values of a below p to its front and returns how
// many they are. Every value is swapped to the front, which grows by the
// borrow of v − p: 1 if v < p, taken without a branch.
func partition[T uint32 | uint64](a []T, p T) int {
	lt := 0
	for i, v := range a {
		a[i] = a[lt]
		a[lt] = v
		_, below := bits.Sub64(uint64(v), uint64(p), 0)
		lt += int(below)
	}
	return lt
}

// gather moves the copies of p, the smallest value of a, to its front and
// returns how many they are. It is called when no value is below the pivot,
// which partition alone would then not move past.
func gather[T uint32 | uint64](a []T, p T) int {
	eq := 0
	for i, v := range a {
		if v == p {
			a[i], a[eq] = a[eq], v
			eq++
		}
	}
	return eq
}
