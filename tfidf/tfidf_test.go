package tfidf

import (
	"bytes"
	"cmp"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neardup/neardup/arabic"
)

func TestBag(t *testing.T) {
	b := NewBag("الكتاب كتاب في والكتاب قلم")
	if len(b.Terms) != 2 {
		t.Fatalf("terms %v", b.Terms)
	}
	for i, h := range b.Terms {
		want := map[uint32]uint16{Hash("كتاب"): 3, Hash("قلم"): 1}[h]
		if b.Counts[i] != want {
			t.Errorf("term %d count %d, want %d", i, b.Counts[i], want)
		}
	}
}

func TestVectorAndCosine(t *testing.T) {
	tab := NewTable()
	docs := []string{"شمس قمر نجم", "شمس قمر", "بحر نهر"}
	for _, d := range docs {
		tab.Add(NewBag(d))
	}
	if tab.Docs() != 3 || tab.Terms() != 5 {
		t.Fatalf("table: %d docs, %d terms", tab.Docs(), tab.Terms())
	}
	// idf(شمس) = ln(4/3)+1, idf(نجم) = ln(4/2)+1.
	if got, want := tab.IDF(Hash("نجم")), math.Log(2)+1; math.Abs(got-want) > 1e-12 {
		t.Errorf("IDF = %v, want %v", got, want)
	}
	v := make([]Vector, len(docs))
	for i, d := range docs {
		v[i] = tab.Vector(NewBag(d))
	}
	a, c := math.Log(4.0/3)+1, math.Log(2)+1
	want := 2 * a * a / (math.Sqrt(2*a*a+c*c) * math.Sqrt(2*a*a))
	// Weights are 16-bit fixed point: a cosine is exact to 10⁻⁴.
	if got := Cosine(v[0], v[1]); math.Abs(got-want) > 1e-4 {
		t.Errorf("Cosine = %v, want %v", got, want)
	}
	if got := Cosine(v[0], v[2]); got != 0 {
		t.Errorf("disjoint: %v", got)
	}
	if got := Cosine(v[0], v[0]); math.Abs(got-1) > 1e-4 {
		t.Errorf("self: %v", got)
	}
	if got := Cosine(v[0], Vector{}); got != 0 {
		t.Errorf("empty: %v", got)
	}
}

