// Package score measures a clustering against hand labels: pairwise
// precision, recall and F1 at the two levels of a report, and B-cubed and
// the adjusted Rand index against a full assignment of documents to
// clusters.
//
// Pairwise scores. Each labelled pair is positive or negative at a level:
// at the copy level only "copy" is positive; at the event level "copy" and
// "same_event" are. The report predicts a pair positive when both documents
// share a near-duplicate group (copy level) or a cluster (event level).
// Precision is TP/(TP+FP), recall TP/(TP+FN), F1 their harmonic mean.
//
// B-cubed (Bagga and Baldwin 1998) averages, over documents, the precision
// and recall of the document's predicted cluster against its true cluster:
// it rewards clusters that are right for each member, and unlike pairwise
// scores it does not let one huge cluster dominate. The adjusted Rand index
// (Hubert and Arabie 1985) counts pairs placed alike in both partitions,
// corrected for chance: 1 for identical partitions, about 0 for random ones.
package score

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// Labels, as in a pairs file.
const (
	Copy      = "copy"
	SameEvent = "same_event"
	Related   = "related"
	Unrelated = "unrelated"
)

// A Pair is a labelled pair of documents.
type Pair struct {
	A, B  string
	Label string
	Line  int // in its file
}

// ReadPairs reads JSON Lines of {"a", "b", "label", ...}; other fields are
// ignored. Labels must be one of Copy, SameEvent, Related, Unrelated.
func ReadPairs(r io.Reader, name string) ([]Pair, error) {
	var pairs []Pair
	err := eachLine(r, name, func(line int, b []byte) error {
		var rec struct {
			A, B, Label *string
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return fmt.Errorf("read %s:%d: %w", name, line, err)
		}
		if rec.A == nil || rec.B == nil || rec.Label == nil {
			return fmt.Errorf("read %s:%d: want fields a, b and label", name, line)
		}
		switch *rec.Label {
		case Copy, SameEvent, Related, Unrelated:
		default:
			return fmt.Errorf("read %s:%d: unknown label %q", name, line, *rec.Label)
		}
		pairs = append(pairs, Pair{A: *rec.A, B: *rec.B, Label: *rec.Label, Line: line})
		return nil
	})
	return pairs, err
}

// eachLine calls fn with each line of r that is not blank, of any length,
// numbered from 1; a byte-order mark before the first is dropped.
func eachLine(r io.Reader, name string, fn func(line int, b []byte) error) error {
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		if len(bytes.TrimSpace(b)) > 0 {
			if ferr := fn(line, b); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s:%d: %w", name, line, err)
		}
	}
}

// An Assignment maps document ids to their group and cluster.
type Assignment struct {
	Group, Cluster map[string]string
}

// ReadReport reads a neardup report: its columns doc_id, cluster_id and
// dup_group_id (others ignored), as CSV, or as TSV or JSON Lines when name
// ends in .tsv or .tab, or in .jsonl or .ndjson, as --out-format writes
// them.
func ReadReport(r io.Reader, name string) (Assignment, error) {
	a := Assignment{Group: make(map[string]string), Cluster: make(map[string]string)}
	add := func(line int, id, cluster, group string) error {
		if _, dup := a.Cluster[id]; dup {
			return fmt.Errorf("read %s:%d: document %q appears twice", name, line, id)
		}
		a.Cluster[id], a.Group[id] = cluster, group
		return nil
	}
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		err = readJSONReport(r, name, add)
	case ".tsv", ".tab":
		err = readCSVReport(r, name, '\t', add)
	default:
		err = readCSVReport(r, name, ',', add)
	}
	if err != nil {
		return Assignment{}, err
	}
	return a, nil
}

// readCSVReport reads a CSV or TSV report's rows into add.
func readCSVReport(r io.Reader, name string, comma rune, add func(line int, id, cluster, group string) error) error {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read %s:1: %w", name, err)
	}
	col := make(map[string]int)
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, c := range []string{"doc_id", "cluster_id", "dup_group_id"} {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("read %s:1: no column %s (a report is CSV, or TSV or JSON Lines by its extension)", name, c)
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(head) {
			return fmt.Errorf("read %s:%d: %d fields, want %d", name, line, len(rec), len(head))
		}
		if err := add(line, rec[col["doc_id"]], rec[col["cluster_id"]], rec[col["dup_group_id"]]); err != nil {
			return err
		}
	}
}

// readJSONReport reads a JSON Lines report's rows into add.
func readJSONReport(r io.Reader, name string, add func(line int, id, cluster, group string) error) error {
	return eachLine(r, name, func(line int, b []byte) error {
		var row struct {
			ID      *string `json:"doc_id"`
			Cluster *string `json:"cluster_id"`
			Group   *string `json:"dup_group_id"`
		}
		if err := json.Unmarshal(b, &row); err != nil {
			return fmt.Errorf("read %s:%d: %w", name, line, err)
		}
		if row.ID == nil || row.Cluster == nil || row.Group == nil {
			return fmt.Errorf("read %s:%d: want doc_id, cluster_id and dup_group_id", name, line)
		}
		return add(line, *row.ID, *row.Cluster, *row.Group)
	})
}

