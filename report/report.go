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
