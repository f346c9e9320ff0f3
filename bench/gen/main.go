// Command gen writes a deterministic corpus of Arabic news-like documents
// with planted near-duplicates, for benchmarks.
//
//	go run ./bench/gen -n 100000 -pairs planted.jsonl > corpus.jsonl
//
// Words come from the seed articles in testdata/seeds and 100,000 coined
// words of Arabic letters, drawn with Zipf's law, as real text is; two
// unrelated documents share about 4% of their shingles, as real news does. Each original
// document belongs to one of N/20 topics and draws a fifth of its words from
// the topic's own 30 words, so that documents of one topic look like reports
// of one event. An original is about -bytes long: sentences of 6 to 20
// words, in paragraphs. With probability -dup, a document is instead an edited copy of
// one of the last 1,000 originals: another headline, a sentence dropped,
// diacritics and tatweel added, ي written ى, a footer; its pair is written
// to -pairs with the label "copy", in the format of neardup eval --labels.
// Memory stays bounded whatever -n.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

func main() {
	n := flag.Int("n", 100000, "documents to write")
	size := flag.Int("bytes", 3000, "approximate size of an original document in bytes")
	dup := flag.Float64("dup", 0.2, "share of documents that are edited copies")
	seed := flag.Uint64("seed", 1, "random seed")
	seeds := flag.String("seeds", "testdata/seeds", "directory of .txt files whose words are used")
	pairs := flag.String("pairs", "", "write the planted copy pairs to this file")
	flag.Parse()
	if err := run(*n, *size, *dup, *seed, *seeds, *pairs); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(n, size int, dup float64, seed uint64, seedDir, pairsPath string) error {
	base, err := vocabulary(seedDir)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// The frequent ranks go to real words, the long tail to coined ones.
	rng.Shuffle(len(base), func(i, j int) { base[i], base[j] = base[j], base[i] })
	words := append(base, coined(rng, 100000)...)
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed+1, seed)), 1.05, 50, uint64(len(words)-1))
	topics := max(1, n/20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var pairs *json.Encoder
	if pairsPath != "" {
		f, err := os.Create(pairsPath)
		if err != nil {
			return err
		}
		defer f.Close()
		pw := bufio.NewWriter(f)
		defer pw.Flush()
		pairs = json.NewEncoder(pw)
	}
	type doc struct{ id, text string }
	var recent []doc // the last originals, a ring of 1,000
	for i := range n {
		id := fmt.Sprintf("g%08d", i)
		var text string
		if len(recent) > 0 && rng.Float64() < dup {
			orig := recent[rng.IntN(len(recent))]
			text = edit(rng, orig.text, func() string { return words[zipf.Uint64()] })
			if pairs != nil {
				if err := pairs.Encode(map[string]string{"a": orig.id, "b": id, "label": "copy"}); err != nil {
					return err
				}
			}
		} else {
			topic := rng.IntN(topics)
			text = original(rng, func() string {
				if rng.IntN(5) == 0 { // a topic word: the topic's own 30
					t := rand.New(rand.NewPCG(uint64(topic), uint64(rng.IntN(30))))
					return words[t.IntN(len(words))]
				}
				return words[zipf.Uint64()]
			}, size)
			if len(recent) < 1000 {
				recent = append(recent, doc{id, text})
			} else {
				recent[rng.IntN(len(recent))] = doc{id, text}
			}
		}
		if err := enc.Encode(map[string]string{"id": id, "text": text}); err != nil {
			return err
		}
	}
	return nil
}

// vocabulary returns the distinct words of the seed articles.
func vocabulary(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no seed articles in %s (run from the repository root)", dir)
	}
	seen := make(map[string]bool)
	var words []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, w := range strings.FieldsFunc(string(b), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	return words, nil
}

// coined returns n made-up words of 3 to 8 Arabic letters: real news has a
// vocabulary of hundreds of thousands of word forms, far more than the
// seeds hold, and texts that share only common words share few shingles.
func coined(rng *rand.Rand, n int) []string {
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى")
	out := make([]string, n)
	for i := range out {
		w := make([]rune, 3+rng.IntN(6))
		for j := range w {
			w[j] = letters[rng.IntN(len(letters))]
		}
		out[i] = string(w)
	}
	return out
}

func sentence(rng *rand.Rand, word func() string) string {
	k := 6 + rng.IntN(15)
	ws := make([]string, k)
	for i := range ws {
		ws[i] = word()
	}
	return strings.Join(ws, " ") + "."
}

func original(rng *rand.Rand, word func() string, size int) string {
	var b strings.Builder
	b.WriteString(sentence(rng, word))
	b.WriteString("\n\n")
	for b.Len() < size {
		for range 1 + rng.IntN(4) {
			b.WriteString(sentence(rng, word))
			b.WriteString(" ")
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// edit makes a republished copy: the kinds of edits outlets make.
func edit(rng *rand.Rand, text string, word func() string) string {
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	paras[0] = sentence(rng, word) // another headline
	if len(paras) > 3 && rng.IntN(2) == 0 {
		i := 1 + rng.IntN(len(paras)-1)
		paras = append(paras[:i], paras[i+1:]...) // a paragraph dropped
	}
	s := strings.Join(paras, "\n\n")
	if rng.IntN(2) == 0 {
		s = strings.ReplaceAll(s, "ي ", "ى ")
	}
	if rng.IntN(2) == 0 {
		s = strings.ReplaceAll(s, "ال", "الْ") // diacritics
	}
	if rng.IntN(3) == 0 {
		s = strings.ReplaceAll(s, "ما", "مـــا") // tatweel
	}
	if rng.IntN(2) == 0 {
		s += "\n\nجميع الحقوق محفوظة للوكالة"
	}
	return s
}
