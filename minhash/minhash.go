// Package minhash computes MinHash signatures of sets of 64-bit hashes and
// finds pairs of similar sets with locality-sensitive hashing (LSH).
//
// # MinHash
//
// For a random permutation π of the hash space, the probability that the
// smallest π-value of set A equals the smallest π-value of set B is exactly
// their Jaccard similarity J = |A∩B| / |A∪B|: the smallest element of A∪B
// under π is equally likely to be any of its elements, and the two minima
// agree exactly when that element lies in A∩B. A signature keeps k such
// minima; the fraction of positions where two signatures agree estimates J.
// With k independent permutations the estimate is unbiased with variance
// J(1−J)/k (standard deviation 0.044 at J=0.5, k=128).
//
// # Schemes
//
// Five ways to get k minima, all producing 32-bit values (before they are
// cut to 16 bits, below; a spurious agreement of two different 32-bit
// minima is about a 2^-32 event;
// for Classic and MultiplyShift, whose values are the top bits of a
// minimum, about n·2^-32 for sets of n shingles, still negligible):
//
// [Classic]: k independent hash functions h_i(x) = (a_i·x + b_i) mod p with
// p = 2^61−1 prime, computed exactly with 128-bit products and the Mersenne
// reduction (x mod p = (x & p) + (x >> 61)). A 2-universal family over a
// prime field: the textbook scheme. Cost: k multiplications per element.
//
// [MultiplyShift]: h_i(x) = (a_i·x + b_i) mod 2^64, top 32 bits, a_i odd.
// Cheaper per function than Classic, the same k per element.
//
// [OnePermutation] (one-permutation hashing with optimal densification,
// Shrivastava 2017): one hash per element chooses one of k bins and a value;
// each bin keeps its minimum. A bin left empty (likely when the set has
// fewer than a few k elements) borrows the value of the first non-empty bin
// on its own fixed pseudo-random probe sequence, the same for every set, so
// that two sets agree on a borrowed position with the right probability.
// Cost: one hash per element plus the probes.
//
// [SuperMinHash] (Ertl 2017): each element draws, from a
// generator seeded by its hash, a random permutation of the k positions
// (a Fisher–Yates shuffle done lazily) and values r_j + j with r_j uniform
// in [0,1); position p_j keeps the minimum. Because the permutation makes
// the k values of one element land in distinct positions, the k minima are
// negatively correlated, and the estimate's variance is at most J(1−J)/k,
// smaller for small sets. An element stops as soon as j exceeds every
// position's current minimum, so after the first few elements each costs
// about one step: O(n + k log² k) for a set of n elements.
//
// [FastSimilarity] (fast similarity sketching, Dahlgaard, Knudsen and
// Thorup 2017, the default): rounds of one draw per element. In round
// i < k each element's generator gives it a position uniform in [0, k)
// and the value i + r, r uniform in [0, 1); in round k + j every element
// draws a value for position j. A position keeps its minimum, and since a
// round's values are below all later rounds', the rounds stop once every
// position holds a value. Each position's minimum over A∪B is thus the
// value of one element, each element of A∪B as likely as any other, and
// A and B agree there exactly when it lies in A∩B: probability J, as for
// a permutation. A set of a few k elements or more fills every position in
// round 0 (one-permutation hashing without empty bins); a small set takes
// about k ln k / n rounds of fresh draws instead of borrowing its
// neighbours' values, which is what makes densified one-permutation
// hashing noisy on small sets. Cost: O(n + k log k) draws; measured, the
// variance of SuperMinHash at a fifth of its time.
//
// The empty set has no minimum: its signature is empty, and [Similarity] of
// an empty signature with anything is 0, so empty texts never match.
//
// # b-bit signatures
//
// What is stored and compared is the low 16 bits of each value ([Trim16]:
// b-bit MinHash, Li and König 2010), half the memory of 32. Two different
// minima then agree by chance once in 65,536 positions, which raises an
// estimate of J by (1−J)/65536 on average, too little to move a decision;
// but one agreeing position alone is no evidence (a short text against a
// long one), which is why containment is judged on several.
//
// # LSH
//
// Comparing every pair of signatures costs n²/2. LSH cuts a signature into b
// bands of r rows (b·r = k) and makes two sets candidates when all r rows of
// at least one band agree. A band agrees with probability s^r at similarity
// s, so
//
//	P(candidate | s) = 1 − (1 − s^r)^b
//
// an S-curve that rises steepest near s ≈ (1/b)^(1/r). [Optimal] picks the
// b, r with b·r = k that minimize the false-positive area ∫₀ᵗ P(s) ds / t
// plus the false-negative area ∫ₜ¹ (1 − P(s)) ds / (1 − t) around the
// threshold t. Candidates are then verified on their full signatures.
package minhash

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"unsafe"
)

