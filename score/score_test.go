package score

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

const report = `doc_id,cluster_id,cluster_size,dup_group_id,dup_group_size,keep,title
a,a,4,a,2,true,x
b,a,4,a,2,false,"y, z"
c,a,4,c,1,true,
d,a,4,d,1,true,
e,e,1,e,1,true,
`

const labels = `{"a":"a","b":"b","label":"copy","why":"same text"}
{"a":"a","b":"c","label":"same_event"}

{"a":"b","b":"d","label":"related"}
{"a":"c","b":"d","label":"unrelated"}
{"a":"a","b":"e","label":"copy"}
{"a":"a","b":"zz","label":"copy"}
`

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The scores below are computed by hand in the comments.
func TestScorePairs(t *testing.T) {
	a, err := ReadReport(strings.NewReader(report), "r.csv")
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := ReadPairs(strings.NewReader(labels), "l.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	s := ScorePairs(pairs, a)
	// Copy level: ab TP, ae FN, ac bd cd TN: P 1, R 1/2, F1 2/3.
	if c := s.Copy; c.TP != 1 || c.FN != 1 || c.FP != 0 || c.TN != 3 || !near(c.Precision, 1) || !near(c.Recall, 0.5) || !near(c.F1, 2.0/3) {
		t.Errorf("copy level %+v", c)
	}
	// Event level: ab ac TP, bd cd FP, ae FN: P 1/2, R 2/3, F1 4/7.
	if e := s.Event; e.TP != 2 || e.FP != 2 || e.FN != 1 || e.TN != 0 || !near(e.Precision, 0.5) || !near(e.Recall, 2.0/3) || !near(e.F1, 4.0/7) {
		t.Errorf("event level %+v", e)
	}
	if len(s.Missing) != 1 || s.Missing[0].B != "zz" || s.Missing[0].Line != 7 {
		t.Errorf("missing %+v", s.Missing)
	}
	// The wrong decisions: bd and cd one cluster (event FP), ae apart at
	// both levels (FN).
	var wrong []string
	for _, w := range s.Wrong {
		wrong = append(wrong, fmt.Sprintf("%s%s %v %v", w.A, w.B, w.Event, w.Together))
	}
	if got, want := strings.Join(wrong, "; "), "bd true true; cd true true; ae false false; ae true false"; got != want {
		t.Errorf("wrong: %s, want %s", got, want)
	}
}

func TestScorePartition(t *testing.T) {
	truth, err := ReadTruth(strings.NewReader("id,cluster\na,1\nb,1\nc,2\nd,2\nq,9\n"), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	pred := map[string]string{"a": "x", "b": "x", "c": "x", "d": "y"}
	s, err := ScorePartition(truth, pred)
	if err != nil {
		t.Fatal(err)
	}
	// B-cubed precision (2/3+2/3+1/3+1)/4 = 2/3, recall (1+1+1/2+1/2)/4 = 3/4,
	// F1 12/17. ARI: cells C(2,2)=1, truth 1+1=2, pred 3+0=3, expected
	// 2·3/6 = 1, max 2.5: (1-1)/(2.5-1) = 0.
	if s.NotInReport != 1 || s.NotInTruth != 0 { // q
		t.Errorf("not scored: %d of the truth, %d of the report; want 1 and 0", s.NotInReport, s.NotInTruth)
	}
	if s.Docs != 4 || !near(s.BCubedPrecision, 2.0/3) || !near(s.BCubedRecall, 0.75) || !near(s.BCubedF1, 12.0/17) || !near(s.ARI, 0) {
		t.Errorf("scores %+v", s)
	}
	same, _ := ScorePartition(truth, map[string]string{"a": "p", "b": "p", "c": "r", "d": "r", "q": "s"})
	if !near(same.BCubedF1, 1) || !near(same.ARI, 1) {
		t.Errorf("identical partitions: %+v", same)
	}
	// Classic ARI example: truth {1,1,1,2,2,2}, pred {1,1,2,2,3,3}:
	// cells 1+0+0+1 = 2... computed: sumCells 2, sumT 6, sumP 3, n 15:
	// expected 18/15 = 1.2, max 4.5, ARI (2-1.2)/(4.5-1.2) = 0.2424…
	tr := map[string]string{"1": "a", "2": "a", "3": "a", "4": "b", "5": "b", "6": "b"}
	pr := map[string]string{"1": "x", "2": "x", "3": "y", "4": "y", "5": "z", "6": "z"}
	if s, _ := ScorePartition(tr, pr); !near(s.ARI, 0.8/3.3) {
		t.Errorf("ARI %v, want %v", s.ARI, 0.8/3.3)
	}
	if _, err := ScorePartition(truth, map[string]string{"zz": "1"}); err != ErrNoOverlap {
		t.Errorf("no overlap: %v", err)
	}
}

// TestReadLongAndMarked: a byte-order mark before the first line is not
// data, and a line is read whatever its length.
func TestReadLongAndMarked(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	pairs, err := ReadPairs(strings.NewReader("\ufeff"+`{"a":"`+long+`","b":"y","label":"copy"}`+"\n"), "l")
	if err != nil || len(pairs) != 1 || pairs[0].A != long {
		t.Errorf("labels: %d pairs, %v", len(pairs), err)
	}
	a, err := ReadReport(strings.NewReader("\ufeff"+`{"doc_id":"`+long+`","cluster_id":"c","dup_group_id":"g"}`+"\n"), "r.jsonl")
	if err != nil || a.Cluster[long] != "c" {
		t.Errorf("JSON Lines report: %v", err)
	}
	truth, err := ReadTruth(strings.NewReader("\ufeffid,cluster\na,1\n"), "t.csv")
	if err != nil || len(truth) != 1 || truth["a"] != "1" {
		t.Errorf("truth: %v, %v", truth, err)
	}
}

func TestReadErrors(t *testing.T) {
	for _, in := range []string{`{"a":"x","b":"y"}`, `{"a":"x","b":"y","label":"dupe"}`, `{"a":`} {
		if _, err := ReadPairs(strings.NewReader(in), "l"); err == nil || !strings.HasPrefix(err.Error(), "read l:1: ") {
			t.Errorf("ReadPairs(%q): %v", in, err)
		}
	}
	for _, in := range []string{"", "doc_id,cluster_id\n", "doc_id,cluster_id,dup_group_id\na,a,a\na,a,a\n", "doc_id,cluster_id,dup_group_id\na,a\n"} {
		if _, err := ReadReport(strings.NewReader(in), "r"); err == nil {
			t.Errorf("ReadReport(%q): no error", in)
		}
	}
	if _, err := ReadTruth(strings.NewReader("a,1\na,2\n"), "t"); err == nil {
		t.Error("ReadTruth: duplicate accepted")
	}
}

// FuzzReadPairs: any input is pairs or an error naming its place; every
// pair read has a known label and a line of the input, and is scored once
// at each level.
func FuzzReadPairs(f *testing.F) {
	f.Add(labels)
	f.Add("\ufeff" + `{"a":"x","b":"y","label":"copy"}`)
	f.Fuzz(func(t *testing.T, in string) {
		pairs, err := ReadPairs(strings.NewReader(in), "f")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "read f:") {
				t.Fatalf("error without its place: %v", err)
			}
			return
		}
		lines := strings.Count(in, "\n") + 1
		one := Assignment{Group: map[string]string{}, Cluster: map[string]string{}}
		for _, p := range pairs {
			if p.Line < 1 || p.Line > lines || !slices.Contains([]string{Copy, SameEvent, Related, Unrelated}, p.Label) {
				t.Fatalf("pair %+v of %d lines", p, lines)
			}
			one.Group[p.A], one.Group[p.B], one.Cluster[p.A], one.Cluster[p.B] = "g", "g", "c", "c"
		}
		s := ScorePairs(pairs, one)
		for _, l := range []PRF{s.Copy, s.Event} {
			if l.TP+l.FP+l.FN+l.TN != len(pairs) || len(s.Missing) != 0 {
				t.Fatalf("%d pairs scored %+v", len(pairs), l)
			}
		}
	})
}

