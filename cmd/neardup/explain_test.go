package main

import (
	"strings"
	"testing"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/tfidf"
)

// TestNotCopies: explain names the rule that keeps two documents apart.
func TestNotCopies(t *testing.T) {
	cfg := neardup.DefaultConfig()
	same := make([]uint16, cfg.NumPerm) // identical signatures: Jaccard 1
	other := make([]uint16, cfg.NumPerm)
	for i := range other {
		other[i] = 1
	}
	half := make([]uint16, cfg.NumPerm) // Jaccard 0.5
	for i := range half[:cfg.NumPerm/2] {
		half[i] = 1
	}
	names := map[uint32]string{}
	for h := uint32(1); h <= 12; h++ {
		names[h] = "t" + string(rune('a'+h))
	}
	vec := func(terms []uint32, weights []float64) tfidf.Vector { return tfidf.NewVector(terms, weights) }
	body := []uint32{1, 2, 3, 4, 5, 6}
	flat := []float64{1, 1, 1, 1, 1, 1}
	// Two fillings of one template: the body shared, each its own heavy names.
	filledA := vec([]uint32{1, 2, 3, 4, 5, 6, 7, 8, 9}, []float64{2, 2, 2, 2, 2, 2, 2.5, 2.5, 2.5})
	filledB := vec([]uint32{1, 2, 3, 4, 5, 6, 10, 11, 12}, []float64{2, 2, 2, 2, 2, 2, 2.5, 2.5, 2.5})
	for _, tt := range []struct {
		name   string
		sa, sb []uint16
		va, vb tfidf.Vector
		fa, fb int // families
		want   string
	}{
		{"text", same, other, vec(body, flat), vec(body, flat), -1, -1, "their texts differ"},
		{"subject", same, same, vec(body, flat), vec([]uint32{7, 8, 9}, []float64{1, 1, 1}), -1, -1, "share text but not their subject"},
		{"template", same, same, filledA, filledB, 0, 0, "neither holds the other's 3 heaviest terms"},
		// The family's rules hold between its members only.
		{"template, no family", same, same, filledA, filledB, -1, -1, "as a pair they pass the copy tests"},
		{"template, two families", same, same, filledA, filledB, 0, 5, "as a pair they pass the copy tests"},
		{"family cosine", same, same, vec(body, flat), vec(body, flat), 0, 0, "weighed by what varies among its members"},
		// Contained, not alike (Jaccard below the threshold): the
		// heaviest-terms rule does not apply, the family's cosine does.
		{"contained in a family", same, half, filledA, filledB, 0, 0, "weighed by what varies among its members"},
		{"representatives", same, same, vec(body, flat), vec(body, flat), -1, -1, "as a pair they pass the copy tests"},
	} {
		a := &neardup.Detail{Sig: tt.sa, Vec: tt.va, Terms: names, Family: tt.fa}
		b := &neardup.Detail{Sig: tt.sb, Vec: tt.vb, Terms: names, Family: tt.fb}
		sb := 1000
		if tt.name == "contained in a family" {
			sb = 100 // ten times smaller: J 0.5 is containment 1
		}
		if got := notCopies(cfg, a, b, 1000, sb); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