// A Scheme is a way of computing MinHash signatures.
type Scheme uint8

const (
	SuperMinHash   Scheme = iota // Ertl's SuperMinHash
	Classic                      // k universal hashes modulo 2^61−1
	MultiplyShift                // k multiply-shift hashes modulo 2^64
	OnePermutation               // one-permutation hashing, optimal densification
	FastSimilarity               // fast similarity sketching (the default)
)

var schemeNames = [...]string{"superminhash", "classic", "multiply-shift", "oph", "fss"}

// String returns the name ParseScheme accepts.
func (s Scheme) String() string {
	if int(s) < len(schemeNames) {
		return schemeNames[s]
	}
	return fmt.Sprintf("Scheme(%d)", s)
}

// ParseScheme parses "superminhash", "classic", "multiply-shift", "oph" or
// "fss".
func ParseScheme(name string) (Scheme, bool) {
	for i, n := range schemeNames {
		if n == name {
			return Scheme(i), true
		}
	}
	return 0, false
}

// maxStack is the largest signature whose working arrays live on the stack.
const maxStack = 256

// A Signer computes MinHash signatures with a fixed scheme, length and seed.
// It is safe for concurrent use. Signatures are comparable only between
// Signers of the same scheme, length and seed.
type Signer struct {
	scheme Scheme
	k      int
	seed   uint64
	a, b   []uint64 // Classic and MultiplyShift coefficients
	probe  []uint32 // OnePermutation: densification probe sequences, k per bin
}

// Default is the scheme NewSigner uses: as accurate as SuperMinHash, the
// most accurate measured, at a fifth of its cost.
const Default = FastSimilarity

// NewSigner returns a Signer of the Default scheme, numPerm positions drawn
// from seed.
func NewSigner(numPerm int, seed uint64) *Signer {
	return NewSchemeSigner(Default, numPerm, seed)
}

// NewSchemeSigner returns a Signer of the given scheme.
func NewSchemeSigner(scheme Scheme, numPerm int, seed uint64) *Signer {
	s := &Signer{scheme: scheme, k: numPerm, seed: seed}
	state := seed
	switch scheme {
	case Classic:
		s.a, s.b = make([]uint64, numPerm), make([]uint64, numPerm)
		for i := range numPerm {
			s.a[i] = 1 + splitmix64(&state)%(mersenne61-1)
			s.b[i] = splitmix64(&state) % mersenne61
		}
	case MultiplyShift:
		s.a, s.b = make([]uint64, numPerm), make([]uint64, numPerm)
		for i := range numPerm {
			s.a[i] = splitmix64(&state) | 1
			s.b[i] = splitmix64(&state)
		}
	case OnePermutation:
		// Bin i probes bins probe[i*k], probe[i*k+1], …: a fixed random
		// sequence per bin, shared by all sets. k probes find a non-empty
		// bin unless almost all are empty; past them the scan is linear.
		s.probe = make([]uint32, numPerm*numPerm)
		for i := range s.probe {
			s.probe[i] = uint32((splitmix64(&state) >> 32) * uint64(numPerm) >> 32)
		}
	}
	return s
}

// NumPerm returns the signature length.
func (s *Signer) NumPerm() int { return s.k }