func TestVectorKeepsHeaviestTerms(t *testing.T) {
	var words []string
	for i := range 3 * MaxTerms {
		words = append(words, "كلمه"+strings.Repeat("ب", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	b := NewBag(strings.Join(words, " "))
	v := NewTable().Vector(b)
	if len(v.Terms) != MaxTerms {
		t.Errorf("%d terms kept, want %d", len(v.Terms), MaxTerms)
	}
	if top := b.Top(10, NewTable()); len(top.Terms) != 10 {
		t.Errorf("Top kept %d", len(top.Terms))
	}
}

func TestTableRoundTrip(t *testing.T) {
	tab := NewTable()
	names := map[uint32]string{}
	for _, d := range []string{"شمس قمر", "شمس", "شمس نجم"} {
		for _, w := range strings.Fields(d) {
			names[Hash(w)] = w
		}
		tab.Add(NewBag(d))
	}
	var buf bytes.Buffer
	n, err := tab.Write(&buf, names, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "3 docs\nشمس\t3\nقمر\t1\nنجم\t1\n"; got != want || n != 3 {
		t.Errorf("Write, %d terms:\n%s\nwant 3:\n%s", n, got, want)
	}
	back, err := ReadTable(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Docs() != 3 || back.IDF(Hash("قمر")) != tab.IDF(Hash("قمر")) {
		t.Errorf("round trip lost counts")
	}
}

func TestReadTableErrors(t *testing.T) {
	for _, in := range []string{"", "x docs\n", "3 docs\nterm\n", "3 docs\nterm\t-1\n", "3 docs\n\t4\n", "3 docs\nterm\t4\n"} {
		if _, err := ReadTable(strings.NewReader(in)); err == nil {
			t.Errorf("ReadTable(%q): no error", in)
		}
	}
	// A long line is quoted by its start only.
	_, err := ReadTable(strings.NewReader(strings.Repeat("كلمة ", 5000)))
	if err == nil || len(err.Error()) > 120 || !strings.HasSuffix(err.Error(), `…"`) {
		t.Errorf("long line: %.200v", err)
	}
}

func TestBuiltin(t *testing.T) {
	b := Builtin()
	if b.Docs() != 31525 || b.Terms() < 10000 {
		t.Fatalf("built-in table: %d docs, %d terms", b.Docs(), b.Terms())
	}
	// A common word weighs less than a name.
	if b.IDF(Hash("رئيس")) >= b.IDF(Hash("ميشوستين")) {
		t.Errorf("idf(رئيس)=%v ≥ idf(ميشوستين)=%v", b.IDF(Hash("رئيس")), b.IDF(Hash("ميشوستين")))
	}
}

func FuzzReadTable(f *testing.F) {
	f.Add([]byte("3 docs\nشمس\t3\n"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := ReadTable(bytes.NewReader(in))
		if err == nil && tab.Docs() < 0 {
			t.Fatalf("negative document count")
		}
	})
}

// TestFixedPointCosine checks the 16-bit weights against float64 math on
// random vectors of 64 terms, half of them shared.
func TestFixedPointCosine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	worst := 0.0
	for range 2000 {
		terms := func(base uint32) []uint32 {
			ts := make([]uint32, 64)
			for i := range ts {
				ts[i] = base + uint32(i)
			}
			return ts
		}
		ta, tb := terms(0), terms(32)
		wa, wb := make([]float64, 64), make([]float64, 64)
		for i := range wa {
			wa[i], wb[i] = rng.ExpFloat64(), rng.ExpFloat64()
		}
		var dot, na, nb float64
		for i := range wa {
			na += wa[i] * wa[i]
			nb += wb[i] * wb[i]
		}
		for i := 32; i < 64; i++ {
			dot += wa[i] * wb[i-32]
		}
		exact := dot / math.Sqrt(na*nb)
		got := Cosine(NewVector(ta, wa), NewVector(tb, wb))
		worst = max(worst, math.Abs(got-exact))
	}
	if worst > 1e-4 {
		t.Errorf("fixed-point cosine off by up to %g", worst)
	}
}

// randomVector returns a vector of up to MaxTerms terms drawn from a
// vocabulary of the given size, with random weights.
func randomVector(rng *rand.Rand, vocabulary int) Vector {
	ts := make([]uint32, MaxTerms)
	ws := make([]float64, MaxTerms)
	for i := range ts {
		ts[i] = uint32(rng.IntN(vocabulary))
		ws[i] = rng.ExpFloat64()
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	return NewVector(ts, ws[:len(ts)])
}

// BenchmarkCosine measures the cosine of two 48-term vectors sharing half
// their terms: the test every event candidate pair gets, here with both
// vectors in cache and the branches learnt.
func BenchmarkCosine(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, y := randomVector(rng, 2*MaxTerms), randomVector(rng, 2*MaxTerms)
	for b.Loop() {
		Cosine(x, y)
	}
}

// BenchmarkCosineAtRandom measures the cosine of pairs drawn at random
// among n vectors, as LSH candidates are: at 1,000 vectors they stay in
// cache and the cost is the merge's unpredictable branches; at 100,000
// (29 MB) each pair also waits for memory.
func BenchmarkCosineAtRandom(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		rng := rand.New(rand.NewPCG(5, 6))
		vs := make([]Vector, n)
		for i := range vs {
			vs[i] = randomVector(rng, 4000)
		}
		pairs := make([][2]int32, 1<<20)
		for i := range pairs {
			pairs[i] = [2]int32{int32(rng.IntN(n)), int32(rng.IntN(n))}
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			k := 0
			for b.Loop() {
				p := pairs[k%len(pairs)]
				Cosine(vs[p[0]], vs[p[1]])
				k++
			}
		})
	}
}

func TestHeaviest(t *testing.T) {
	v := NewVector([]uint32{1, 2, 3, 4}, []float64{1, 3, 2, 3})
	if got := v.Heaviest(3); !slices.Equal(got, []uint32{2, 4, 3}) { // ties by hash
		t.Errorf("Heaviest(3) = %v", got)
	}
	if got := v.Heaviest(9); len(got) != 4 {
		t.Errorf("Heaviest(9) has %d terms", len(got))
	}
}

// TestAppendHeaviest: the set AppendHeaviest appends is Heaviest's, for
// vectors with many ties and few, at every n.
func TestAppendHeaviest(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, size := range []int{0, 1, 7, MaxTerms} {
		for _, spread := range []int{2, 1000} {
			terms := make([]uint32, size)
			weights := make([]float64, size)
			for i := range terms {
				terms[i] = uint32(i*7 + 1)
				weights[i] = float64(1 + rng.IntN(spread))
			}
			v := NewVector(terms, weights)
			for n := range size + 2 {
				want := v.Heaviest(n)
				got := v.AppendHeaviest([]uint64{99}, n)
				if got[0] != 99 || len(got) != len(want)+1 {
					t.Fatalf("size %d, n %d: appended %v to [99], want %v", size, n, got, want)
				}
				set := make([]uint32, 0, len(want))
				for _, h := range got[1:] {
					set = append(set, uint32(h))
				}
				slices.Sort(set)
				want = slices.Clone(want)
				slices.Sort(want)
				if !slices.Equal(set, want) {
					t.Fatalf("size %d, n %d: AppendHeaviest %v, Heaviest %v", size, n, set, want)
				}
			}
		}
	}
}

// TestIDFCache: a table read from text answers IDF from its cache as the
// formula does, and after Add from its new counts.
func TestIDFCache(t *testing.T) {
	tab, err := ReadTable(strings.NewReader("9 docs\nرئيس\t4\nكتاب\t9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.idf) != 10 {
		t.Fatalf("cache of %d frequencies, want 10", len(tab.idf))
	}
	for _, c := range []struct {
		term  string
		n, df float64
	}{{"رئيس", 9, 4}, {"كتاب", 9, 9}, {"غائب", 9, 0}} {
		if got, want := tab.IDF(Hash(c.term)), math.Log((1+c.n)/(1+c.df))+1; got != want {
			t.Errorf("IDF(%s) = %v, want %v", c.term, got, want)
		}
	}
	tab.Add(NewBag("رئيس"))
	if got, want := tab.IDF(Hash("رئيس")), math.Log(11.0/6)+1; got != want {
		t.Errorf("after Add, IDF = %v, want %v", got, want)
	}
	// So does AddTallies.
	tab, _ = ReadTable(strings.NewReader("9 docs\nرئيس\t4\n"))
	var more Tally
	more.Add(NewBag("رئيس"))
	tab.AddTallies(&more)
	if got, want := tab.IDF(Hash("رئيس")), math.Log(11.0/6)+1; tab.idf != nil || got != want {
		t.Errorf("after AddTallies, IDF = %v, want %v (cache %d)", got, want, len(tab.idf))
	}
}

// TestCounterReuse: a Counter reused from text to text counts as fresh
// bags do, and the tops it returns are the caller's, untouched by its
// next calls.
func TestCounterReuse(t *testing.T) {
	texts := []string{"قال الرئيس ان الاقتصاد ينمو ينمو", "الاقتصاد", "", "وزير الخارجية يزور موسكو وبكين ويلتقي الرئيس"}
	prior := Builtin()
	var c Counter
	var tops []Bag
	for _, s := range texts {
		bag := c.Bag(s)
		want := NewBag(s)
		if !slices.Equal(bag.Terms, want.Terms) || !slices.Equal(bag.Counts, want.Counts) {
			t.Errorf("%q: reused counter gives %v, fresh bag %v", s, bag, want)
		}
		tops = append(tops, c.Top(bag, 2, prior))
	}
	for i, s := range texts {
		want := NewBag(s).Top(2, prior)
		if !slices.Equal(tops[i].Terms, want.Terms) || !slices.Equal(tops[i].Counts, want.Counts) {
			t.Errorf("%q: top %v changed to %v", s, want, tops[i])
		}
	}
}

// TestAddTallies: batches tallied apart, on two goroutines' tallies, and
// counted by AddTallies hold the counts of a table that added every
// document; each call returns its batch's distinct terms, in slot order,
// and empties the tallies.
func TestAddTallies(t *testing.T) {
	texts := []string{"قال الرئيس ان الاقتصاد ينمو", "الاقتصاد ينمو", "", "وزير الخارجية يزور موسكو", "الرئيس يزور موسكو", "ينمو ينمو"}
	whole, tallied := NewTable(), NewTable()
	var a, b Tally
	for _, batch := range [][]string{texts[:3], texts[3:], nil} {
		distinct := map[uint32]bool{}
		for i, s := range batch {
			bag := NewBag(s)
			whole.Add(bag)
			[]*Tally{&a, &b}[i%2].Add(bag)
			for _, h := range bag.Terms {
				distinct[h] = true
			}
		}
		got := tallied.AddTallies(&a, &b)
		want := slices.SortedFunc(maps.Keys(distinct), func(a, b uint32) int { return cmp.Compare(inSlotOrder(a), inSlotOrder(b)) })
		if !slices.Equal(got, want) {
			t.Errorf("batch %q: terms %x, want %x", batch, got, want)
		}
		if a.docs != 0 || len(a.terms) != 0 || b.docs != 0 || len(b.terms) != 0 {
			t.Errorf("batch %q: tallies not emptied", batch)
		}
	}
	if tallied.Docs() != whole.Docs() || tallied.Terms() != whole.Terms() {
		t.Fatalf("tallied %d docs %d terms, want %d and %d", tallied.Docs(), tallied.Terms(), whole.Docs(), whole.Terms())
	}
	for h, n := range whole.df.all() {
		if tallied.df.get(h) != n {
			t.Errorf("term %x: tallied df %d, want %d", h, tallied.df.get(h), n)
		}
	}
}

// TestBlend checks that the blend weighs a term by the larger of its
// frequencies, and by the corpus's alone when the prior is empty: an empty
// prior once gave every term the same weight.
func TestBlend(t *testing.T) {
	corpus := NewTable()
	for i := range 100 {
		terms := []uint32{1} // in every document
		if i == 0 {
			terms = append(terms, 2) // in one
		}
		corpus.Add(Bag{Terms: terms})
	}
	prior := NewTable()
	for i := range 10000 {
		terms := []uint32{3} // common in the prior only
		if i == 0 {
			terms = append(terms, 1, 2)
		}
		prior.Add(Bag{Terms: terms})
	}
	for _, tc := range []struct {
		name  string
		prior *Table
		h     uint32
		want  float64
	}{
		{"none, common term", NewTable(), 1, corpus.IDF(1)},
		{"none, rare term", NewTable(), 2, corpus.IDF(2)},
		{"common in the corpus", prior, 1, 1 - math.Log((100+PriorDocs*2.0/10001)/(100+PriorDocs))},
		{"rare in both", prior, 2, 1 - math.Log((1+PriorDocs*2.0/10001)/(100+PriorDocs))},
		{"common in the prior", prior, 3, 1 - math.Log(10001.0/10001)},
	} {
		if got := NewBlend(corpus, tc.prior).IDF(tc.h); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: IDF %v, want %v", tc.name, got, tc.want)
		}
	}
	if none := NewBlend(corpus, NewTable()); none.IDF(2) <= none.IDF(1)+3 {
		t.Errorf("no prior: a term of one document of 100 weighs %v, one of all %v", none.IDF(2), none.IDF(1))
	}
	// Seen from one of the documents counted, the others are 99, and the
	// term of one document is in none of them.
	for _, tc := range []struct {
		name  string
		prior *Table
		h     uint32
		want  float64
	}{
		{"none, common term", NewTable(), 1, math.Log(100.0/100) + 1},
		{"none, rare term", NewTable(), 2, math.Log(100.0/1) + 1},
		{"none, a term of no document", NewTable(), 9, math.Log(100.0/1) + 1},
		{"common in the corpus", prior, 1, 1 - math.Log((99+PriorDocs*2.0/10001)/(99+PriorDocs))},
		{"rare in both", prior, 2, 1 - math.Log(2.0/10001)},
		{"common in the prior", prior, 3, 1 - math.Log(10001.0/10001)},
	} {
		if got := NewBlend(corpus, tc.prior).Others().IDF(tc.h); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("others, %s: IDF %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAppendVector: vectors whose weights share one slice are the ones
// Vector returns, each with a slice of its own length and capacity, and
// weighing a bag of a document's terms into room enough allocates nothing.
func TestAppendVector(t *testing.T) {
	corpus := NewTable()
	var c Counter
	texts := []string{"مدينه بحر سفينه ميناء", "مدينه مدينه جبل", "بحر", "", "ميناء سفينه سفينه بحر جبل"}
	var bags []Bag
	for _, s := range texts {
		b := c.Bag(s).Clone()
		corpus.Add(b)
		bags = append(bags, b)
	}
	blend := NewBlend(corpus, Builtin())
	var dst []uint16
	var vs []Vector
	for _, b := range bags {
		var v Vector
		v, dst = blend.AppendVector(dst, b)
		vs = append(vs, v)
	}
	for i, b := range bags {
		want := blend.Vector(b)
		if !slices.Equal(vs[i].Terms, want.Terms) || !slices.Equal(vs[i].Weights, want.Weights) {
			t.Errorf("%q: AppendVector %v, Vector %v", texts[i], vs[i], want)
		}
		if cap(vs[i].Weights) != len(want.Weights) {
			t.Errorf("%q: weights of capacity %d, want %d", texts[i], cap(vs[i].Weights), len(want.Weights))
		}
	}
	room := make([]uint16, 0, MaxTerms)
	if n := testing.AllocsPerRun(100, func() { blend.AppendVector(room[:0], bags[0]) }); n != 0 {
		t.Errorf("AppendVector allocates %v times", n)
	}
}

func TestClone(t *testing.T) {
	var c Counter
	b := c.Bag("مدينه مدينه بحر").Clone()
	c.Bag("جبل سهل")
	if want := NewBag("مدينه مدينه بحر"); !slices.Equal(b.Terms, want.Terms) || !slices.Equal(b.Counts, want.Counts) {
		t.Fatalf("a clone changed with the Counter's next bag: %v, want %v", b, want)
	}
}

// BenchmarkBag measures counting the terms of a 3 KB news text, as every
// document is counted while it is read.
func BenchmarkBag(b *testing.B) {
	raw, err := os.ReadFile("../testdata/seeds/000_d85516be251f1ff5.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := arabic.NewNormalizer(arabic.DefaultOptions()).String(string(raw[:3000]))
	var c Counter
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		c.Bag(s)
	}
}
