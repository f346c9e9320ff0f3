package neardup_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/tfidf"
)

// coined returns n words of 4 to 7 Arabic letters, drawn by rng: words that
// no table of news knows.
func coined(rng *rand.Rand, n int) []string {
	const letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
	alphabet := []rune(letters)
	words := make([]string, n)
	for i := range words {
		var b strings.Builder
		for range 4 + rng.IntN(4) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		words[i] = b.String()
	}
	return words
}

// A site's header and footer, printed on every page, of words no prior
// weighs as common: the prior alone would choose a page's terms among the
// block's, twice as frequent on the page as the article's own words, and
// every page would be a copy of every other (they share most of their
// shingles). The corpus's own frequencies, counted as the pages are read,
// say the block is on every page.
func TestBoilerplateIsNotASubject(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	block := strings.Join(coined(rng, 420), " ")
	var in strings.Builder
	enc := json.NewEncoder(&in)
	const pages = 700 // more than one batch of documents
	page := func(article string) string { return block + "\n\n" + article + "\n\n" + block }
	first := ""
	for i := range pages {
		article := strings.Join(coined(rng, 120), " ")
		if i == 0 {
			first = article
		}
		enc.Encode(map[string]string{"id": fmt.Sprintf("page-%03d", i), "text": page(article)})
	}
	// A real copy of the first page, republished late with a line added,
	// must stay its copy.
	enc.Encode(map[string]string{"id": "page-000-again", "text": page(first + " " + strings.Join(coined(rng, 8), " "))})

	cfg := neardup.DefaultConfig()
	flat, err := tfidf.ReadTable(strings.NewReader("1000000 docs\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.IDF = flat // knows no word: the block and the articles alike
	for _, workers := range []int{1, 3} {
		cfg.Workers = workers
		res, err := neardup.Run(corpus.NewReader([]string{"-"}, corpus.Options{Stdin: strings.NewReader(in.String())}), cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			want := 1
			if strings.HasPrefix(r.ID, "page-000") {
				want = 2
			}
			if r.GroupSize != want || r.ClusterSize != want {
				t.Errorf("-j %d: %s is in a group of %d and a cluster of %d, want %d", workers, r.ID, r.GroupSize, r.ClusterSize, want)
			}
		}
	}
}