// ReadTruth reads a full assignment as CSV rows "id,cluster", with an
// optional header "id,cluster".
func ReadTruth(r io.Reader, name string) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	truth := make(map[string]string)
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			return truth, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if first {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // a byte-order mark
			if rec[0] == "id" && rec[1] == "cluster" {
				continue
			}
		}
		line, _ := cr.FieldPos(0)
		if _, dup := truth[rec[0]]; dup {
			return nil, fmt.Errorf("read %s:%d: document %q appears twice", name, line, rec[0])
		}
		truth[rec[0]] = rec[1]
	}
}

// PRF holds pairwise counts and scores.
type PRF struct {
	TP, FP, FN, TN        int
	Precision, Recall, F1 float64
}

func (s *PRF) add(truth, pred bool) {
	switch {
	case truth && pred:
		s.TP++
	case pred:
		s.FP++
	case truth:
		s.FN++
	default:
		s.TN++
	}
}

func (s *PRF) finish() {
	s.Precision = ratio(s.TP, s.TP+s.FP)
	s.Recall = ratio(s.TP, s.TP+s.FN)
	s.F1 = harmonic(s.Precision, s.Recall)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// PairScores are the pairwise scores at both levels.
type PairScores struct {
	Copy, Event PRF
	Missing     []Pair // pairs naming a document the report does not have
	// Wrong lists the pairs the report decides against their label, at
	// each level, in the order of the pairs.
	Wrong []Error
}

// An Error is a labelled pair the report decides against its label at one
// level: together where the label says apart (a false positive), or apart
// where it says together.
type Error struct {
	Pair
	Event    bool // the event level (same cluster), else the copy level (same group)
	Together bool // what the report says: one group or cluster
}

// ScorePairs scores a report against labelled pairs. Pairs with a document
// missing from the report are not scored; they are returned in Missing.
func ScorePairs(pairs []Pair, a Assignment) PairScores {
	var s PairScores
	for _, p := range pairs {
		ga, oka := a.Group[p.A]
		gb, okb := a.Group[p.B]
		if !oka || !okb {
			s.Missing = append(s.Missing, p)
			continue
		}
		copies, group := p.Label == Copy, ga == gb
		event, cluster := p.Label == Copy || p.Label == SameEvent, a.Cluster[p.A] == a.Cluster[p.B]
		s.Copy.add(copies, group)
		s.Event.add(event, cluster)
		if copies != group {
			s.Wrong = append(s.Wrong, Error{Pair: p, Together: group})
		}
		if event != cluster {
			s.Wrong = append(s.Wrong, Error{Pair: p, Event: true, Together: cluster})
		}
	}
	s.Copy.finish()
	s.Event.finish()
	return s
}

// PartitionScores compare a predicted partition with a true one.
type PartitionScores struct {
	Docs int // documents in both, the ones scored
	// NotInReport and NotInTruth count the documents one side has and the
	// other lacks, which are not scored.
	NotInReport, NotInTruth                 int
	BCubedPrecision, BCubedRecall, BCubedF1 float64
	ARI                                     float64
}

// ErrNoOverlap means the two partitions share no document.
var ErrNoOverlap = errors.New("no document is in both the truth and the report")

// ScorePartition scores pred against truth over the documents both hold.
func ScorePartition(truth, pred map[string]string) (PartitionScores, error) {
	var ids []string
	for id := range truth {
		if _, ok := pred[id]; ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return PartitionScores{}, ErrNoOverlap
	}
	slices.Sort(ids)
	var s PartitionScores
	s.Docs = len(ids)
	s.NotInReport, s.NotInTruth = len(truth)-len(ids), len(pred)-len(ids)
	type cell struct{ t, p string }
	nT, nP, nTP := make(map[string]int), make(map[string]int), make(map[cell]int)
	for _, id := range ids {
		t, p := truth[id], pred[id]
		nT[t]++
		nP[p]++
		nTP[cell{t, p}]++
	}
	// B-cubed: for each document, the overlap of its two clusters divided
	// by its predicted (precision) and true (recall) cluster sizes.
	for _, id := range ids {
		t, p := truth[id], pred[id]
		both := float64(nTP[cell{t, p}])
		s.BCubedPrecision += both / float64(nP[p])
		s.BCubedRecall += both / float64(nT[t])
	}
	n := float64(len(ids))
	s.BCubedPrecision /= n
	s.BCubedRecall /= n
	s.BCubedF1 = harmonic(s.BCubedPrecision, s.BCubedRecall)
	// Adjusted Rand index from the contingency table.
	c2 := func(k int) float64 { return float64(k) * float64(k-1) / 2 }
	var sumCells, sumT, sumP float64
	for _, k := range nTP {
		sumCells += c2(k)
	}
	for _, k := range nT {
		sumT += c2(k)
	}
	for _, k := range nP {
		sumP += c2(k)
	}
	if len(ids) < 2 {
		s.ARI = 1 // one document: the partitions agree
		return s, nil
	}
	expected := sumT * sumP / c2(len(ids))
	maxIndex := (sumT + sumP) / 2
	if maxIndex == expected {
		s.ARI = 1 // both partitions trivial and identical in shape
		if sumCells != expected {
			s.ARI = 0
		}
	} else {
		s.ARI = (sumCells - expected) / (maxIndex - expected)
	}
	return s, nil
}
