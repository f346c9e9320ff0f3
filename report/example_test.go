package report_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/atomicfile"
	"github.com/neardup/neardup/report"
)

// A report is written to a file atomically: readers of the path see the
// old file or the whole new one.
func ExampleWrite() {
	rows := []neardup.Row{
		{ID: "a", ClusterID: "a", ClusterSize: 2, GroupID: "a", GroupSize: 2, Keep: true, Jaccard: 1, Cosine: 1, Chars: 80, Place: "in.jsonl:1", Title: "عنوان"},
		{ID: "b", ClusterID: "a", ClusterSize: 2, GroupID: "a", GroupSize: 2, Jaccard: 0.8125, Cosine: 0.9, Chars: 75, Place: "in.jsonl:2"},
	}
	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.csv")
	f, err := atomicfile.Create(path)
	if err != nil {
		panic(err)
	}
	defer f.Abort() // removes the temporary file if Commit is not reached
	if err := report.Write(f, rows, report.CSV, false); err != nil {
		panic(err)
	}
	if err := f.Commit(); err != nil {
		panic(err)
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	// Output:
	// doc_id,cluster_id,cluster_size,dup_group_id,dup_group_size,keep,jaccard_to_group_rep,cosine_to_cluster_rep,chars,source,title
	// a,a,2,a,2,true,1.000,1.000,80,in.jsonl:1,عنوان
	// b,a,2,a,2,false,0.812,0.900,75,in.jsonl:2,
}
