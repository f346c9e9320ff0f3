// Package report writes cluster reports and writes files atomically.
package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/neardup/neardup"
)

// Header is the report's header row.
var Header = []string{
	"doc_id", "cluster_id", "cluster_size", "dup_group_id", "dup_group_size", "keep",
	"jaccard_to_group_rep", "cosine_to_cluster_rep", "chars", "source", "title",
}

// WriteCSV writes the header and one row per document, as RFC 4180 CSV.
// Similarities have three decimals, enough to audit a decision.
func WriteCSV(w io.Writer, rows []neardup.Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	rec := make([]string, len(Header))
	for _, r := range rows {
		rec[0] = r.ID
		rec[1] = r.ClusterID
		rec[2] = strconv.Itoa(r.ClusterSize)
		rec[3] = r.GroupID
		rec[4] = strconv.Itoa(r.GroupSize)
		rec[5] = strconv.FormatBool(r.Keep)
		rec[6] = strconv.FormatFloat(r.Jaccard, 'f', 3, 64)
		rec[7] = strconv.FormatFloat(r.Cosine, 'f', 3, 64)
		rec[8] = strconv.Itoa(r.Chars)
		rec[9] = r.Place
		rec[10] = r.Title
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// PairsHeader is the header row of a pairs report.
var PairsHeader = []string{"a", "b", "level", "jaccard", "cosine", "same_group", "same_cluster", "decision"}

// WritePairs writes verified candidate pairs with their evidence as CSV:
// level is "copy" for pairs verified as copies and "event" for pairs of
// group representatives verified as reports of one event.
func WritePairs(w io.Writer, pairs []neardup.Pair) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(PairsHeader); err != nil {
		return err
	}
	for _, p := range pairs {
		level := "event"
		if p.Copy {
			level = "copy"
		}
		rec := []string{p.A, p.B, level,
			strconv.FormatFloat(p.Jaccard, 'f', 3, 64), strconv.FormatFloat(p.Cosine, 'f', 3, 64),
			strconv.FormatBool(p.SameGroup), strconv.FormatBool(p.SameCluster), p.Decision()}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
