package minhash_test

import (
	"fmt"
	"slices"

	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/shingle"
)

func ExampleSigner() {
	s := minhash.NewSigner(128, 1)
	a := s.Sign(nil, shingle.Append(nil, "اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد في العاصمه", 5))
	b := s.Sign(nil, shingle.Append(nil, "اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد في المدينه", 5))
	fmt.Printf("%.2f\n", minhash.Similarity(a, b))
	// Output: 0.83
}

func ExampleOptimal() {
	p := minhash.Optimal(0.8, 128)
	fmt.Printf("%v, effective threshold %.3f, P(0.8) = %.3f\n", p, p.Threshold(), p.Probability(0.8))
	// Output: 16x8, effective threshold 0.707, P(0.8) = 0.947
}

// A piece of a signature, for schemes whose positions are independent
// hashes, costs only its share of the work and equals that slice of the
// whole signature.
func ExampleSigner_Positions() {
	whole := minhash.NewSchemeSigner(minhash.MultiplyShift, 128, 1)
	piece, err := whole.Positions(32, 64)
	if err != nil {
		panic(err)
	}
	set := shingle.Append(nil, "اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد", 5)
	fmt.Println(slices.Equal(piece.Sign(nil, set), whole.Sign(nil, set)[32:64]))
	_, err = minhash.NewSigner(128, 1).Positions(0, 32)
	fmt.Println(err)
	// Output:
	// true
	// minhash: fss signatures have no independent positions
}

// An Index finds the candidate pairs of documents whose signatures agree
// on a whole band; the Keep test spares the caller the pairs it would
// reject.
func ExampleIndex() {
	texts := []string{
		"اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد في العاصمه يضم مئتي سرير",
		"فاز المنتخب الوطني بكاس البطوله بعد مباراه مثيره انتهت بركلات الترجيح",
		"اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد في العاصمه يضم مئه سرير",
	}
	s := minhash.NewSigner(128, 1)
	ix := minhash.NewIndex[uint16](minhash.Optimal(0.6, 128))
	var sigs [][]uint16
	for i, t := range texts {
		sig := minhash.Trim16(nil, s.Sign(nil, shingle.Append(nil, t, 5)))
		sigs = append(sigs, sig)
		ix.Add(uint32(i), sig)
	}
	pairs, _ := ix.Pairs(minhash.PairOptions{MaxBucket: 100, Keep: func(a, b uint32) bool {
		return minhash.Similarity(sigs[a], sigs[b]) >= 0.6
	}})
	for _, p := range pairs {
		a, b := minhash.Unpack(p)
		fmt.Printf("%d %d %.2f\n", a, b, minhash.Similarity(sigs[a], sigs[b]))
	}
	// Output: 0 2 0.89
}
