package tfidf

import (
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/arabic"
)

// Lines of the tests: three passages (at least MinPassage code points) and
// a short line.
const (
	lineLead  = "اعلن وزير الخارجيه اليوم في مؤتمر صحفي عقده في العاصمه عن اتفاق جديد"
	lineBack  = "وكانت المفاوضات بين البلدين قد توقفت العام الماضي بعد خلاف على الحدود"
	lineOther = "وقال رئيس الوزراء في كلمه امام البرلمان ان الحكومه ستدعم المزارعين"
	lineShort = "اقرا ايضا"
)

// lines joins lines as AppendLines does, and returns where each ends.
func lines(ls ...string) (string, []int) {
	var ends []int
	n := 0
	for i, l := range ls {
		if i > 0 {
			n++
		}
		n += len(l)
		ends = append(ends, n)
	}
	return strings.Join(ls, " "), ends
}

func TestBagLines(t *testing.T) {
	s, ends := lines(lineLead, lineShort, lineBack, lineLead)
	var c Counter
	b, w := c.BagLines(s, ends, MinPassage)
	if want := NewBag(s); !slices.Equal(b.Terms, want.Terms) || !slices.Equal(b.Counts, want.Counts) {
		t.Fatalf("BagLines counts %v %v, Bag %v %v", b.Terms, b.Counts, want.Terms, want.Counts)
	}
	// The lead is passage 0 and 2, the background passage 1; the short
	// line is the rest of the text.
	if len(w.Lines) != 3 || w.Lines[0] != w.Lines[2] || w.Lines[0] == w.Lines[1] {
		t.Fatalf("lines %x", w.Lines)
	}
	for term, want := range map[string]uint64{
		"وزير": 1<<0 | 1<<2, "مفاوض": 1 << 1, "اقرا": 1 << 63, "اتفاق": 1<<0 | 1<<2,
	} {
		i, ok := slices.BinarySearch(b.Terms, Hash(arabic.Stem(term)))
		if !ok {
			t.Fatalf("no term %s", term)
		}
		if w.In[i] != want {
			t.Errorf("%s in %b, want %b", term, w.In[i], want)
		}
	}
	if got, w := c.BagLines("", nil, MinPassage); len(got.Terms) != 0 || len(w.Lines) != 0 {
		t.Errorf("empty text: %v %v", got, w)
	}
	// Longer passages only: the lines are all shorter.
	if _, w := c.BagLines(s, ends, 200); len(w.Lines) != 0 || w.In[0] != 1<<63 {
		t.Errorf("passages of 200 code points: lines %x, in %b", w.Lines, w.In)
	}
	if _, w := c.BagLines(s, ends, 0); len(w.Lines) != 0 {
		t.Errorf("no passages: lines %x", w.Lines)
	}
}

func TestBagLinesManyPassages(t *testing.T) {
	// Passages after the 63rd count as the rest of the text.
	var ls []string
	for i := range 70 {
		ls = append(ls, lineOther+" "+strings.Repeat("ب", i+2))
	}
	s, ends := lines(ls...)
	var c Counter
	b, w := c.BagLines(s, ends, MinPassage)
	if len(w.Lines) != maxPassages {
		t.Fatalf("%d lines", len(w.Lines))
	}
	i, _ := slices.BinarySearch(b.Terms, Hash(arabic.Stem("بب")))
	if w.In[i] != 1<<0 {
		t.Errorf("first line's own term in %b", w.In[i])
	}
	i, _ = slices.BinarySearch(b.Terms, Hash(arabic.Stem(strings.Repeat("ب", 70))))
	if w.In[i] != 1<<63 {
		t.Errorf("70th line's own term in %b", w.In[i])
	}
}

// vectorOf returns the vector of the lines, weighed by the built-in table,
// and their passages.
func vectorOf(ls ...string) (Vector, Passages) {
	s, ends := lines(ls...)
	var c Counter
	all, w := c.BagLines(s, ends, MinPassage)
	top := c.Top(all, MaxTerms, Builtin())
	return Builtin().Vector(top), w.Passages(all, top)
}

func TestPassages(t *testing.T) {
	v, p := vectorOf(lineBack, lineShort, lineLead, lineBack)
	if p.Len() != 2 {
		t.Fatalf("%d passages, want 2 (one of them twice)", p.Len())
	}
	if p.p[1] > p.p[3] {
		t.Errorf("passages not sorted by hash: %x", p.p)
	}
	var all uint64
	for i := 2; i < len(p.p); i += 2 {
		all |= p.p[i]
	}
	if all|p.p[0] != 1<<len(v.Terms)-1 {
		t.Errorf("terms %b and rest %b do not cover the vector's %d terms", all, p.p[0], len(v.Terms))
	}
	if _, q := vectorOf(lineShort); q.Len() != 0 || len(q.p) != 0 {
		t.Errorf("a text of short lines has passages %x", q.p)
	}
	var c Counter
	s := lineLead + " " + lineBack
	if all, w := c.BagLines(s, []int{len(s)}, MinPassage); w.Passages(all, all).Len() != 1 {
		t.Errorf("one line: %d passages, want the whole text", w.Passages(all, all).Len())
	}
}