// Positions returns a Signer whose signatures are positions lo to hi−1 of
// s's: a piece of a long signature costs only its share of the work. Only
// the schemes whose positions are independent permutations (Classic and
// MultiplyShift) have pieces; SuperMinHash and one-permutation hashing
// fill all positions together.
func (s *Signer) Positions(lo, hi int) (*Signer, error) {
	if s.scheme != Classic && s.scheme != MultiplyShift {
		return nil, fmt.Errorf("minhash: %v signatures have no independent positions", s.scheme)
	}
	if lo < 0 || hi > s.k || lo > hi {
		return nil, fmt.Errorf("minhash: positions %d to %d of %d", lo, hi, s.k)
	}
	return &Signer{scheme: s.scheme, k: hi - lo, seed: s.seed, a: s.a[lo:hi:hi], b: s.b[lo:hi:hi]}, nil
}

// Scheme returns the signer's scheme.
func (s *Signer) Scheme() Scheme { return s.scheme }

// Sign appends the signature of the set of hashes to dst[:0] and returns it.
// Repeated hashes do not change the signature. An empty set gives an empty
// signature. Sign does not allocate when dst has room for the signature
// and the signature has at most 256 positions.
func (s *Signer) Sign(dst []uint32, hashes []uint64) []uint32 {
	dst = dst[:0]
	if len(hashes) == 0 {
		return dst
	}
	switch s.scheme {
	case Classic:
		return s.classic(dst, hashes)
	case MultiplyShift:
		return s.multiplyShift(dst, hashes)
	case OnePermutation:
		return s.onePermutation(dst, hashes)
	case FastSimilarity:
		return s.fastSimilarity(dst, hashes)
	}
	return s.superMinHash(dst, hashes)
}

// scratch returns a slice of k uint64s, on the caller's stack if k fits.
func scratch(buf *[maxStack]uint64, k int) []uint64 {
	if k <= maxStack {
		return buf[:k]
	}
	return make([]uint64, k)
}

const mersenne61 = 1<<61 - 1

// mulmod61 returns a·x + b mod 2^61−1 for a, b, x < 2^61−1, exactly.
func mulmod61(a, x, b uint64) uint64 {
	hi, lo := bits.Mul64(a, x)
	// a·x = hi·2^64 + lo = (hi·8 + lo>>61)·2^61 + (lo & p), and 2^61 ≡ 1.
	r := (lo & mersenne61) + (hi<<3 | lo>>61) + b
	r = (r & mersenne61) + (r >> 61)
	if r >= mersenne61 {
		r -= mersenne61
	}
	return r
}

func (s *Signer) classic(dst []uint32, hashes []uint64) []uint32 {
	var buf [maxStack]uint64
	mins := scratch(&buf, s.k)
	for i := range mins {
		mins[i] = math.MaxUint64
	}
	a, b := s.a[:len(mins)], s.b[:len(mins)]
	for _, x := range hashes {
		x = (x & mersenne61) + (x >> 61) // x mod p, up to one p too many: harmless
		for i := range mins {
			if h := mulmod61(a[i], x, b[i]); h < mins[i] {
				mins[i] = h
			}
		}
	}
	for _, m := range mins {
		dst = append(dst, uint32(m>>29)) // the top 32 of 61 bits
	}
	return dst
}

func (s *Signer) multiplyShift(dst []uint32, hashes []uint64) []uint32 {
	// Position by position, each minimum kept in a register over all the
	// elements (which stay in the cache), and taken by min, not by a
	// branch: over an event set's two dozen terms a new minimum is a coin
	// toss the branch predictor misses. The top 32 bits order as the full
	// products do.
	for i := range s.k {
		a, b := s.a[i], s.b[i]
		m0, m1 := uint64(math.MaxUint64), uint64(math.MaxUint64)
		j := 0
		for ; j+1 < len(hashes); j += 2 { // two chains of min, in parallel
			m0 = min(m0, a*hashes[j]+b)
			m1 = min(m1, a*hashes[j+1]+b)
		}
		if j < len(hashes) {
			m0 = min(m0, a*hashes[j]+b)
		}
		dst = append(dst, uint32(min(m0, m1)>>32))
	}
	return dst
}

