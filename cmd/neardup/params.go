package main

import (
	"fmt"
	"io"

	"github.com/neardup/neardup"
)

func runParams(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := newFlags("params", stdout, "neardup params --threshold 0.8 --num-perm 128")
	d := neardup.DefaultConfig()
	threshold := fs.Float64P("threshold", "t", d.Threshold, "estimated Jaccard at or above which a text is a copy")
	numPerm := fs.Int("num-perm", d.NumPerm, "MinHash permutations")
	bands := fs.Int("bands", 0, "LSH bands (default: chosen from --threshold)")
	rows := fs.Int("rows", 0, "LSH rows per band (default: chosen from --threshold)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("params takes flags only, not %q", fs.Arg(0))}
	}
	cfg := d
	cfg.Threshold, cfg.NumPerm, cfg.Bands, cfg.Rows = *threshold, *numPerm, *bands, *rows
	if !(cfg.Threshold > 0 && cfg.Threshold < 1) { // NaN too
		// The rates are averaged over [0, t) and (t, 1]: at 1 the second
		// is empty (cluster takes 1: exact copies only).
		return usageError{fmt.Errorf("--threshold %v: must be strictly between 0 and 1 for params, which averages the false negatives above it", cfg.Threshold)}
	}
	if err := cfg.Check(); err != nil { // as cluster would refuse them
		return usageError{err}
	}
	p, err := cfg.CopyParams()
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintf(stdout, "threshold %.2f, %d permutations: %d bands × %d rows\n", cfg.Threshold, cfg.NumPerm, p.Bands, p.Rows)
	if *bands == 0 && *rows == 0 {
		fmt.Fprintf(stdout, "(minimizes false positives + %d × false negatives, each averaged over its side of the threshold)\n", neardup.FNWeight)
	}
	fmt.Fprintf(stdout, "effective threshold (1/b)^(1/r): %.3f\n", p.Threshold())
	fmt.Fprintf(stdout, "false positives (mean P below the threshold): %.4f\n", p.FalsePositive(cfg.Threshold))
	fmt.Fprintf(stdout, "false negatives (mean 1-P above the threshold): %.4f\n", p.FalseNegative(cfg.Threshold))
	fmt.Fprintf(stdout, "memory per document: %d bytes of signature (16 bits a value); LSH works one band per worker at a time, 16 bytes per document\n", 2*cfg.NumPerm)
	fmt.Fprintln(stdout, "\nsimilarity  P(candidate)")
	for i := 1; i <= 10; i++ {
		s := float64(i) / 10
		fmt.Fprintf(stdout, "%10.1f  %12.4f\n", s, p.Probability(s))
	}
	return nil
}
