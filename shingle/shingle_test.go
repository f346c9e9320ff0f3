package shingle

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// naive is the definition: every k-gram of the code points a range over s
// yields, an invalid byte being one, cut at their offsets, each hashed by
// direct.
func naive(s string, k int) []uint64 {
	var at []int
	for i := range s {
		at = append(at, i)
	}
	if len(at) == 0 {
		return nil
	}
	at = append(at, len(s))
	if len(at) <= k {
		return []uint64{direct(s, at)}
	}
	var out []uint64
	for i := 0; i+k < len(at); i++ {
		out = append(out, direct(s, at[i:i+k+1]))
	}
	return out
}

// direct is Hash's definition, evaluated as written: the code points of s
// begin at the offsets at (and the last ends at its last element).
func direct(s string, at []int) uint64 {
	var h uint64
	for i := 0; i+1 < len(at); i++ {
		var v uint64
		for j := at[i]; j < at[i+1]; j++ {
			v |= uint64(s[j]) << (8 * (j - at[i]))
		}
		h = h*base + v
	}
	return fmix(h + uint64(len(at)-1))
}

func TestAppend(t *testing.T) {
	tests := []struct {
		s    string
		k    int
		want int
	}{
		{"", 5, 0},
		{"ab", 5, 1},
		{"abcde", 5, 1},
		{"abcdef", 5, 2},
		{"مرحبا بكم", 5, 5},
		{"مرحبا بكم", 1, 9},
		{"مرحبا بكم في الكتاب", 20, 1},
		{"مرحبا بكم في الكتاب والقلم", 18, 9},
		{"ab\xffم\xd9", 2, 4},          // invalid bytes are code points
		{"€𝄞\xe2\x82م", 2, 4},          // three and four bytes; a cut sequence is two
		{"\xc0\x80\xd9\xd9\x85", 3, 2}, // an overlong pair is two bytes, not one code point
		{"€𝄞م €ab𝄞", 3, 6},             // valid, of every length
		{"ab€\xff𝄞م", 3, 4},            // one invalid byte among them
	}
	for _, tt := range tests {
		got := Append(nil, tt.s, tt.k)
		if len(got) != tt.want || Count(tt.s, tt.k) != tt.want {
			t.Errorf("Append(%q, %d): %d shingles, Count %d, want %d", tt.s, tt.k, len(got), Count(tt.s, tt.k), tt.want)
		}
		want := naive(tt.s, tt.k)
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("Append(%q, %d)[%d] differs from the definition", tt.s, tt.k, i)
			}
		}
	}
}

// TestHashIsOneToOne: the k-grams of the user's seed articles, for k from
// 1 to 8, and a text shorter than k against the k-gram that begins with
// NUL and goes on with it, get as many hashes as there are k-grams.
func TestHashIsOneToOne(t *testing.T) {
	paths, err := filepath.Glob("../testdata/seeds/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	for k := 1; k <= 8; k++ {
		hashOf := make(map[uint64]string)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			var at []int
			for i := range s {
				at = append(at, i)
			}
			at = append(at, len(s))
			for i := 0; i+k < len(at); i++ {
				g := s[at[i]:at[i+k]]
				h := Hash(g)
				if other, ok := hashOf[h]; ok && other != g {
					t.Fatalf("k = %d: %q and %q have one hash", k, g, other)
				}
				hashOf[h] = g
			}
		}
	}
	if Hash("") != 0 {
		t.Error("Hash of the empty string is not 0")
	}
	if Hash("abcd") == Hash("\x00abcd") {
		t.Error("a text shorter than k hashes as the k-gram of NUL and it")
	}
}