func (s *Signer) onePermutation(dst []uint32, hashes []uint64) []uint32 {
	var buf [maxStack]uint64
	mins := scratch(&buf, s.k)
	for i := range mins {
		mins[i] = math.MaxUint64
	}
	k := uint64(s.k)
	for _, x := range hashes {
		h := mix64(x ^ s.seed)
		bin := (h >> 32) * k >> 32
		if v := h & 0xffffffff; v < mins[bin] {
			mins[bin] = v
		}
	}
	for i := range mins {
		v := mins[i]
		if v == math.MaxUint64 { // empty bin: borrow along its probe sequence
			for _, j := range s.probe[i*s.k : (i+1)*s.k] {
				if mins[j] != math.MaxUint64 {
					v = mins[j]
					break
				}
			}
			for j := 0; v == math.MaxUint64; j++ {
				v = mins[j]
			}
		}
		dst = append(dst, uint32(v))
	}
	return dst
}

// superMinHash implements Algorithm 1 of Ertl, "SuperMinHash – A New
// Minwise Hashing Algorithm for Jaccard Similarity Estimation" (2017).
// Values r + j are held as fixed-point j<<32 | r.
func (s *Signer) superMinHash(dst []uint32, hashes []uint64) []uint32 {
	k := s.k
	var hbuf [maxStack]uint64
	h := scratch(&hbuf, k)
	var pbuf, qbuf, bbuf [maxStack]int32
	var p, q, b []int32
	if k <= maxStack {
		p, q, b = pbuf[:k], qbuf[:k], bbuf[:k]
	} else {
		p, q, b = make([]int32, k), make([]int32, k), make([]int32, k)
	}
	for j := range k {
		h[j] = math.MaxUint64
		q[j] = -1
		b[j] = 0
	}
	b[k-1] = int32(k) // b[j] counts positions whose value's integer part is j
	a := k - 1        // the largest integer part of any current value
	for i, x := range hashes {
		if a == 0 {
			// Every position holds a value below 1, so only each
			// element's first draw can lower one: finish on that alone.
			s.superMinHashTail(h, hashes[i:])
			break
		}
		rng := x ^ s.seed
		for j := 0; j <= a; j++ {
			z := splitmix64(&rng)
			r := z >> 32                                 // uniform in [0, 2^32)
			l := j + int((z&0xffffffff)*uint64(k-j)>>32) // uniform in [j, k)
			if q[j] != int32(i) {
				q[j], p[j] = int32(i), int32(j)
			}
			if q[l] != int32(i) {
				q[l], p[l] = int32(i), int32(l)
			}
			p[j], p[l] = p[l], p[j]
			pj := p[j]
			if v := uint64(j)<<32 | r; v < h[pj] {
				old := min(int(h[pj]>>32), k-1)
				h[pj] = v
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
	for _, v := range h {
		dst = append(dst, uint32(mix64(v)))
	}
	return dst
}

// fastSimilarity fills the k positions in rounds. In round i < k every
// element draws, from a generator seeded by its hash, a position uniform in
// [0, k) and the value i + r with r uniform in [0, 1); in round k + j
// every element draws a value for position j alone. A position keeps its
// smallest value. A value of round i is below every value of later rounds,
// so once every position holds one, no later round can change anything: the
// rounds stop there, after one round for a set of a few k elements or more.
func (s *Signer) fastSimilarity(dst []uint32, hashes []uint64) []uint32 {
	k := s.k
	var hbuf [maxStack]uint64
	h := scratch(&hbuf, k)
	for j := range h {
		h[j] = math.MaxUint64
	}
	empty := k
	for i := 0; empty > 0; i++ {
		step := uint64(i+1) * 0x9e3779b97f4a7c15 // splitmix64's i-th state step
		if i < k {
			for _, x := range hashes {
				z := splitmixAt(x^s.seed, step)
				l := (z & 0xffffffff) * uint64(k) >> 32
				v := uint64(i)<<32 | z>>32
				if v < h[l] {
					if h[l] == math.MaxUint64 {
						empty--
					}
					h[l] = v
				}
			}
			continue
		}
		if j := i - k; h[j] == math.MaxUint64 {
			for _, x := range hashes {
				z := splitmixAt(x^s.seed, step)
				h[j] = min(h[j], uint64(i)<<32|z>>32)
			}
			empty--
		}
	}
	for _, v := range h {
		dst = append(dst, uint32(mix64(v)))
	}
	return dst
}

// splitmixAt returns the output of a SplitMix64 generator seeded with seed
// after the state step that takes it to seed + step: the i-th draw of an
// element's generator, computed directly.
func splitmixAt(seed, step uint64) uint64 {
	z := seed + step
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// superMinHashTail is SuperMinHash once every position's value is below
// 1: an element's first draw (j = 0) puts the value r at a position l
// uniform in [0, k) — the first step of the shuffle swaps p[0] with a
// fresh p[l] = l — and no later draw, at j ≥ 1, can be smaller. After
// about k ln k elements (620 for k = 128) this is the common case, and it
// costs one generator step per element.
func (s *Signer) superMinHashTail(h []uint64, hashes []uint64) {
	k := uint64(len(h))
	for _, x := range hashes {
		rng := x ^ s.seed
		z := splitmix64(&rng)
		if r, l := z>>32, (z&0xffffffff)*k>>32; r < h[l] {
			h[l] = r
		}
	}
}

// Similarity returns the fraction of positions where the signatures agree:
// the MinHash estimate of the Jaccard similarity. It is 0 when either
// signature is empty or their lengths differ.
func Similarity[V uint16 | uint32](a, b []V) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	var eq int
	if a16, ok := any(a).([]uint16); ok {
		eq = agree16(a16, any(b).([]uint16))
	} else {
		eq = agree(a, b)
	}
	return float64(eq) / float64(len(a))
}

// agree returns the number of positions where a and b, of one length, hold
// the same value.
func agree[V uint16 | uint32](a, b []V) int {
	b = b[:len(a)]
	eq := 0
	for i, v := range a {
		if v == b[i] {
			eq++
		}
	}
	return eq
}

// agree16 is agree for 16-bit values (b as long as a), four at a time in
// one integer: the lanes of a XOR b that are zero. Compared one at a time,
// whether two values agree is a coin toss at middling similarities, which
// the branch predictor misses.
func agree16(a, b []uint16) int {
	const low15, high = 0x7fff7fff7fff7fff, 0x8000800080008000
	n := len(a) &^ 3
	if n == 0 {
		return agree(a, b)
	}
	// The values as bytes, read eight at a time: one load where the
	// processor allows it (the order of the lanes does not matter).
	ab := unsafe.Slice((*byte)(unsafe.Pointer(&a[0])), 2*n)
	bb := unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), 2*n)
	differ := 0
	for i := 0; i+8 <= len(ab) && i+8 <= len(bb); i += 8 {
		x := binary.LittleEndian.Uint64(ab[i:]) ^ binary.LittleEndian.Uint64(bb[i:])
		// A lane's top bit, set if its low 15 bits are not all zero (the
		// sum stays within the lane), or'ed with its own top bit.
		differ += bits.OnesCount64(((x & low15) + low15 | x) & high)
	}
	return n - differ + agree(a[n:], b[n:len(a)])
}

// Trim16 appends the low 16 bits of each value of sig to dst[:0] and
// returns it: b-bit MinHash (Li and König 2010) with b = 16, in half the
// memory. Two different minima then agree by chance once in 65,536
// positions, which raises an estimate of J by (1−J)/65536 on average: too
// little to move a decision. Empty in, empty out.
func Trim16(dst []uint16, sig []uint32) []uint16 {
	dst = dst[:0]
	for _, v := range sig {
		dst = append(dst, uint16(v))
	}
	return dst
}

// splitmix64 returns the next value of Steele, Lea and Flood's SplitMix64
// generator: a fast, well-mixed stream from a 64-bit seed.
func splitmix64(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	return splitmixAt(*state, 0)
}

// mix64 is a fast 64-bit finalizer (from MurmurHash3's fmix64).
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	return x ^ (x >> 33)
}
