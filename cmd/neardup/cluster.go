package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
)

func runCluster(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("cluster", stdout, "neardup cluster -o report.csv testdata/seeds")
	d := neardup.DefaultConfig()
	out := fs.StringP("out", "o", "-", "write the report to `FILE` (atomically); - is standard output")
	idField := fs.String("id-field", "id", "JSONL field holding the document id")
	textField := fs.String("text-field", "text", "JSONL field holding the text")
	k := fs.IntP("shingle", "k", d.Shingle, "shingle length in code points")
	numPerm := fs.Int("num-perm", d.NumPerm, "MinHash permutations")
	seed := fs.Uint64("seed", d.Seed, "seed of the MinHash permutation family")
	threshold := fs.Float64P("threshold", "t", d.Threshold, "estimated Jaccard at or above which a text is a copy")
	bands := fs.Int("bands", 0, "LSH bands for copies (default: chosen from --threshold)")
	rows := fs.Int("rows", 0, "LSH rows per band for copies (default: chosen from --threshold)")
	minCos := fs.Float64P("min-cosine", "c", d.MinCosine, "TF-IDF cosine at or above which two reports are of one event")
	eventTerms := fs.Int("event-terms", d.EventTerms, "heaviest terms per document whose MinHash finds event candidates")
	eventThreshold := fs.Float64("event-threshold", d.EventThreshold, "similarity of heaviest-term sets the event LSH is tuned to")
	maxBucket := fs.Int("max-bucket", d.MaxBucket, "LSH buckets larger than this are not expanded into all pairs")
	idf := fs.String("idf", "", "prior document frequencies: a `FILE` from 'neardup idf', or none (default: built-in news table)")
	workers := fs.IntP("workers", "j", 0, "parallel workers (default: all cores)")
	quiet := fs.BoolP("quiet", "q", false, "print no summary")
	normOpts := normFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no input: give files, directories or - for standard input")}
	}
	cfg := d
	var err error
	if cfg.Normalize, err = normOpts(); err != nil {
		return err
	}
	if cfg.IDF, err = loadIDF(*idf); err != nil {
		return err
	}
	cfg.Shingle, cfg.NumPerm, cfg.Seed = *k, *numPerm, *seed
	cfg.Threshold, cfg.Bands, cfg.Rows = *threshold, *bands, *rows
	cfg.MinCosine, cfg.EventTerms, cfg.EventThreshold = *minCos, *eventTerms, *eventThreshold
	cfg.MaxBucket, cfg.Workers = *maxBucket, *workers

	src := corpus.NewReader(fs.Args(), corpus.Options{IDField: *idField, TextField: *textField, Stdin: stdin})
	defer src.Close()
	rowsOut, stats, err := neardup.Run(src, cfg)
	if err != nil {
		if _, ok := err.(*corpus.Error); ok {
			return err
		}
		return inputError{err}
	}
	if err := writeOutput(*out, stdout, func(w io.Writer) error { return report.WriteCSV(w, rowsOut) }); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "neardup: %d documents, %d clusters (%d documents in clusters of 2 or more), %d near-duplicate groups (%d copies), %d empty, %.2fs\n",
			stats.Docs, stats.Clusters, stats.InClusters, stats.Groups, stats.Duplicates, stats.Empty, stats.Elapsed.Seconds())
	}
	return nil
}

// writeOutput writes with write to standard output, or atomically to the
// file name, removing the temporary file if the process is interrupted.
func writeOutput(name string, stdout io.Writer, write func(io.Writer) error) error {
	if name == "-" {
		bw := bufio.NewWriter(stdout)
		if err := write(bw); err != nil {
			return fmt.Errorf("write standard output: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write standard output: %w", err)
		}
		return nil
	}
	f, err := report.CreateAtomic(name)
	if err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	stop := make(chan struct{})
	go func() {
		select {
		case <-sig:
			f.Abort()
			os.Exit(130)
		case <-stop:
		}
	}()
	defer func() {
		signal.Stop(sig)
		close(stop)
	}()
	defer f.Abort()
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Commit()
}