func TestOwnCosine(t *testing.T) {
	story, sp := vectorOf(lineLead, lineBack)
	follow, fp := vectorOf(lineOther, lineBack)
	copyOf, cp := vectorOf(lineLead, lineBack)
	rewrite, rp := vectorOf(lineLead+" جديد", lineOther) // shares words, no line
	lead, lp := vectorOf(lineLead)
	none, np := vectorOf(lineBack)
	tests := []struct {
		name       string
		a, b       Vector
		pa, pb     Passages
		want       func() float64
		wantShared int
	}{
		// The background passage both hold counts for neither: what is
		// left is the lead against the other's new paragraph.
		{"follow-up", story, follow, sp, fp, func() float64 { return cosineOf(lineLead, lineOther) }, 1},
		{"no passage shared", story, rewrite, sp, rp, func() float64 { return Cosine(story, rewrite) }, 0},
		{"without passages", story, follow, Passages{}, Passages{}, func() float64 { return Cosine(story, follow) }, 0},
		{"all shared", story, copyOf, sp, cp, func() float64 { return 0 }, 2},
		{"nothing of its own", none, story, np, sp, func() float64 { return 0 }, 1},
		{"contained", lead, follow, lp, fp, func() float64 { return Cosine(lead, follow) }, 0},
	}
	for _, tt := range tests {
		got, want := OwnCosine(tt.a, tt.pa, tt.b, tt.pb), tt.want()
		if math.Abs(got-want) > 1e-3 {
			t.Errorf("%s: OwnCosine %.4f, want %.4f", tt.name, got, want)
		}
		if back := OwnCosine(tt.b, tt.pb, tt.a, tt.pa); back != got {
			t.Errorf("%s: not symmetric: %.4f and %.4f", tt.name, got, back)
		}
		if n := tt.pa.Shared(tt.pb); n != tt.wantShared {
			t.Errorf("%s: %d passages shared, want %d", tt.name, n, tt.wantShared)
		}
	}
	if n := testing.AllocsPerRun(100, func() { OwnCosine(story, sp, follow, fp) }); n != 0 {
		t.Errorf("OwnCosine allocates %.0f times a call", n)
	}
	if c := Cosine(story, follow); c < 0.2 {
		t.Errorf("the follow-up's plain cosine %.3f: the test shows nothing", c)
	}
}

// cosineOf is the cosine of the terms of two lines that the vectors of the
// test hold, each weighed as in its vector: OwnCosine's definition.
func cosineOf(a, b string) float64 {
	story, _ := vectorOf(lineLead, lineBack)
	follow, _ := vectorOf(lineOther, lineBack)
	keep := func(v Vector, line string) map[uint32]float64 {
		in := NewBag(line)
		m := map[uint32]float64{}
		var n float64
		for i, h := range v.Terms {
			if _, ok := slices.BinarySearch(in.Terms, h); ok {
				m[h] = v.Weight(i)
				n += v.Weight(i) * v.Weight(i)
			}
		}
		for h := range m {
			m[h] /= math.Sqrt(n)
		}
		return m
	}
	ma, mb := keep(story, a), keep(follow, b)
	var dot float64
	for h, w := range ma {
		dot += w * mb[h]
	}
	return dot
}

// BenchmarkBagLines measures counting the terms of a 3 KB news text and
// where they occur, as every document is counted while it is read.
func BenchmarkBagLines(b *testing.B) {
	raw, err := os.ReadFile("../testdata/seeds/000_d85516be251f1ff5.txt")
	if err != nil {
		b.Fatal(err)
	}
	text, ends := arabic.NewNormalizer(arabic.DefaultOptions()).AppendLines(nil, nil, string(raw[:3000]))
	s := string(text)
	var c Counter
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		c.BagLines(s, ends, MinPassage)
	}
}

func TestHeldAndAppendOnly(t *testing.T) {
	vs, ps := make([]Vector, 3), make([]Passages, 3)
	vs[0], ps[0] = vectorOf(lineLead, lineBack)
	vs[1], ps[1] = vectorOf(lineOther, lineBack)
	vs[2], ps[2] = vectorOf(lineOther+" جديد", lineLead+" جديد")
	var hashes []uint32
	for _, p := range ps {
		hashes = p.AppendHashes(hashes)
	}
	held := Held(hashes)
	if len(held) != 1 {
		t.Fatalf("held %x, want the background passage only", held)
	}
	var arena []uint64
	only := make([]Passages, 3)
	for i, p := range ps {
		only[i], arena = p.AppendOnly(arena, held)
	}
	if only[0].Len() != 1 || only[1].Len() != 1 || only[2].Len() != 0 || len(arena) != 6 {
		t.Errorf("kept %d, %d and %d passages in %d words", only[0].Len(), only[1].Len(), only[2].Len(), len(arena))
	}
	// What a document keeps is all OwnCosine needs between two documents.
	for x := range 3 {
		for y := range 3 {
			if x == y {
				continue
			}
			if a, b := OwnCosine(vs[x], ps[x], vs[y], ps[y]), OwnCosine(vs[x], only[x], vs[y], only[y]); a != b {
				t.Errorf("documents %d and %d: own cosine %.4f, %.4f with the held passages only", x, y, a, b)
			}
		}
	}
	if OwnCosine(vs[0], only[0], vs[1], only[1]) == Cosine(vs[0], vs[1]) {
		t.Error("the shared passage no longer counts")
	}
}
