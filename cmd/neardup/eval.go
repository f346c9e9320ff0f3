package main

import (
	"fmt"
	"io"
	"os"

	"github.com/neardup/neardup/score"
)

func runEval(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := newFlags("eval", stdout, "neardup eval --labels pairs.jsonl report.csv")
	labels := fs.String("labels", "", "labelled pairs, JSON Lines of {a, b, label}: `FILE`")
	truth := fs.String("truth", "", "a full assignment, CSV rows id,cluster: B-cubed and ARI against it (`FILE`)")
	level := fs.String("level", "cluster", "with --truth: compare it with the report's cluster or group")
	showErrors := fs.Bool("errors", false, "with --labels: also list each pair the report decides against its label")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (*labels == "" && *truth == "") {
		return usageError{fmt.Errorf("want --labels or --truth, and one report")}
	}
	if *level != "cluster" && *level != "group" {
		return usageError{fmt.Errorf("--level %q: want cluster or group", *level)}
	}
	var a score.Assignment
	if err := readFile(fs.Arg(0), func(r io.Reader) (err error) {
		a, err = score.ReadReport(r, fs.Arg(0))
		return err
	}); err != nil {
		return err
	}
	if *labels != "" {
		var pairs []score.Pair
		if err := readFile(*labels, func(r io.Reader) (err error) {
			pairs, err = score.ReadPairs(r, *labels)
			return err
		}); err != nil {
			return err
		}
		s := score.ScorePairs(pairs, a)
		fmt.Fprintf(stdout, "%d labelled pairs\n", len(pairs)-len(s.Missing))
		for _, l := range []struct {
			name string
			prf  score.PRF
		}{{"copy level (same group)   ", s.Copy}, {"event level (same cluster)", s.Event}} {
			fmt.Fprintf(stdout, "%s precision %.3f recall %.3f F1 %.3f (TP %d, FP %d, FN %d, TN %d)\n",
				l.name, l.prf.Precision, l.prf.Recall, l.prf.F1, l.prf.TP, l.prf.FP, l.prf.FN, l.prf.TN)
		}
		if len(s.Missing) > 0 {
			m := s.Missing[0]
			fmt.Fprintf(stdout, "%d pairs not scored: a document is not in the report (first: %s:%d, %s %s)\n",
				len(s.Missing), *labels, m.Line, m.A, m.B)
		}
		if *showErrors {
			printErrors(stdout, *labels, s.Wrong, a)
		}
	}
	if *truth != "" {
		var t map[string]string
		if err := readFile(*truth, func(r io.Reader) (err error) {
			t, err = score.ReadTruth(r, *truth)
			return err
		}); err != nil {
			return err
		}
		pred := a.Cluster
		if *level == "group" {
			pred = a.Group
		}
		s, err := score.ScorePartition(t, pred)
		if err != nil {
			return inputError{err}
		}
		fmt.Fprintf(stdout, "%d documents: B-cubed precision %.3f recall %.3f F1 %.3f, adjusted Rand index %.3f\n",
			s.Docs, s.BCubedPrecision, s.BCubedRecall, s.BCubedF1, s.ARI)
		if s.NotInReport > 0 || s.NotInTruth > 0 {
			fmt.Fprintf(stdout, "not scored: %d documents of %s missing from the report, %d of the report's documents not in %s\n",
				s.NotInReport, *truth, s.NotInTruth, *truth)
		}
	}
	return nil
}

// readFile opens name and passes it to read; errors are input errors.
func readFile(name string, read func(io.Reader) error) error {
	f, err := os.Open(name)
	if err != nil {
		return inputError{err}
	}
	defer f.Close()
	if err := read(f); err != nil {
		return inputError{err}
	}
	return nil
}

// printErrors lists the pairs decided against their labels, one a line:
// the level, the kind of error, the pair with its label and place, and
// where the report put its documents.
func printErrors(w io.Writer, labels string, wrong []score.Error, a score.Assignment) {
	for _, e := range wrong {
		level, unit, of := "copy", "group", a.Group
		if e.Event {
			level, unit, of = "event", "cluster", a.Cluster
		}
		kind, where := "false negative", fmt.Sprintf("%ss %s and %s", unit, of[e.A], of[e.B])
		if e.Together {
			kind, where = "false positive", fmt.Sprintf("one %s, %s", unit, of[e.A])
		}
		fmt.Fprintf(w, "%s level, %s: %s %s (%s, %s:%d): %s\n", level, kind, e.A, e.B, e.Label, labels, e.Line, where)
	}
}
