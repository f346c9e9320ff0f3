// Package shingle cuts normalized text into character k-grams (shingles)
// and hashes each one with a rolling hash (see [Hash]).
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
	"encoding/binary"
	"slices"
	"unicode/utf8"
	"unsafe"

	asmutf8 "github.com/segmentio/asm/utf8"
)

// DefaultK is the default shingle length in code points. Five characters
// span about one Arabic word, short enough to survive small edits and long
// enough that unrelated texts share few shingles.
const DefaultK = 5

// Append appends a 64-bit hash of every k-gram of code points of s to dst
// and returns the extended slice (see [Hash] for the hash). Repeated
// k-grams are appended each time they occur. It allocates only when dst
// must grow. k must be at least 1. Code points are those a range over s
// yields: a byte that begins no valid UTF-8 sequence is one.
func Append(dst []uint64, s string, k int) []uint64 {
	if s == "" {
		return dst
	}
	// The code points' values are appended first, and rolled over in
	// place into the hashes of their k-grams.
	start := len(dst)
	if asmutf8.Valid(unsafe.Slice(unsafe.StringData(s), len(s))) {
		dst = appendValid(dst, s)
	} else {
		for i := 0; i < len(s); {
			w := width(s, i)
			dst = append(dst, uint64(spell(s[i:i+w])))
			i += w
		}
	}
	return roll(dst, start, k)
}

// Hash is the hash Append gives a k-gram, the code points of s (or s
// whole if it has fewer than k): the polynomial whose coefficients are the
// code points' values (the integer each one's UTF-8 bytes spell, little-
// endian, or an invalid byte's own value), taken at the odd constant base
// modulo 2⁶⁴, plus the number of code points, through murmur3's 64-bit
// finalizer. The polynomial rolls: the next k-gram's follows from this
// one's in two multiplications whatever k, where xxhash64 of each k-gram
// took two thirds longer, mostly in branches on its length that the
// processor mispredicts (BenchmarkAppend). The finalizer is a bijection
// that spreads every bit over the word, for the MinHash signers and Set's
// table, which take bits from the top. Two k-grams collide only when the
// difference of their polynomials vanishes at base, as unlikely for text
// as two 64-bit values drawn at random agreeing; like xxhash64, it is not
// built to resist someone who crafts colliding text on purpose. The empty
// string, of no k-gram, has hash 0.
func Hash(s string) uint64 {
	if s == "" {
		return 0
	}
	return Append(nil, s, utf8.RuneCountInString(s))[0]
}

// base is the polynomial's point: odd, so that its powers never vanish
// modulo 2⁶⁴, and with its bits spread (2⁶⁴ divided by the golden ratio).
const base = 0x9e3779b97f4a7c15

// roll turns the code point values dst[start:] into the hashes of their
// k-grams, in place, and returns the shortened slice.
func roll(dst []uint64, start, k int) []uint64 {
	c := dst[start:]
	n := min(k, len(c))
	var h, bk uint64 = 0, 1
	for _, v := range c[:n] {
		h = h*base + v
		bk *= base
	}
	last := len(c) - n
	// The k-gram at i is read before its first value is overwritten by
	// its hash.
	for i := range last {
		out := fmix(h + uint64(n))
		h = h*base + c[i+n] - c[i]*bk
		c[i] = out
	}
	c[last] = fmix(h + uint64(n))
	return dst[:start+last+1]
}

// fmix is murmur3's 64-bit finalizer.
func fmix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// spell is the value of the code point whose UTF-8 bytes are b: the
// integer they spell, little-endian. It is one-to-one on code points, and
// an invalid byte, alone, spells a value no valid code point does.
func spell(b string) uint32 {
	var x uint32
	for i := len(b) - 1; i >= 0; i-- {
		x = x<<8 | uint32(b[i])
	}
	return x
}

// appendValid appends the values of the code points of s, valid UTF-8 as
// normalized text is. Every byte is visited, and four bytes read from it,
// masked to the length of the code point it begins (told by the byte, from
// a table), are written whether it begins one or not; the write position
// advances only past values of first bytes. No branch depends on the text,
// and no byte's position waits on the one before it, as when stepping
// from code point to code point by their lengths (BenchmarkAppend 10.8–
// 11.1 µs a 3 KB text that way, 7.9–9.9 µs this way). The check that the text is valid costs a
// fraction of a nanosecond a byte (segmentio/asm).
func appendValid(dst []uint64, s string) []uint64 {
	bs := unsafe.Slice(unsafe.StringData(s), len(s))
	i := 0
	for i+4 <= len(bs) {
		// A piece at a time, so that dst grows by little more than the
		// values it gets, not by a value a byte of a long text.
		end := min(i+piece, len(bs)-3)
		n := len(dst)
		dst = slices.Grow(dst, end-i)[:n+end-i]
		out := dst[n:]
		j := 0
		for ; i < end; i++ {
			t := lead[bs[i]]
			out[j] = uint64(binary.LittleEndian.Uint32(bs[i:]) & uint32(t))
			j += int(t >> 32)
		}
		dst = dst[:n+j]
	}
	for ; i < len(s); i++ { // the last three bytes, of which some may continue a code point begun before
		if lead[s[i]] != 0 {
			dst = append(dst, uint64(spell(s[i:i+int(leadWidth[s[i]])])))
		}
	}
	return dst
}

// piece is how many bytes appendValid reads before it grows dst again.
const piece = 4096

// lead tells, by a byte of valid UTF-8, whether it begins a code point (1
// in bit 32), and masks four bytes read from it to that code point's
// length (the low 32 bits).
var lead = func() (t [256]uint64) {
	masks := [5]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff}
	for b := range t {
		if b&0xc0 != 0x80 {
			t[b] = 1<<32 | masks[leadWidth[b]]
		}
	}
	return t
}()

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
// two, and reports whether it was new. Shingle hashes are uniform, so
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
