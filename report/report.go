// Package report writes cluster reports (CSV, TSV or JSON Lines), the pairs
// report and the JSON summary of a run.
package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/neardup/neardup"
)

// Header is the report's header row.
var Header = []string{
	"doc_id", "cluster_id", "cluster_size", "dup_group_id", "dup_group_size", "keep",
	"jaccard_to_group_rep", "cosine_to_cluster_rep", "chars", "source", "title",
}

// Formats of a report.
const (
	CSV   = "csv"
	TSV   = "tsv"
	JSONL = "jsonl"
)

// WriteCSV writes the header and one row per document, as RFC 4180 CSV.
// Similarities have three decimals, enough to audit a decision.
func WriteCSV(w io.Writer, rows []neardup.Row) error { return Write(w, rows, CSV, false) }

// Write writes the report in format: CSV or TSV (a header, then one row
// per document), or JSON Lines (one object per document, with the header's
// names as keys and numbers and booleans as such). bom starts a CSV or TSV
// report with a UTF-8 byte-order mark, without which Excel reads UTF-8 as
// a legacy code page and shows Arabic as mojibake.
func Write(w io.Writer, rows []neardup.Row, format string, bom bool) error {
	if bom {
		if format == JSONL {
			return fmt.Errorf("a byte-order mark is for CSV and TSV, not JSON Lines")
		}
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	switch format {
	case CSV, TSV:
	case JSONL:
		return writeJSONL(w, rows)
	default:
		return fmt.Errorf("unknown report format %q (want csv, tsv or jsonl)", format)
	}
	cw := csv.NewWriter(w)
	if format == TSV {
		cw.Comma = '\t'
	}
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

// jsonRow is a report row as JSON; json.Number keeps three decimals.
type jsonRow struct {
	DocID        string      `json:"doc_id"`
	ClusterID    string      `json:"cluster_id"`
	ClusterSize  int         `json:"cluster_size"`
	DupGroupID   string      `json:"dup_group_id"`
	DupGroupSize int         `json:"dup_group_size"`
	Keep         bool        `json:"keep"`
	Jaccard      json.Number `json:"jaccard_to_group_rep"`
	Cosine       json.Number `json:"cosine_to_cluster_rep"`
	Chars        int         `json:"chars"`
	Source       string      `json:"source"`
	Title        string      `json:"title"`
}

func writeJSONL(w io.Writer, rows []neardup.Row) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		err := enc.Encode(jsonRow{r.ID, r.ClusterID, r.ClusterSize, r.GroupID, r.GroupSize, r.Keep,
			json.Number(strconv.FormatFloat(r.Jaccard, 'f', 3, 64)), json.Number(strconv.FormatFloat(r.Cosine, 'f', 3, 64)),
			r.Chars, r.Place, r.Title})
		if err != nil {
			return err
		}
	}
	return nil
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
