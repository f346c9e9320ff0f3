package arabic

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

type vector struct {
	ID   string         `json:"id"`
	Opts map[string]any `json:"opts"`
	In   string         `json:"in"`
	Out  string         `json:"out"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("../testdata/arabic-normalization-vectors.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var v vector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("vector %d: %v", len(vs)+1, err)
		}
		vs = append(vs, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

// optionsOf turns a vector's opts object into Options.
func optionsOf(t *testing.T, m map[string]any) Options {
	o := DefaultOptions()
	for k, v := range m {
		var ok bool
		switch k {
		case "zwnj":
			o.ZWNJSpace, ok = v == "space", v == "space" || v == "delete"
		case "persian":
			o.Persian, ok = v.(bool)
		case "teh_marbuta":
			o.TehMarbuta, ok = v.(bool)
		case "digits":
			o.Digits, ok = v.(bool)
		case "lower":
			o.Lower, ok = v.(bool)
		case "hamza":
			s, _ := v.(string)
			o.Hamza, ok = ParseHamza(s)
		case "punct":
			s, _ := v.(string)
			o.Punct, ok = ParsePunct(s)
		}
		if !ok {
			t.Fatalf("unknown option %s=%v", k, v)
		}
	}
	return o
}

func TestVectors(t *testing.T) {
	vs := loadVectors(t)
	if len(vs) != 78 {
		t.Fatalf("got %d vectors, want 78", len(vs))
	}
	for _, v := range vs {
		t.Run(v.ID, func(t *testing.T) {
			n := NewNormalizer(optionsOf(t, v.Opts))
			got := n.String(v.In)
			if got != v.Out {
				t.Errorf("Normalize(%q) = %q, want %q", v.In, got, v.Out)
			}
			if again := n.String(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

// checkInvariants verifies the default profile's output invariants.
func checkInvariants(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 out of %q", in)
	}
	if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
		t.Fatalf("bad spacing in %q (from %q)", out, in)
	}
	for _, r := range out {
		switch {
		case unicode.Is(unicode.Cf, r), isMark(r), unicode.IsControl(r),
			strings.ContainsRune("\u0622\u0623\u0625\u0629\u0649\u0671\u0672\u0673", r),
			unicode.IsDigit(r) && r > 0x7F:
			t.Fatalf("forbidden code point %U in %q (from %q)", r, out, in)
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	n := NewNormalizer(DefaultOptions())
	got := n.String("a\xffب")
	if got != "a\uFFFDب" {
		t.Errorf("got %q", got)
	}
}

func TestAppendReusesBuffer(t *testing.T) {
	n := NewNormalizer(DefaultOptions())
	buf := []byte("prefix:")
	buf = n.Append(buf, "  أحمد  ")
	if string(buf) != "prefix:احمد" {
		t.Errorf("got %q", buf)
	}
}

// TestInvalidUTF8Runs checks that invalid UTF-8 is read as
// strings.ToValidUTF8 reads it, each run of invalid bytes one U+FFFD, whichever way fold
// decodes the text: ASCII, the two-byte letters it decodes inline, or the
// others.
func TestInvalidUTF8Runs(t *testing.T) {
	n := NewNormalizer(DefaultOptions())
	for _, s := range []string{
		"\xd9", "م\xd9", "\x85م", "\xc0\x80", "\xc1\xbf", "\xed\xa0\x80", "\xe2\x82", "\xf0\x9f\x98",
		"\xdf\xbf\xd9\x85\xdfA", "a\xffb\xfe", "\xd9\xd8\xd8م",
	} {
		if got, want := n.String(s), n.String(strings.ToValidUTF8(s, "\uFFFD")); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
}

// untabulated returns a copy of n without its table of mappings: it maps
// every code point by mapRune, one at a time, as the definition the
// table and fold's runs of letters must agree with.
func untabulated(n *Normalizer) *Normalizer {
	u := *n
	u.mapped = nil
	return &u
}

// TestRunsOfLetters compares the normalizer with its untabulated self, a
// code point at a time, on the seed articles under every option.
func TestRunsOfLetters(t *testing.T) {
	files, _ := filepath.Glob("../testdata/seeds/*.txt")
	texts := []string{"بِسْمِ ـــ ٣٤ کی ة ؤ ئ ﻻ \u200c x,y «قال»", "ب\u0653\u064eا"}
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(text))
	}
	for _, opt := range []Options{DefaultOptions(), {}, {ZWNJSpace: true, Hamza: HamzaSeat, Punct: PunctFold, Persian: true, TehMarbuta: true, Digits: true, Lower: true}, {Hamza: HamzaUniform, Punct: PunctKeep}, {Punct: PunctDelete}} {
		n := NewNormalizer(opt)
		plain := untabulated(n)
		for _, s := range texts {
			if got, want := n.String(s), plain.String(s); got != want {
				t.Errorf("options %+v: %q, but %q a code point at a time", opt, got, want)
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(v.In)
	}
	f.Add("\xff\xfe")
	f.Add("ا\u0653\u064e")
	f.Add("a\u2212b\u2014c")
	n := NewNormalizer(DefaultOptions())
	all := NewNormalizer(Options{ZWNJSpace: true, Hamza: HamzaSeat, Punct: PunctFold})
	f.Add("\xd9")
	f.Add("\xc0\x80\xd9\x85\xed\xa0\x80\xe2\x82")
	plain, plainAll := untabulated(n), untabulated(all)
	f.Fuzz(func(t *testing.T, s string) {
		out := n.String(s)
		checkInvariants(t, s, out)
		if want := plain.String(s); out != want {
			t.Fatalf("%q: %q, but %q a code point at a time", s, out, want)
		}
		if got, want := all.String(s), plainAll.String(s); got != want {
			t.Fatalf("%q: %q, but %q a code point at a time (other options)", s, got, want)
		}
		if valid := n.String(strings.ToValidUTF8(s, "\uFFFD")); valid != out {
			t.Fatalf("%q: %q, but %q once made valid UTF-8", s, out, valid)
		}
		if again := n.String(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, again)
		}
		if utf8.ValidString(s) {
			if slow := string(n.appendNFKC(nil, s)); slow != out {
				t.Fatalf("fast path %q, NFKC path %q (from %q)", out, slow, s)
			}
		}
		out = all.String(s)
		if again := all.String(out); again != out {
			t.Fatalf("not idempotent (other options): %q -> %q -> %q", s, out, again)
		}
		if utf8.ValidString(s) {
			if slow := string(all.appendNFKC(nil, s)); slow != out {
				t.Fatalf("fast path %q, NFKC path %q (from %q, other options)", out, slow, s)
			}
		}
		checkLines(t, n, s)
		checkLines(t, all, s)
	})
}

// checkLines checks that AppendLines appends what Append does, after what
// dst held, and that its ends cut that text into the normalized forms of
// s's non-empty lines.
func checkLines(t *testing.T, n *Normalizer, s string) {
	t.Helper()
	want := n.String(s)
	got, ends := n.AppendLines([]byte("x"), []int{-1}, s)
	if string(got) != "x"+want {
		t.Fatalf("%q: AppendLines %q, Append %q", s, got[1:], want)
	}
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if l := n.String(line); l != "" {
			lines = append(lines, l)
		}
	}
	if len(ends) != len(lines)+1 || ends[0] != -1 {
		t.Fatalf("%q: ends %v for lines %q", s, ends, lines)
	}
	from := 1
	for i, end := range ends[1:] {
		if string(got[from:end]) != lines[i] {
			t.Fatalf("%q: line %d is %q, want %q", s, i, got[from:end], lines[i])
		}
		from = end + 1
	}
}

func TestAppendLines(t *testing.T) {
	n := NewNormalizer(DefaultOptions())
	for _, s := range []string{
		"", "\n", "\n\n\n", "أ", "أ\nب", "\nأ\n", "أ\r\nب\r\n",
		"قال الوزير\n\u064e\n  \n\u200fإن الاتفاق\n",
		"ا\n\u0653", "\xd9\n\x85", "a\u0301\n\u0301b", "ﷲ\n\uFDFD",
		"أ \t\n\r\n ب", "قال،\nالوزير", " \n \n", "\n\nقال\n\n", "كتب\u2028قرأ\nسمع", "a\u200c\nb",
	} {
		checkLines(t, n, s)
	}
}

func TestStem(t *testing.T) {
	n := NewNormalizer(DefaultOptions())
	tests := []struct{ in, want string }{
		{"الحسن", "حسن"}, {"والحسن", "حسن"}, {"بالحسن", "حسن"}, {"كالحسن", "حسن"},
		{"فالحسن", "حسن"}, {"وحسن", "حسن"}, {"للاخر", "اخر"}, {"زوجها", "زوج"},
		{"ساهدان", "ساهد"}, {"ساهدات", "ساهد"}, {"ساهدون", "ساهد"}, {"ساهدين", "ساهد"},
		{"ساهديه", "ساهد"}, {"ساهدية", "ساهد"}, {"ساهده", "ساهد"}, {"ساهدة", "ساهد"},
		{"ساهدي", "ساهد"}, {"وساهدون", "ساهد"}, {"ساهدهات", "ساهد"}, {"الو", "الو"},
		{"كبيرة", "كبير"}, {"مشروبات", "مشروب"}, {"امريكي", "امريك"}, {"الكتاب", "كتاب"},
	}
	for _, tt := range tests {
		// Lucene's cases are written unnormalized; stemming sees normalized words.
		if got := Stem(n.String(tt.in)); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// naiveStem is the light10 rule as Stem's comment states it, every affix
// tried in order: the reference for Stem's indexed look-up.
func naiveStem(w string) string {
	n := utf8.RuneCountInString(w)
	for _, p := range prefixes {
		if n >= p.min && strings.HasPrefix(w, p.s) {
			w, n = w[len(p.s):], n-p.runes
			break
		}
	}
	for _, s := range suffixes {
		if n >= s.min && strings.HasSuffix(w, s.s) {
			w, n = w[:len(w)-len(s.s)], n-s.runes
		}
	}
	return w
}

// FuzzStem checks Stem against naiveStem, and IsStopWord against a map of
// the stop list; the seeds are every affix around a
// few stems, and the words of the seed articles.
func FuzzStem(f *testing.F) {
	for _, p := range append(prefixes, affix{}) {
		for _, s := range append(suffixes, affix{}) {
			for _, stem := range []string{"", "ك", "كت", "كتب", "ساهد", "ههه", "ياي"} {
				f.Add(p.s + stem + s.s + s.s)
			}
		}
	}
	files, _ := filepath.Glob("../testdata/seeds/*.txt")
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		Words(NewNormalizer(DefaultOptions()).String(string(text)), func(w string) { f.Add(w) })
	}
	for w := range stopSet() {
		f.Add(w)
		f.Add(w[:len(w)-1])
		f.Add(w + "ا")
	}
	stops := stopSet()
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := IsStopWord(w), stops[w]; got != want {
			t.Fatalf("IsStopWord(%q) = %v, want %v", w, got, want)
		}
		if got, want := Stem(w), naiveStem(w); got != want {
			t.Fatalf("Stem(%q) = %q, want %q", w, got, want)
		}
	})
}

// naiveTerms is the definition of Terms: the words of Words, each of two
// code points or more and not on the stop list, stemmed.
func naiveTerms(s string) []string {
	stops := stopSet()
	var out []string
	Words(s, func(w string) {
		if utf8.RuneCountInString(w) >= 2 && !stops[w] {
			out = append(out, Stem(w))
		}
	})
	return out
}

// FuzzTerms checks Terms against naiveTerms on valid UTF-8, as normalized
// text is, and that it does not panic on the rest.
func FuzzTerms(f *testing.F) {
	for _, s := range []string{"", " ", "  ", "و", "ا ب", " قال  الرئيس ", "في الكتاب و", "x\xd8 \x80\x80 ab"} {
		f.Add(s)
	}
	files, _ := filepath.Glob("../testdata/seeds/*.txt")
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(NewNormalizer(DefaultOptions()).String(string(text[:min(len(text), 2000)])))
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got []string
		Terms(s, func(term string) { got = append(got, term) })
		if !utf8.ValidString(s) {
			return
		}
		if want := naiveTerms(s); !slices.Equal(got, want) {
			t.Fatalf("Terms(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestTerms(t *testing.T) {
	var got []string
	Terms("قال الرئيس في الكتاب و ب", func(term string) { got = append(got, term) })
	want := []string{"قال", "رئيس", "كتاب"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	if n := len(stopSet()); n != 88 {
		t.Errorf("stop list has %d forms, want 88", n)
	}
}

// TestInertTable checks that NFKC leaves every code point of the table
// alone, alone and after a letter.
func TestInertTable(t *testing.T) {
	for r := range rune(len(inertTable)) {
		if !inertTable[r] || isMark(r) {
			continue
		}
		for _, s := range []string{string(r), "ب" + string(r), "a" + string(r)} {
			if got := norm.NFKC.String(s); got != s {
				t.Errorf("%U is marked inert, but NFKC(%q) = %q", r, s, got)
			}
		}
	}
	inert := func(s string) bool {
		_, ok := NewNormalizer(Options{}).fold(nil, s, true)
		return ok
	}
	if !inert("قال الرئيسُ ان الاقتصاد ينمو، 2024") || !inert("أحمد") || inert("ﻷحمد") || inert("ا\u0654حمد") || inert("a\xffb") {
		t.Error("inert misclassifies")
	}
}

// benchText is about 3 KB of Arabic news text, with diacritics and
// punctuation, read from a seed article.
func benchText(b *testing.B) string {
	raw, err := os.ReadFile("../testdata/seeds/000_d85516be251f1ff5.txt")
	if err != nil {
		b.Fatal(err)
	}
	return string(raw[:3000])
}

func BenchmarkNormalize(b *testing.B) {
	s := benchText(b)
	for _, tc := range []struct {
		name string
		in   string
	}{{"plain", s}, {"presentation-forms", s + "ﻷحمد"}} {
		b.Run(tc.name, func(b *testing.B) {
			n := NewNormalizer(DefaultOptions())
			var buf []byte
			b.SetBytes(int64(len(tc.in)))
			b.ReportAllocs()
			for b.Loop() {
				buf = n.Append(buf[:0], tc.in)
			}
		})
	}
	// AppendLines, as every document is normalized: the text's lines and
	// where they end.
	b.Run("lines", func(b *testing.B) {
		n := NewNormalizer(DefaultOptions())
		var buf []byte
		var ends []int
		b.SetBytes(int64(len(s)))
		b.ReportAllocs()
		for b.Loop() {
			buf, ends = n.AppendLines(buf[:0], ends[:0], s)
		}
	})
}

func BenchmarkTerms(b *testing.B) {
	s := NewNormalizer(DefaultOptions()).String(benchText(b))
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Terms(s, func(string) {})
	}
}

// stopSet returns the stop list as a set, the definition IsStopWord's
// table is checked against.
func stopSet() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(stopList) {
		m[w] = true
	}
	return m
}

// TestStopWords checks IsStopWord on every stop word, and on every other
// word of the seed articles and every word a letter longer or shorter than
// a stop word, which share its probe sequence's bytes most often.
func TestStopWords(t *testing.T) {
	stops := stopSet()
	words := []string{"", "ا", "\xd9", "منذx", "xxxxxxxxxxx"}
	for w := range stops {
		words = append(words, w, w[:len(w)-1], w[:len(w)-2], w+"ا", "ا"+w, w+w)
	}
	files, _ := filepath.Glob("../testdata/seeds/*.txt")
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		Words(NewNormalizer(DefaultOptions()).String(string(text)), func(w string) { words = append(words, w) })
	}
	found := 0
	for _, w := range words {
		got := IsStopWord(w)
		if got != stops[w] {
			t.Errorf("IsStopWord(%q) = %v, want %v", w, got, stops[w])
		}
		if got {
			found++
		}
	}
	if found < len(stops) {
		t.Errorf("%d stop words found, want at least %d", found, len(stops))
	}
}

// TestLongestStopWord checks the length bound IsStopWord relies on.
func TestLongestStopWord(t *testing.T) {
	longest := 0
	for w := range stopSet() {
		longest = max(longest, len(w))
	}
	if longest != maxStopBytes {
		t.Errorf("longest stop word has %d bytes, maxStopBytes is %d", longest, maxStopBytes)
	}
}

// TestPunctModes: S9 on a dash, the minus sign (a symbol that fold treats
// as a dash) and an Arabic comma, under each punctuation mode.
func TestPunctModes(t *testing.T) {
	const in = "a\u2014b\u2212c\u060Cd"
	for _, tt := range []struct {
		mode Punct
		want string
	}{
		{PunctSpace, "a b\u2212c d"},
		{PunctDelete, "ab\u2212cd"},
		{PunctKeep, "a\u2014b\u2212c\u060Cd"},
		{PunctFold, "a-b-c,d"},
	} {
		opt := DefaultOptions()
		opt.Punct = tt.mode
		if got := NewNormalizer(opt).String(in); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.mode, got, tt.want)
		}
	}
}
