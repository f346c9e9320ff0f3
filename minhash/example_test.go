package minhash_test

import (
	"fmt"

	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/shingle"
)

func ExampleSigner() {
	s := minhash.NewSigner(128, 1)
	a := s.Sign(nil, shingle.Append(nil, "اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد في العاصمه", 5))
	b := s.Sign(nil, shingle.Append(nil, "اعلنت وزاره الصحه اليوم عن افتتاح مستشفي جديد في المدينه", 5))
	fmt.Printf("%.2f\n", minhash.Similarity(a, b))
	// Output: 0.80
}

func ExampleOptimal() {
	p := minhash.Optimal(0.8, 128)
	fmt.Printf("%v, effective threshold %.3f, P(0.8) = %.3f\n", p, p.Threshold(), p.Probability(0.8))
	// Output: 16x8, effective threshold 0.707, P(0.8) = 0.947
}
