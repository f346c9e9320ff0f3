// Package minhash computes MinHash signatures of sets of 64-bit hashes and
// finds pairs of similar sets with locality-sensitive hashing (LSH).
//
// # MinHash
//
// For a random permutation π of the hash space, the probability that the
// smallest π-value of set A equals the smallest π-value of set B is exactly
// their Jaccard similarity J = |A∩B| / |A∪B|: the smallest element of A∪B
// under π is equally likely to be any of its elements, and the two minima
// agree exactly when that element lies in A∩B. A signature keeps the minima
// under k independent permutations; the fraction of positions where two
// signatures agree is an unbiased estimate of J with variance J(1−J)/k
// (standard deviation 0.044 at J=0.5, k=128).
//
// The permutations are the multiply-shift family h_i(x) = (a_i·x + b_i) mod
// 2^64, keeping the top 32 bits, with a_i odd and a_i, b_i drawn from a
// seeded splitmix64 stream. Inputs are xxhash64 values, already uniform, so
// this family behaves as a random permutation for the minimum; a 32-bit
// value makes a spurious agreement of two different minima a 2^-32 event.
//
// The empty set has no minimum: its signature is empty, and [Similarity] of
// an empty signature with anything is 0, so empty texts never match.
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

import "math"

// A Signer computes MinHash signatures with a fixed family of permutations.
// It is safe for concurrent use.
type Signer struct {
	a, b []uint64
}

// NewSigner returns a Signer with numPerm permutations drawn from seed.
// Signers with the same numPerm and seed produce the same signatures.
func NewSigner(numPerm int, seed uint64) *Signer {
	s := &Signer{a: make([]uint64, numPerm), b: make([]uint64, numPerm)}
	state := seed
	for i := range numPerm {
		s.a[i] = splitmix64(&state) | 1
		s.b[i] = splitmix64(&state)
	}
	return s
}

// NumPerm returns the signature length.
func (s *Signer) NumPerm() int { return len(s.a) }

// Sign appends the signature of the set of hashes to dst[:0] and returns it.
// Repeated hashes do not change the signature. An empty set gives an empty
// signature.
func (s *Signer) Sign(dst []uint32, hashes []uint64) []uint32 {
	dst = dst[:0]
	if len(hashes) == 0 {
		return dst
	}
	k := len(s.a)
	// Minima are kept as full 64-bit products (their top 32 bits order
	// the same way), which saves a shift in the inner loop.
	var buf [256]uint64
	var mins []uint64
	if k <= len(buf) {
		mins = buf[:k]
	} else {
		mins = make([]uint64, k)
	}
	for i := range mins {
		mins[i] = math.MaxUint64
	}
	a, b := s.a[:k], s.b[:k]
	for _, x := range hashes {
		for i := range mins {
			if h := a[i]*x + b[i]; h < mins[i] {
				mins[i] = h
			}
		}
	}
	for _, m := range mins {
		dst = append(dst, uint32(m>>32))
	}
	return dst
}

// Similarity returns the fraction of positions where the signatures agree:
// the MinHash estimate of the Jaccard similarity. It is 0 when either
// signature is empty or their lengths differ.
func Similarity(a, b []uint32) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	b = b[:len(a)]
	eq := 0
	for i, v := range a {
		if v == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

// splitmix64 returns the next value of Steele, Lea and Flood's SplitMix64
// generator: a fast, well-mixed stream from a 64-bit seed.
func splitmix64(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	z := *state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// mix64 is a fast 64-bit finalizer (from MurmurHash3's fmix64).
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	return x ^ (x >> 33)
}
