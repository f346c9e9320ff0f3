package atomicfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neardup/neardup/atomicfile"
)

// A report is written under a temporary name and appears whole at Commit;
// until then, and after an Abort, the path holds what it held before.
func Example() {
	dir, err := os.MkdirTemp("", "atomicfile")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.csv")
	os.WriteFile(path, []byte("old report\n"), 0o644)

	f, err := atomicfile.Create(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Fprintln(f, "doc_id,cluster_id")
	before, _ := os.ReadFile(path)
	fmt.Printf("while writing: %q\n", before)
	if err := f.Commit(); err != nil {
		fmt.Println(err)
		return
	}
	after, _ := os.ReadFile(path)
	fmt.Printf("after Commit: %q\n", after)

	g, _ := atomicfile.Create(path)
	fmt.Fprintln(g, "a run that fails")
	g.Abort()
	kept, _ := os.ReadFile(path)
	left, _ := filepath.Glob(filepath.Join(dir, atomicfile.TempName("report.csv")))
	fmt.Printf("after Abort: %q, %d temporary files\n", kept, len(left))
	// Output:
	// while writing: "old report\n"
	// after Commit: "doc_id,cluster_id\n"
	// after Abort: "doc_id,cluster_id\n", 0 temporary files
}
