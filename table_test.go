package neardup

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/tfidf"
)

// The corpus's document frequencies, counted batch by batch as the terms
// are chosen, are those of every document counted once.
func TestCorpusTableCountsEachDocumentOnce(t *testing.T) {
	words := strings.Fields("مدينه بحر جبل سهل نهر وادي صحراء غابه جزيره ميناء مطار جسر")
	var in strings.Builder
	enc := json.NewEncoder(&in)
	const n = 2*batchSize + 100 // two whole batches and part of a third
	want := tfidf.NewTable()
	norm := arabic.NewNormalizer(arabic.DefaultOptions())
	for i := range n {
		var text []string
		for j, w := range words {
			if i%(j+2) == 0 {
				text = append(text, w)
			}
		}
		text = append(text, fmt.Sprintf("رقم%d", i%97))
		enc.Encode(map[string]string{"id": fmt.Sprint(i), "text": strings.Join(text, " ")})
		want.Add(tfidf.NewBag(norm.String(strings.Join(text, " "))))
	}
	for _, workers := range []int{1, 3} {
		cfg := DefaultConfig()
		cfg.Workers = workers
		p := newPipeline(cfg)
		if err := p.read(corpus.NewReader([]string{"-"}, corpus.Options{Stdin: strings.NewReader(in.String())})); err != nil {
			t.Fatal(err)
		}
		got := p.table
		if got.Docs() != want.Docs() || got.Terms() != want.Terms() {
			t.Fatalf("-j %d: %d documents and %d terms counted, want %d and %d", workers, got.Docs(), got.Terms(), want.Docs(), want.Terms())
		}
		for i := range n {
			for _, h := range tfidf.NewBag(norm.String(fmt.Sprintf("%s رقم%d", words[i%len(words)], i%97))).Terms {
				if got.IDF(h) != want.IDF(h) {
					t.Fatalf("-j %d: term %x weighs %v, want %v", workers, h, got.IDF(h), want.IDF(h))
				}
			}
		}
	}
}