// FuzzReadTruth: any input is a truth or an error naming its line, and a
// truth read scores against itself perfectly.
func FuzzReadTruth(f *testing.F) {
	f.Add("id,cluster\na,1\nb,1\nc,2\n")
	f.Add("a,1\na,2\n")
	f.Add("\"a\nb\",1\n")
	f.Fuzz(func(t *testing.T, in string) {
		truth, err := ReadTruth(strings.NewReader(in), "t")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "read t") {
				t.Fatalf("error without its place: %v", err)
			}
			return
		}
		if s, err := ScorePartition(truth, truth); len(truth) > 0 && (err != nil || s.BCubedF1 != 1 || s.ARI != 1) {
			t.Fatalf("truth against itself: %+v, %v", s, err)
		}
	})
}

// FuzzReadReport reads its input as each report format.
// FuzzReadReport: any input is a report or an error naming its file; a
// report read gives each document one group and one cluster.
func FuzzReadReport(f *testing.F) {
	f.Add(report)
	f.Add(`{"doc_id":"a","cluster_id":"a","dup_group_id":"a"}` + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		for _, name := range []string{"f.csv", "f.tsv", "f.jsonl"} {
			a, err := ReadReport(strings.NewReader(in), name)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "read "+name) {
					t.Fatalf("%s: error without its place: %v", name, err)
				}
				continue
			}
			if len(a.Group) != len(a.Cluster) {
				t.Fatalf("%s: %d groups for %d clusters", name, len(a.Group), len(a.Cluster))
			}
			for id := range a.Cluster {
				if _, ok := a.Group[id]; !ok {
					t.Fatalf("%s: %q has a cluster and no group", name, id)
				}
			}
			ScorePartition(a.Cluster, a.Group)
		}
	})
}