// TestAppendLong: texts longer than the piece appendValid reads at a time,
// with code points of every length across the piece's end, hash as the
// definition says.
func TestAppendLong(t *testing.T) {
	for pad := range 8 {
		s := strings.Repeat("a", piece-4+pad) + "€𝄞م b" + benchText() + "𝄞"
		got, want := Append(nil, s, DefaultK), naive(s, DefaultK)
		if !slices.Equal(got, want) {
			t.Errorf("%d bytes of padding: %d shingles, want %d, or their hashes differ", piece-4+pad, len(got), len(want))
		}
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	got := Append([]uint64{7}, "abcdef", 5)
	if len(got) != 3 || got[0] != 7 {
		t.Errorf("got %v", got)
	}
}

func FuzzAppend(f *testing.F) {
	f.Add("مرحبا بكم", 5)
	f.Add("", 3)
	f.Add("\xff\xfeab", 2)
	f.Fuzz(func(t *testing.T, s string, k int) {
		if k < 1 || k > 64 {
			return
		}
		got, want := Append(nil, s, k), naive(s, k)
		if len(got) != len(want) {
			t.Fatalf("Append(%q, %d): %d shingles, want %d", s, k, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("Append(%q, %d)[%d] differs", s, k, i)
			}
		}
	})
}

// benchText is about 3 KB of normalized Arabic text.
func benchText() string {
	s := ""
	for i := 0; len(s) < 3000; i++ {
		s += "قال الرئيس ان الاقتصاد ينمو بنسبه 3 5 في عام " + strconv.Itoa(2000+i) + " "
	}
	return s
}

func BenchmarkAppend(b *testing.B) {
	s := benchText()
	buf := make([]uint64, 0, 4096)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		buf = Append(buf[:0], s, DefaultK)
	}
}

// distinctSorted is the definition of Distinct, up to order.
func distinctSorted(hs []uint64) []uint64 {
	hs = slices.Clone(hs)
	slices.Sort(hs)
	return slices.Compact(hs)
}

func TestDistinct(t *testing.T) {
	tests := []struct {
		name string
		in   []uint64
		want []uint64 // in order of first occurrence
	}{
		{"empty", nil, nil},
		{"one", []uint64{7}, []uint64{7}},
		{"repeats", []uint64{7, 3, 7, 7, 3, 9}, []uint64{7, 3, 9}},
		{"zero hash", []uint64{0, 5, 0, 5}, []uint64{0, 5}},
		// Values that fall into one slot probe onward.
		{"same slot", []uint64{1 << 32, 1<<32 | 1, 1 << 32, 1<<32 | 2}, []uint64{1 << 32, 1<<32 | 1, 1<<32 | 2}},
	}
	var set Set
	for _, tt := range tests {
		got := set.Distinct(slices.Clone(tt.in))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Distinct(%v) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestDistinctGrowing: a table that starts small and grows as it fills,
// as for lists too long to size it at once, finds what Distinct finds, in
// the same order.
func TestDistinctGrowing(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, distinct := range []int{1, 10, 1000, 20000} {
		in := make([]uint64, 50000)
		for i := range in {
			in[i] = rng.Uint64N(uint64(distinct)) * 0x9e3779b97f4a7c15 // 0 among them
		}
		var a, b Set
		want := a.Distinct(slices.Clone(in))
		got := b.distinct(slices.Clone(in), 16)
		if !slices.Equal(got, want) {
			t.Fatalf("%d distinct: growing table found %d values, Distinct %d", distinct, len(got), len(want))
		}
	}
}

func FuzzDistinct(f *testing.F) {
	f.Add("مرحبا بكم مرحبا بكم", 3)
	f.Add("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1)
	var set Set // reused across inputs, as the pipeline does
	f.Fuzz(func(t *testing.T, s string, k int) {
		if k < 1 || k > 64 {
			return
		}
		hs := Append(nil, s, k)
		want := distinctSorted(hs)
		got := set.Distinct(hs)
		if !slices.Equal(distinctSorted(got), want) || len(got) != len(want) {
			t.Fatalf("Distinct of the %d-grams of %q: %d values, want %d", k, s, len(got), len(want))
		}
	})
}

// BenchmarkDistinct measures Set.Distinct on the shingles of a 3 KB text;
// BenchmarkSortCompact, the sort it replaced.
func BenchmarkDistinct(b *testing.B) {
	hs := Append(nil, benchText(), DefaultK)
	buf := make([]uint64, len(hs))
	var set Set
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, hs)
		set.Distinct(buf)
	}
}

func BenchmarkSortCompact(b *testing.B) {
	hs := Append(nil, benchText(), DefaultK)
	buf := make([]uint64, len(hs))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, hs)
		slices.Sort(buf)
		_ = slices.Compact(buf)
	}
}
