package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/neardup/neardup/cluster"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
)

func runDedup(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("dedup", stdout, "zcat crawl.jsonl.gz | neardup dedup - | gzip > clean.jsonl.gz")
	out := fs.StringP("out", "o", "-", "write the records to `FILE` (atomically); - is standard output")
	keep := fs.String("keep", "longest", "which document of a group to keep: longest, first or shortest")
	annotate := fs.Bool("annotate", false, "write every record, with cluster_id, dup_group_id and keep added")
	removed := fs.String("removed", "", "write the dropped records to `FILE`, with the id of the document kept in their place (replaced_by)")
	quiet := fs.BoolP("quiet", "q", false, "print no summary")
	verbose := fs.BoolP("verbose", "v", false, "also print the time and counts of each stage")
	summary := fs.String("summary", "", "write counts, parameters and timings of the run to `FILE` (JSON)")
	pf := addPipelineFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no input: give files, directories or - for standard input")}
	}
	if *annotate && *removed != "" {
		return usageError{fmt.Errorf("--annotate writes every record: --removed has nothing to hold")}
	}
	if *pf.dedupeIDs && (*annotate || *removed != "") {
		// The records are written back as they were read, with their own
		// ids: a cluster_id, dup_group_id or replaced_by of id#2 would name
		// no record.
		return usageError{fmt.Errorf("--dedupe-ids renames ids that the records written keep as they were: with --annotate or --removed, make the input's ids unique")}
	}
	cfg, opt, err := pf.config(stdin)
	if err != nil {
		return err
	}
	// Dropping copies needs their groups only; annotating also names each
	// record's cluster.
	cfg.CopiesOnly = !*annotate
	if cfg.CopiesOnly {
		// Copies are not bound by time: no time is read.
		opt.TimeFields, cfg.Window = nil, 0
	}
	var ok bool
	if cfg.Keep, ok = cluster.ParseKeep(*keep); !ok {
		return usageError{fmt.Errorf("--keep %q: want longest, first or shortest", *keep)}
	}
	prog := newProgress(stderr, *quiet, *verbose)
	cfg.Progress = prog.update
	outs, err := openOutputs(stdout, pf.outputs(fs.Args()), *out, *summary, *removed)
	if err != nil {
		return err
	}
	defer abortAll(outs)
	w, sw, rw := outs[0], outs[1], outs[2]

	// Standard input is read twice: the first pass copies it to a
	// temporary file, which the second pass reads. A named pipe cannot be
	// read twice, nor copied without taking standard input's place.
	paths := fs.Args()
	for _, p := range paths {
		if p != "-" && isDevice(p) {
			return usageError{fmt.Errorf("%s is not a regular file, and dedup reads its inputs twice: give it as standard input (-)", p)}
		}
	}
	var spool *os.File
	if slices.Contains(paths, "-") {
		if spool, err = os.CreateTemp("", "neardup-stdin-*"); err != nil {
			return fmt.Errorf("spool standard input: %w", err)
		}
		// Removed at once: the open file stays readable, and nothing is
		// left behind however the run ends.
		os.Remove(spool.Name())
		defer spool.Close()
		opt.Stdin = io.TeeReader(opt.Stdin, spool)
	}
	var extra []string
	if *annotate {
		extra = []string{"cluster_id", "dup_group_id", "keep"}
	}
	// Records that cannot be written together (formats, headers or
	// schemas that differ) are refused as they are read, before any output.
	probe := corpus.NewWriter(io.Discard, extra...)
	check := probe.Check
	if *removed != "" {
		probeRemoved := corpus.NewWriter(io.Discard, "replaced_by")
		check = func(d *corpus.Document) error {
			if err := probe.Check(d); err != nil {
				return err
			}
			return probeRemoved.Check(d)
		}
	}
	res, err := pf.runChecked(paths, cfg, opt, check)
	prog.done()
	if err != nil {
		return err
	}
	if spool != nil {
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("spool standard input: %w", err)
		}
		opt.Stdin = spool
	}
	byIndex := make([]int32, len(res.Rows))
	for i, r := range res.Rows {
		byIndex[r.Index] = int32(i)
	}

	cw := corpus.NewWriter(w, extra...)
	var rcw *corpus.Writer
	if rw != nil {
		rcw = corpus.NewWriter(rw, "replaced_by")
	}
	n, kept := 0, 0
	src := corpus.NewReader(paths, opt)
	defer src.Close()
	var skip func(*corpus.Error) error
	if cfg.SkipBad { // the first pass skipped these too
		skip = func(*corpus.Error) error { return nil }
	}
	err = corpus.ForEachBad(src, skip, func(d *corpus.Document) error {
		if n >= len(byIndex) {
			return fmt.Errorf("%s: the input changed while it was read", d.Place())
		}
		r := &res.Rows[byIndex[n]]
		n++
		if r.ID != d.ID && !cfg.DedupeIDs { // renamed ids differ by design
			return fmt.Errorf("%s: the input changed while it was read (id %q, was %q)", d.Place(), d.ID, r.ID)
		}
		if cfg.DedupeIDs && !strings.HasPrefix(r.ID, d.ID) {
			return fmt.Errorf("%s: the input changed while it was read (id %q, was %q)", d.Place(), d.ID, r.ID)
		}
		if err := cw.Begin(d); err != nil {
			return err
		}
		if rcw != nil {
			if err := rcw.Begin(d); err != nil {
				return err
			}
		}
		switch {
		case *annotate:
			return cw.Write(d, r.ClusterID, r.GroupID, r.Keep)
		case r.Keep:
			kept++
			return cw.Write(d)
		case rcw != nil:
			return rcw.Write(d, r.GroupID)
		}
		return nil
	})
	if err == nil && n != len(byIndex) {
		err = fmt.Errorf("the input changed while it was read: %d documents, then %d", len(byIndex), n)
	}
	if err != nil {
		return err
	}
	if err := cw.Close(); err != nil {
		return w.writeError(err)
	}
	if rcw != nil {
		if err := rcw.Close(); err != nil {
			return rw.writeError(err)
		}
	}
	s := pf.summary(report.NewSummary(version(), append([]string{"neardup", "dedup"}, args...), cfg, res.Stats), cfg, opt)
	if !*annotate {
		removed := n - kept
		s.Kept, s.Removed = &kept, &removed
	}
	if err := sw.writeSummary(s); err != nil {
		return err
	}
	if err := commitAll(outs); err != nil {
		return err
	}
	if !*quiet {
		if *annotate {
			fmt.Fprintf(stderr, "neardup: %d documents annotated, %d clusters, %d near-duplicate groups, %.2fs\n",
				n, res.Stats.Clusters, res.Stats.Groups, res.Stats.Elapsed.Seconds())
		} else {
			fmt.Fprintf(stderr, "neardup: %d documents, %d kept, %d removed as copies, %.2fs\n",
				n, kept, n-kept, res.Stats.Elapsed.Seconds())
		}
		printNotices(stderr, res.Stats)
		if *annotate { // without, no time is read
			pf.timeNotice(stderr, res.Stats)
		}
		if *verbose {
			printStages(stderr, cfg, res.Stats)
		}
	}
	return nil
}
