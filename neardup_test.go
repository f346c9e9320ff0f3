package neardup_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
)

// variants writes a JSONL corpus of the seeds and edited copies of them:
// dropped and shuffled paragraphs, another headline, diacritics, a footer.
func variants(t *testing.T, copies int) string {
	t.Helper()
	seeds, err := filepath.Glob("testdata/seeds/*.txt")
	if err != nil || len(seeds) != 5 {
		t.Fatalf("seeds: %v %v", seeds, err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		paras := strings.Split(string(b), "\n\n")
		for c := range copies {
			p := append([]string(nil), paras...)
			switch c % 4 {
			case 1:
				i := rng.IntN(len(p))
				p = append(p[:i], p[i+1:]...)
			case 2:
				p[0] = "عاجل: " + p[0]
				p = append(p, "جميع الحقوق محفوظة")
			case 3:
				p[len(p)-1] = strings.ReplaceAll(p[len(p)-1], "ي", "ى") + "ـــــ"
			}
			enc.Encode(map[string]string{"id": fmt.Sprintf("%s#%d", filepath.Base(s), c), "text": strings.Join(p, "\n\n")})
		}
	}
	// Empty and punctuation-only documents never match anything.
	enc.Encode(map[string]string{"id": "empty-1", "text": ""})
	enc.Encode(map[string]string{"id": "empty-2", "text": " \n "})
	enc.Encode(map[string]string{"id": "punct", "text": "،،،"})
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCSV(t *testing.T, path string, cfg neardup.Config) ([]neardup.Row, string) {
	t.Helper()
	res, err := neardup.Run(corpus.NewReader([]string{path}, corpus.Options{}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	rows := res.Rows
	var out bytes.Buffer
	if err := report.WriteCSV(&out, rows); err != nil {
		t.Fatal(err)
	}
	return rows, out.String()
}

func TestSameOutputForAnyWorkerCount(t *testing.T) {
	path := variants(t, 120) // 603 documents: more than one batch
	var first string
	for _, w := range []int{1, 2, 3, 8} {
		cfg := neardup.DefaultConfig()
		cfg.Workers = w
		_, out := runCSV(t, path, cfg)
		if first == "" {
			first = out
			continue
		}
		if out != first {
			t.Fatalf("output with %d workers differs from 1 worker", w)
		}
	}
}

func TestEveryDocumentOnceAndCopiesFound(t *testing.T) {
	path := variants(t, 8)
	rows, _ := runCSV(t, path, neardup.DefaultConfig())
	if len(rows) != 43 {
		t.Fatalf("%d rows, want 43", len(rows))
	}
	seen := make(map[string]bool)
	kept := make(map[string]int) // every group, with the documents it keeps
	for _, r := range rows {
		if seen[r.ID] {
			t.Errorf("%s appears twice", r.ID)
		}
		seen[r.ID] = true
		kept[r.GroupID] += 0
		if r.Keep {
			kept[r.GroupID]++
		}
	}
	for g, n := range kept {
		if n != 1 {
			t.Errorf("group %s keeps %d documents", g, n)
		}
	}
	// The edited copies of one seed are one group; different seeds never.
	for _, r := range rows {
		seed, _, ok := strings.Cut(r.ID, "#")
		if !ok {
			if r.ClusterSize != 1 {
				t.Errorf("%s (no text) is in a cluster of %d", r.ID, r.ClusterSize)
			}
			continue
		}
		// A group is named after its representative, a copy of one seed.
		if !strings.HasPrefix(r.GroupID, seed) {
			t.Errorf("%s grouped with %s", r.ID, r.GroupID)
		}
		if r.GroupSize != 8 {
			t.Errorf("%s: group of %d, want the 8 copies", r.ID, r.GroupSize)
		}
	}
}

func TestDuplicateIDIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dup.jsonl")
	os.WriteFile(path, []byte(`{"id":"a","text":"x"}`+"\n"+`{"id":"a","text":"y"}`+"\n"), 0o644)
	_, err := neardup.Run(corpus.NewReader([]string{path}, corpus.Options{}), neardup.DefaultConfig())
	if err == nil || !strings.Contains(err.Error(), `dup.jsonl:2: duplicate id "a" (first at `) {
		t.Errorf("error %v", err)
	}
}

// TestDedupeIDs: with Config.DedupeIDs the n-th document of an id is
// id#n, or the next number free, across batches; the renamed are counted.
func TestDedupeIDs(t *testing.T) {
	ids := []string{"a", "a", "a#2", "b", "a", "a#3", "a"}
	for range 600 { // past a batch
		ids = append(ids, "c")
	}
	ids = append(ids, "a")
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "{\"id\":%q,\"text\":\"نص رقم %d\"}\n", id, i)
	}
	cfg := neardup.DefaultConfig()
	cfg.DedupeIDs = true
	res, err := neardup.Run(corpus.NewReader([]string{"-"}, corpus.Options{Stdin: strings.NewReader(b.String())}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]string) // place -> id
	for _, r := range res.Rows {
		got[r.Place] = r.ID
	}
	// a, a#2, a#2#2 (its own id taken), b, a#3, a#3#2, a#4, then c and
	// c#2 … c#600, then a#5.
	want := []string{"a", "a#2", "a#2#2", "b", "a#3", "a#3#2", "a#4"}
	for i, w := range want {
		if g := got[fmt.Sprintf("-:%d", i+1)]; g != w {
			t.Errorf("line %d: id %q, want %q", i+1, g, w)
		}
	}
	if g := got[fmt.Sprintf("-:%d", len(want)+600)]; g != "c#600" {
		t.Errorf("the 600th c: %q", g)
	}
	if g := got[fmt.Sprintf("-:%d", len(ids))]; g != "a#5" {
		t.Errorf("the last a: %q", g)
	}
	if n := res.Stats.RenamedIDs; n != 6+599 {
		t.Errorf("%d renamed, want %d", n, 6+599)
	}
}

func ExampleRun() {
	in := strings.NewReader(`{"id":"a","text":"أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة"}
{"id":"b","text":"أعلنتْ وزارةُ الصحةِ اليومَ عن افتتاحِ مستشفى جديدٍ في العاصمة"}
{"id":"c","text":"فاز المنتخب الوطني بكأس البطولة بعد مباراة مثيرة"}
`)
	res, err := neardup.Run(corpus.NewReader([]string{"-"}, corpus.Options{Stdin: in}), neardup.DefaultConfig())
	if err != nil {
		panic(err)
	}
	for _, r := range res.Rows {
		fmt.Println(r.ID, r.GroupID, r.Keep)
	}
	// Output:
	// a a true
	// b a false
	// c c true
}

func TestDuplicateIDAcrossBatches(t *testing.T) {
	var b strings.Builder
	for i := range 600 {
		id := i
		if i == 599 {
			id = 3
		}
		fmt.Fprintf(&b, "{\"id\":\"d%d\",\"text\":\"نص رقم %d\"}\n", id, i)
	}
	_, err := neardup.Run(corpus.NewReader([]string{"-"}, corpus.Options{Stdin: strings.NewReader(b.String())}), neardup.DefaultConfig())
	if err == nil || err.Error() != `-:600: duplicate id "d3" (first at -:4)` {
		t.Errorf("error %v", err)
	}
}

func TestPairsEvidence(t *testing.T) {
	path := variants(t, 4)
	cfg := neardup.DefaultConfig()
	cfg.Pairs = true
	cfg.Explain = []string{"000_d85516be251f1ff5.txt#0", "000_d85516be251f1ff5.txt#2", "no-such-id"}
	res, err := neardup.Run(corpus.NewReader([]string{path}, corpus.Options{}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	for _, p := range res.Pairs {
		if p.Copy {
			copies++
			if !p.SameGroup || p.Decision() != "copies: one group" || p.Jaccard < 0.5 {
				t.Errorf("copy pair %+v: %s", p, p.Decision())
			}
		}
	}
	// Five seeds, four copies each: 6 pairs of copies per seed.
	if copies != 30 {
		t.Errorf("%d copy pairs, want 30", copies)
	}
	if len(res.Explained) != 2 || res.Explained[0].Row.ID != "000_d85516be251f1ff5.txt#0" || res.Explained[1].Normalized == "" {
		t.Fatalf("explained %d documents", len(res.Explained))
	}
	if g := res.Explained[0].Row.GroupID; g != res.Explained[1].Row.GroupID {
		t.Errorf("copies in groups %s and %s", g, res.Explained[1].Row.GroupID)
	}
}

// TestConfigCheck: a Config out of range is refused with its reason, not
// run into a panic or a silent default.
func TestConfigCheck(t *testing.T) {
	for _, tt := range []struct {
		name string
		set  func(*neardup.Config)
		want string
	}{
		{"threshold", func(c *neardup.Config) { c.Threshold = 0 }, "threshold 0"},
		{"workers", func(c *neardup.Config) { c.Workers = -1 }, "workers -1"},
		{"scheme", func(c *neardup.Config) { c.Scheme = 9 }, "unknown scheme Scheme(9)"},
		{"keep", func(c *neardup.Config) { c.Keep = 7 }, "unknown representative rule Keep(7)"},
		{"hamza", func(c *neardup.Config) { c.Normalize.Hamza = 3 }, "unknown hamza rule Hamza(3)"},
		{"punct", func(c *neardup.Config) { c.Normalize.Punct = 4 }, "unknown punctuation rule Punct(4)"},
		{"window", func(c *neardup.Config) { c.Window = -time.Hour }, "window -1h0m0s"},
	} {
		cfg := neardup.DefaultConfig()
		tt.set(&cfg)
		if err := cfg.Check(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	cfg := neardup.DefaultConfig()
	if err := cfg.Check(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// panicking is a Source that panics, as a reader with a defect would.
type panicking struct{}

func (panicking) Next() (corpus.Document, error) { panic("a defect") }

// TestSourcePanic: a Source that panics stops the run with an error that
// says it is a defect, not the end of the input.
func TestSourcePanic(t *testing.T) {
	_, err := neardup.Run(panicking{}, neardup.DefaultConfig())
	if !errors.Is(err, neardup.ErrInternal) || !strings.Contains(err.Error(), "a defect") {
		t.Errorf("Run: %v", err)
	}
}

// TestPublicationTimes: two reports of one visit (seeds 000 and 002) are one
// event when published days apart, two when published months apart, one
// again with no window; times are read from the first time field present,
// and one that holds no time is counted with its place.
func TestPublicationTimes(t *testing.T) {
	text := func(name string) string {
		paths, _ := filepath.Glob("testdata/seeds/" + name + "_*.txt")
		if len(paths) != 1 {
			t.Fatalf("seed %s: %v", name, paths)
		}
		b, err := os.ReadFile(paths[0])
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write := func(second string) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.Encode(map[string]string{"id": "000", "text": text("000"), "date": "2023-12-19"})
		enc.Encode(map[string]string{"id": "002", "text": text("002"), "time": second})
		enc.Encode(map[string]string{"id": "004", "text": text("004"), "date": "أمس"})
		path := filepath.Join(t.TempDir(), "dated.jsonl")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tt := range []struct {
		second   string
		window   time.Duration
		oneEvent bool
	}{
		{"Thu, 21 Dec 2023 10:00:00 +0300", neardup.DefaultWindow, true},
		{"2024-03-01", neardup.DefaultWindow, false},
		{"2024-03-01", 0, true},
	} {
		cfg := neardup.DefaultConfig()
		cfg.Window = tt.window
		src := corpus.NewReader([]string{write(tt.second)}, corpus.Options{TimeFields: []string{"date", "time"}})
		res, err := neardup.Run(src, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cluster := map[string]string{}
		for _, r := range res.Rows {
			cluster[r.ID] = r.ClusterID
		}
		if got := cluster["000"] == cluster["002"]; got != tt.oneEvent {
			t.Errorf("002 at %s, window %v: one event %v, want %v", tt.second, tt.window, got, tt.oneEvent)
		}
		st := res.Stats
		if st.Dated != 2 || st.BadTimes.Count != 1 || !strings.HasSuffix(st.BadTimes.First[0], "dated.jsonl:3") {
			t.Errorf("dated %d, bad times %+v; want 2 and one at dated.jsonl:3", st.Dated, st.BadTimes)
		}
	}
}

// TestEventParamsIgnoreNumPerm: the event banding, over heaviest terms, is
// the same whatever --num-perm says of the shingle signatures.
func TestEventParamsIgnoreNumPerm(t *testing.T) {
	cfg := neardup.DefaultConfig()
	want := cfg.EventParams()
	for _, k := range []int{64, 256, 512} {
		cfg.NumPerm = k
		if got := cfg.EventParams(); got != want {
			t.Errorf("--num-perm %d: event banding %v, want %v", k, got, want)
		}
	}
}

// TestPairDecision: a pair's decision says what became of it, the level
// it was verified at first.
func TestPairDecision(t *testing.T) {
	for _, tt := range []struct {
		p    neardup.Pair
		want string
	}{
		{neardup.Pair{Copy: true, SameGroup: true, SameCluster: true}, "copies: one group"},
		{neardup.Pair{Copy: true, SameCluster: true}, "copies of each other, but one is not a copy of the other's group representative: two groups of one cluster"},
		{neardup.Pair{Copy: true}, "copies of each other, but one is not a copy of the other's group representative"},
		{neardup.Pair{SameCluster: true}, "same event: one cluster"},
		{neardup.Pair{}, "separated by refinement"},
	} {
		if got := tt.p.Decision(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
}
