// Package shingle cuts normalized text into character k-grams (shingles)
// and hashes each one with xxhash64.
//
// Shingles are k consecutive code points, not bytes: an Arabic letter is two
// bytes in UTF-8, and a byte k-gram would weigh Arabic and Latin text
// differently. Two texts that share a long passage share every shingle of
// it, so the Jaccard similarity of their shingle sets measures how much text
// they have in common, whatever its order.
//
// A text shorter than k code points is one shingle (the whole text), so short
// texts can still match their exact copies. An empty text has no shingles;
// callers must treat it as matching nothing.
package shingle

import (
	"unicode/utf8"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	asmutf8 "github.com/segmentio/asm/utf8"
)

// DefaultK is the default shingle length in code points. Five characters
// span about one Arabic word, short enough to survive small edits and long
// enough that unrelated texts share few shingles.
const DefaultK = 5

// Append appends the xxhash64 of every k-gram of code points of s to dst
// and returns the extended slice. Repeated k-grams are appended each time
// they occur. It allocates only when dst must grow. k must be at least 1.
// Code points are those a range over s yields: a byte that begins no valid
// UTF-8 sequence is one.
func Append(dst []uint64, s string, k int) []uint64 {
	if s == "" {
		return dst
	}
	// The shingle is s[start:end]; both ends step one code point at a
	// time.
	end := 0
	for n := 0; n < k; n++ {
		if end == len(s) {
			return append(dst, xxhash.Sum64String(s)) // shorter than k
		}
		end += width(s, end)
	}
	if asmutf8.Valid(unsafe.Slice(unsafe.StringData(s), len(s))) {
		return appendValid(dst, s, end)
	}
	for start := 0; ; {
		dst = append(dst, xxhash.Sum64String(s[start:end]))
		if end == len(s) {
			return dst
		}
		start += width(s, start)
		end += width(s, end)
	}
}

// appendValid is Append's loop over valid UTF-8, as normalized text is,
// from its first shingle s[:end] on. A code point's length is then told by
// its first byte, read from a table: a branch on it (ASCII or an Arabic
// letter?) was mispredicted at both ends of every word. The check that the
// text is valid costs a fraction of a nanosecond a byte (segmentio/asm).
func appendValid(dst []uint64, s string, end int) []uint64 {
	for start := 0; ; {
		dst = append(dst, xxhash.Sum64String(s[start:end]))
		if end == len(s) {
			return dst
		}
		start += int(leadWidth[s[start]])
		end += int(leadWidth[s[end]])
	}
}

// leadWidth is the length of a code point of valid UTF-8 by its first
// byte (1 for continuation bytes, which no code point begins with).
var leadWidth = func() (w [256]uint8) {
	for b := range w {
		switch {
		case b >= 0xF0:
			w[b] = 4
		case b >= 0xE0:
			w[b] = 3
		case b >= 0xC0:
			w[b] = 2
		default:
			w[b] = 1
		}
	}
	return w
}()

// width returns the length in bytes of the code point at s[i], as a range
// over s steps: 1 for a byte that begins no valid sequence.
func width(s string, i int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}

// Count returns the number of shingles Append would produce for s.
func Count(s string, k int) int {
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return 0
	case n < k:
		return 1
	}
	return n - k + 1
}

// A Set removes repeated hashes from lists of shingle hashes. It keeps its
// table between calls, so that reusing one Set allocates only when a list
// is longer than any before. The zero value is ready to use; a Set is not
// safe for concurrent use.
//
// A text of n shingles holds about n distinct ones: an open-addressing
// table finds them in O(n), where sorting took O(n log n) and was the
// largest cost of signing a document.
type Set struct {
	slots []uint64 // 0 is an empty slot; a zero hash is tracked by zero
}

// Distinct rewrites hashes to hold each value once, in the order of first
// occurrence, and returns the shortened slice.
func (s *Set) Distinct(hashes []uint64) []uint64 {
	// The table has twice as many slots as the list has values, so that it
	// never fills half; but a list of tens of millions (a whole book in one
	// record), with few distinct values, starts at maxStart slots, and the
	// table doubles whenever it is half full.
	size := 16
	for size < 2*len(hashes) && size < maxStart {
		size *= 2
	}
	return s.distinct(hashes, size)
}

// distinct is Distinct with a table of size slots to start with.
func (s *Set) distinct(hashes []uint64, size int) []uint64 {
	slots := s.table(size)
	out := hashes[:0]
	zero := false
	for _, h := range hashes {
		if h == 0 {
			if !zero {
				zero = true
				out = append(out, h)
			}
			continue
		}
		if 2*len(out) >= len(slots) {
			slots = s.table(2 * len(slots))
			for _, v := range out {
				if v != 0 {
					insert(slots, v)
				}
			}
		}
		if insert(slots, h) {
			out = append(out, h)
		}
	}
	return out
}

// maxStart is the largest table Distinct starts with: 64 MiB.
const maxStart = 1 << 23

// table returns s's table with size empty slots.
func (s *Set) table(size int) []uint64 {
	if cap(s.slots) < size {
		s.slots = make([]uint64, size)
	}
	slots := s.slots[:size]
	clear(slots)
	return slots
}

// insert adds the non-zero h to the table, whose length is a power of
// two, and reports whether it was new. xxhash64 values are uniform, so
// their top bits serve as the slot.
func insert(slots []uint64, h uint64) bool {
	mask := uint64(len(slots) - 1)
	for i := h >> 32 & mask; ; i = (i + 1) & mask {
		switch slots[i] {
		case h:
			return false
		case 0:
			slots[i] = h
			return true
		}
	}
}
