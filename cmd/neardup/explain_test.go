package main

import (
	"strings"
	"testing"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/cluster"
	"github.com/neardup/neardup/tfidf"
)

// TestNotCopies: explain says in words the rule that clustering names
// (cluster.TestCopyWhy checks that it names the right one).
func TestNotCopies(t *testing.T) {
	cfg := neardup.DefaultConfig()
	names := map[uint32]string{1: "alpha", 2: "beta", 3: "gamma", 4: "delta"}
	v := tfidf.NewVector([]uint32{1, 2, 3, 4}, []float64{4, 3, 2, 1})
	for _, tt := range []struct {
		name   string
		why    cluster.CopyStep
		fa, fb int // families
		want   string
	}{
		{"text", cluster.CopyText, -1, -1, "their texts differ (estimated Jaccard below 0.60, neither contained 0.80 in the other)"},
		{"template", cluster.CopyTemplate, 0, 0, "neither holds the other's 3 heaviest terms (alpha, beta, gamma; alpha, beta, gamma)"},
		{"subject", cluster.CopySubject, -1, -1, "share text but not their subject (cosine below 0.50)"},
		{"subject, two families", cluster.CopySubject, 0, 5, "share text but not their subject"},
		{"family cosine", cluster.CopySubject, 0, 0, "their cosine weighed by what varies among its members is below 0.50"},
		{"unlinked", cluster.CopyUnlinked, -1, -1, "they were never paired as candidates"},
		{"representatives", cluster.CopyRepresentative, -1, -1, "they ended under different representatives"},
	} {
		a := &neardup.Detail{Vec: v, Terms: names, Family: tt.fa}
		b := &neardup.Detail{Vec: v, Terms: names, Family: tt.fb}
		if got := notCopies(cfg, a, b, tt.why); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
