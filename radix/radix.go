// Package radix sorts unsigned integers by their bytes.
//
// A least-significant-digit radix sort makes one stable pass per byte:
// it counts the values of each byte value, turns the counts into starting
// offsets, and scatters the values to their places in a second buffer. The
// passes read and write memory in order, where a comparison sort of a
// large slice waits on branches it cannot predict: on the hundred thousand
// random keys of an LSH band, or the hundred thousand term hashes of a
// batch of documents, it is several times faster than slices.Sort. A byte
// that every value shares (the high bytes of small numbers) is skipped.
// On a few hundred values a comparison sort is as fast: this is for large
// slices.
package radix

import "math/bits"

// Sort sorts a in increasing order, using tmp, of a's length at least, as
// the other buffer, and returns tmp (a's memory holds the result).
func Sort[T uint32 | uint64](a, tmp []T) []T {
	if len(a) < 2 {
		return tmp
	}
	tmp = tmp[:len(a)]
	src, dst := a, tmp
	width := bits.Len64(uint64(^T(0)))
	for shift := 0; shift < width; shift += 8 {
		var count [256]int
		for _, v := range src {
			count[byte(v>>shift)]++
		}
		if count[byte(src[0]>>shift)] == len(src) {
			continue // every value has this byte
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, v := range src {
			d := byte(v >> shift)
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
