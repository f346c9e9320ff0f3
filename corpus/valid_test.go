package corpus

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestValidUTF8 compares validUTF8 with utf8.Valid on every pair of bytes
// and on random runs of three and four bytes, each placed in a text long
// enough for the vectorized check, between Arabic letters and between
// ASCII bytes: at its start, inside its first block of 32 bytes, and
// across the block's end.
func TestValidUTF8(t *testing.T) {
	for _, fill := range []string{strings.Repeat("ب", 40), strings.Repeat("a", 80)} {
		at := []int{0, 14, 30, 31}
		if fill[0] != 'a' {
			at = []int{0, 14, 30} // between letters
		}
		check := func(seq []byte) {
			for _, at := range at {
				b := append(append([]byte(fill[:at]), seq...), fill[at:]...)
				if got, want := validUTF8(b), utf8.Valid(b); got != want {
					t.Fatalf("validUTF8(% x at %d) = %v, want %v", seq, at, got, want)
				}
			}
		}
		for i := range 1 << 16 {
			check([]byte{byte(i >> 8), byte(i)})
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 50000 {
			// Lead bytes of three and four bytes, then any bytes, mostly
			// continuation bytes.
			seq := []byte{byte(0xE0 + r.IntN(32)), 0, 0, 0}
			for k := 1; k < 4; k++ {
				seq[k] = byte(0x80 + r.IntN(64))
				if r.IntN(8) == 0 {
					seq[k] = byte(r.IntN(256))
				}
			}
			check(seq[:3])
			check(seq)
		}
	}
	for _, s := range []string{"", "a", "\xff", "ب", "\xd8"} {
		if got, want := validUTF8([]byte(s)), utf8.ValidString(s); got != want {
			t.Errorf("validUTF8(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzValidUTF8 compares validUTF8 with utf8.Valid.
func FuzzValidUTF8(f *testing.F) {
	for _, s := range []string{"", "ب", "\xed\xa0\x80", "\xf4\x90\x80\x80", strings.Repeat("بa", 20) + "\xc0\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validUTF8(b), utf8.Valid(b); got != want {
			t.Fatalf("validUTF8(% x) = %v, want %v", b, got, want)
		}
	})
}
