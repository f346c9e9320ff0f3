// Package intsort sorts slices of unsigned integers, the keys, hashes and
// packed pairs the pipeline buckets and counts, faster than slices.Sort.
//
// [Radix] is a least-significant-digit radix sort, for large slices: one
// stable pass per digit of 11 bits counts the values of each digit value,
// turns the counts into starting offsets, and scatters the values to their
// places in a second buffer. The passes read and write memory in order,
// where a comparison sort of a large slice waits on branches it cannot
// predict: on the hundred thousand random keys of an LSH band, or the
// hundred thousand term hashes of a batch of documents, it is several
// times faster than slices.Sort. A digit that every value shares (the high
// bits of small numbers) is skipped.
//
// [Sort] is a quicksort for the few hundred values of one document, too
// few for a radix sort's counts to pay: its partition moves every value
// without a branch on which side it goes to, where pdqsort's branch on it
// is a coin toss that the processor mispredicts half the time. [Smallest]
// is a quickselect on the same partition.
package intsort

import "math/bits"

// digit is the number of bits sorted by each pass: three passes for 32
// bits, six for 64, with counts (16 KB) that stay in the fastest cache.
const (
	digit = 11
	mask  = 1<<digit - 1
)

// Radix sorts a in increasing order, using the memory of tmp, of capacity
// len(a) at least, as the other buffer, and returns tmp[:len(a)] (a holds
// the result).
func Radix[T uint32 | uint64](a, tmp []T) []T {
	if len(a) < 2 {
		return tmp
	}
	tmp = tmp[:len(a)]
	src, dst := a, tmp
	width := bits.Len64(uint64(^T(0)))
	for shift := 0; shift < width; shift += digit {
		var count [1 << digit]int
		for _, v := range src {
			count[v>>shift&mask]++
		}
		if count[src[0]>>shift&mask] == len(src) {
			continue // every value has this digit
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, v := range src {
			d := v >> shift & mask
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
	return tmp
}
