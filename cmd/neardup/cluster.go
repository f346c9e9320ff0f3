package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/report"
	"github.com/spf13/pflag"
)

// pipelineFlags are the flags of every command that runs the pipeline:
// inputs, normalization, signatures and clustering.
type pipelineFlags struct {
	in                                  *inputFlags
	scheme, idf                         *string
	k, numPerm, bands, rows, eventTerms *int
	maxBucket, workers                  *int
	odd                                 oddFlags
	dedupeIDs                           *bool
	cpuProfile, memProfile              *string
	seed                                *uint64
	threshold, containment, copyCos     *float64
	minCos, eventThreshold, windowDays  *float64
	minPassage                          *int
	timeField                           *string
	timeGiven                           func() bool // --time-field was given
	norm                                func() (arabic.Options, error)
}

func addPipelineFlags(fs *pflag.FlagSet) *pipelineFlags {
	d := neardup.DefaultConfig()
	return &pipelineFlags{
		in:             addInputFlags(fs),
		k:              fs.IntP("shingle", "k", d.Shingle, "shingle length in code points, 1 to 1024"),
		numPerm:        fs.Int("num-perm", d.NumPerm, "MinHash permutations, 1 to 1024"),
		seed:           fs.Uint64("seed", d.Seed, "seed of the MinHash permutation family"),
		scheme:         fs.String("scheme", d.Scheme.String(), "MinHash scheme: fss, superminhash, classic, multiply-shift or oph"),
		threshold:      fs.Float64P("threshold", "t", d.Threshold, "estimated Jaccard at or above which a text is a copy"),
		containment:    fs.Float64("containment", d.Containment, "share of a text's shingles found in another at or above which it is a copy (with --copy-cosine); 0: off"),
		copyCos:        fs.Float64("copy-cosine", d.CopyCosine, "TF-IDF cosine two texts need to be copies (0: off)"),
		bands:          fs.Int("bands", 0, "LSH bands for copies (default: chosen from --threshold)"),
		rows:           fs.Int("rows", 0, "LSH rows per band for copies (default: chosen from --threshold)"),
		minCos:         fs.Float64P("min-cosine", "c", d.MinCosine, "TF-IDF cosine at or above which two reports are of one event"),
		timeField:      fs.String("time-field", "date,time,published,published_at,publish_date,pubdate,datetime", "field or column of the publication time; several, comma-separated: the first present (\"\": none)"),
		windowDays:     fs.Float64("window-days", d.Window.Hours()/24, "two groups first published more than this many days apart (by --time-field; a group dated by its earliest member) count as unlike at the event level (0: no limit; at most 100000)"),
		minPassage:     fs.Int("min-passage", d.MinPassage, "lines of at least this many code points are passages: at the event level, what two texts share verbatim of them does not count (0: texts are compared whole; at most 1048576)"),
		eventTerms:     fs.Int("event-terms", d.EventTerms, "heaviest terms per document whose MinHash finds event candidates (at most the 48 a document keeps)"),
		eventThreshold: fs.Float64("event-threshold", d.EventThreshold, "Jaccard similarity of heaviest-term sets the event LSH is tuned to, in (0, 1]"),
		maxBucket:      fs.Int("max-bucket", d.MaxBucket, fmt.Sprintf("LSH buckets larger than this (2 to %d) are not expanded into all pairs", neardup.MaxBucketLimit)),
		idf:            fs.String("idf", "", "prior document frequencies: a `FILE` from 'neardup idf', builtin (the news table built in), or none (default: builtin)"),
		workers:        fs.IntP("workers", "j", 0, fmt.Sprintf("parallel workers, 1 to %d (default: all cores)", neardup.MaxWorkers)),
		dedupeIDs:      fs.Bool("dedupe-ids", false, "rename the second and later documents with an id to id#2, id#3, … instead of stopping"),
		odd:            addOddFlags(fs),
		cpuProfile:     fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof)"),
		memProfile:     fs.String("memprofile", "", "write a heap profile at the end of the run to `FILE` (go tool pprof)"),
		norm:           normFlags(fs),
		timeGiven:      func() bool { return fs.Changed("time-field") },
	}
}

// config returns the configuration and reader options the flags say.
func (f *pipelineFlags) config(stdin io.Reader) (neardup.Config, corpus.Options, error) {
	cfg := neardup.DefaultConfig()
	var err error
	if cfg.Normalize, err = f.norm(); err != nil {
		return cfg, corpus.Options{}, err
	}
	if cfg.IDF, err = loadIDF(*f.idf); err != nil {
		return cfg, corpus.Options{}, err
	}
	var ok bool
	if cfg.Scheme, ok = minhash.ParseScheme(*f.scheme); !ok {
		return cfg, corpus.Options{}, usageError{fmt.Errorf("--scheme %q: want fss, superminhash, classic, multiply-shift or oph", *f.scheme)}
	}
	cfg.Shingle, cfg.NumPerm, cfg.Seed = *f.k, *f.numPerm, *f.seed
	cfg.Threshold, cfg.Bands, cfg.Rows = *f.threshold, *f.bands, *f.rows
	cfg.Containment, cfg.CopyCosine = *f.containment, *f.copyCos
	cfg.MinCosine, cfg.EventTerms, cfg.EventThreshold = *f.minCos, *f.eventTerms, *f.eventThreshold
	cfg.MaxBucket, cfg.Workers, cfg.DedupeIDs = *f.maxBucket, *f.workers, *f.dedupeIDs
	f.odd.set(&cfg)
	if days := *f.windowDays; !(days >= 0 && days <= 1e5) { // false for NaN
		return cfg, corpus.Options{}, usageError{fmt.Errorf("--window-days %v: must be between 0 (no limit) and 100000", days)}
	}
	cfg.Window = time.Duration(*f.windowDays * float64(24*time.Hour))
	if *f.windowDays > 0 {
		cfg.Window = max(cfg.Window, 1) // not 0, which is no limit
	}
	cfg.MinPassage = *f.minPassage
	opt, err := f.in.options(stdin)
	opt.TimeFields = fieldList(*f.timeField)
	return cfg, opt, err
}

// summary adds to s what the pipeline's configuration does not hold: how
// the inputs were read, and which prior IDF table weighed the terms.
func (f *pipelineFlags) summary(s *report.Summary, cfg neardup.Config, opt corpus.Options) *report.Summary {
	idf := *f.idf
	if idf == "" {
		idf = "builtin"
	}
	s.Parameters["input"] = map[string]any{
		"format": cmp.Or(opt.Format, "by extension"), "glob": opt.Glob, "id_field": opt.IDField,
		"text_fields": opt.TextFields, "title_field": opt.TitleField, "time_fields": opt.TimeFields,
	}
	s.Parameters["idf"] = map[string]any{"table": idf, "docs": cfg.IDF.Docs(), "terms": cfg.IDF.Terms()}
	return s
}

// run runs the pipeline over paths, profiled as the flags ask.
func (f *pipelineFlags) run(paths []string, cfg neardup.Config, opt corpus.Options) (*neardup.Result, error) {
	return f.runChecked(paths, cfg, opt, nil)
}

// runChecked is run, with check, if not nil, called on each document read:
// an error it returns stops the run as bad input.
func (f *pipelineFlags) runChecked(paths []string, cfg neardup.Config, opt corpus.Options, check func(*corpus.Document) error) (*neardup.Result, error) {
	opt.NoRaw = true // neither the pipeline nor a check reads it
	r := corpus.NewReader(paths, opt)
	defer r.Close()
	var src neardup.Source = r
	if check != nil {
		src = checkedSource{r, check}
	}
	cpu, mem, err := f.openProfiles(paths)
	if err != nil {
		return nil, err
	}
	defer cpu.abort()
	defer mem.abort()
	if cpu != nil {
		if err := pprof.StartCPUProfile(cpu); err != nil {
			return nil, cpu.writeError(err)
		}
	}
	res, err := neardup.Run(src, cfg)
	if cpu != nil {
		pprof.StopCPUProfile()
	}
	if err == nil {
		if err := writeHeapProfile(mem); err != nil {
			return nil, err
		}
		if err := commitAll([]*output{cpu, mem}); err != nil {
			return nil, err
		}
	}
	if err != nil {
		if _, ok := err.(*corpus.Error); ok || errors.Is(err, neardup.ErrInternal) {
			return nil, err // a place in the input, or no fault of it
		}
		return nil, inputError{err}
	}
	return res, nil
}

// checkedSource is a Source whose documents pass a check.
type checkedSource struct {
	neardup.Source
	check func(*corpus.Document) error
}

func (s checkedSource) Next() (corpus.Document, error) {
	d, err := s.Source.Next()
	if err == nil {
		err = s.check(&d)
	}
	return d, err
}

func runCluster(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("cluster", stdout, "neardup cluster -o report.csv testdata/seeds")
	out := fs.StringP("out", "o", "-", "write the report to `FILE` (atomically); - is standard output")
	pairsOut := fs.String("pairs", "", "also write every verified candidate pair with its evidence to `FILE` (CSV)")
	outFormat := fs.String("out-format", "csv", "report format: csv, tsv or jsonl")
	bom := fs.Bool("bom", false, "start a CSV or TSV report with a UTF-8 byte-order mark, for Excel")
	summary := fs.String("summary", "", "write counts, parameters and timings of the run to `FILE` (JSON)")
	quiet := fs.BoolP("quiet", "q", false, "print no summary")
	verbose := fs.BoolP("verbose", "v", false, "also print the time and counts of each stage")
	pf := addPipelineFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no input: give files, directories or - for standard input")}
	}
	cfg, opt, err := pf.config(stdin)
	if err != nil {
		return err
	}
	cfg.Pairs = *pairsOut != ""
	if *bom && *outFormat == "jsonl" {
		return usageError{fmt.Errorf("--bom is for CSV and TSV reports")}
	}
	if *outFormat != "csv" && *outFormat != "tsv" && *outFormat != "jsonl" {
		return usageError{fmt.Errorf("--out-format %q: want csv, tsv or jsonl", *outFormat)}
	}
	prog := newProgress(stderr, *quiet, *verbose)
	cfg.Progress = prog.update

	outs, err := openOutputs(stdout, pf.outputs(fs.Args()), *out, *pairsOut, *summary)
	if err != nil {
		return err
	}
	defer abortAll(outs)
	w, pw, sw := outs[0], outs[1], outs[2]
	res, err := pf.run(fs.Args(), cfg, opt)
	prog.done()
	if err != nil {
		return err
	}
	if err := sw.writeSummary(pf.summary(report.NewSummary(version(), append([]string{"neardup", "cluster"}, args...), cfg, res.Stats), cfg, opt)); err != nil {
		return err
	}
	if pw != nil {
		if err := report.WritePairs(pw, res.Pairs); err != nil {
			return pw.writeError(err)
		}
	}
	stats := res.Stats
	if err := report.Write(w, res.Rows, *outFormat, *bom); err != nil {
		return w.writeError(err)
	}
	if err := commitAll(outs); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "neardup: %d documents, %d clusters (%d documents in clusters of 2 or more), %d near-duplicate groups (%d copies), %d empty, %.2fs\n",
			stats.Docs, stats.Clusters, stats.InClusters, stats.Groups, stats.Duplicates, stats.Empty, stats.Elapsed.Seconds())
		printNotices(stderr, stats)
		pf.timeNotice(stderr, stats)
		if *verbose {
			printStages(stderr, cfg, stats)
		}
	}
	return nil
}

// printStages tells each stage's time and counts, for --verbose; a run of
// copies only (cfg.CopiesOnly) has no event clustering to tell.
func printStages(w io.Writer, cfg neardup.Config, st neardup.Stats) {
	fmt.Fprintf(w, "neardup: read and sign %.2fs; candidates %.2fs (copy pairs: %d tested, %d kept; event pairs: %d tested, %d kept; %d copy and %d event buckets over --max-bucket, largest %d and %d); clustering %.2fs (%d copy edges, %d families of look-alikes",
		st.Read.Seconds(), st.Candidates.Seconds(), st.Copy.Tested, st.CopyPairs, st.Event.Tested, st.EventPairs,
		st.Copy.CappedBuckets, st.Event.CappedBuckets, st.Copy.LargestBucket, st.Event.LargestBucket,
		st.Clustering.Seconds(), st.Cluster.CopyEdges, st.Cluster.Families)
	if cfg.CopiesOnly {
		fmt.Fprintf(w, "; copies only)\n")
		return
	}
	fmt.Fprintf(w, ", %d event edges, %d weak links cut, %d groups pruned, %d components split at weak links)\n",
		st.Cluster.EventEdges, st.Cluster.Cut, st.Cluster.Pruned, st.Cluster.Split)
}

// timeNotice warns when a --time-field given found no time in any
// document: the window then binds nothing, which a misspelt field name
// would otherwise hide.
func (f *pipelineFlags) timeNotice(w io.Writer, st neardup.Stats) {
	if f.timeGiven() && *f.timeField != "" && st.Docs > 0 && st.Dated == 0 {
		fmt.Fprintf(w, "neardup: no document has a publication time in --time-field %s: no window applies\n", *f.timeField)
	}
}

// printNotices tells what happened to odd input: records skipped, invalid
// UTF-8 replaced, ids generated or renamed, texts cut; each with the first
// places.
func printNotices(w io.Writer, st neardup.Stats) {
	if len(st.Skipped) > 0 {
		fmt.Fprintf(w, "neardup: skipped %d records or files that could not be read:\n", len(st.Skipped))
		for _, s := range st.Skipped[:min(len(st.Skipped), 5)] {
			fmt.Fprintf(w, "  %s: %s\n", s.Place, s.Reason)
		}
		if len(st.Skipped) > 5 {
			fmt.Fprintf(w, "  … and %d more (--summary lists them all)\n", len(st.Skipped)-5)
		}
	}
	places := func(what string, p neardup.Places) {
		if p.Count > 0 {
			fmt.Fprintf(w, "neardup: %d documents %s (first: %s)\n", p.Count, what, strings.Join(p.First, ", "))
		}
	}
	places(fmt.Sprintf("held invalid UTF-8, %d sequences replaced by U+FFFD", st.InvalidUTF8), st.InvalidDocs)
	places("had no id and were given their file:line", st.GeneratedDocs)
	places("were cut to --max-doc-bytes", st.Truncated)
	places("had a time field that holds no time (their time is unknown)", st.BadTimes)
	if st.RenamedIDs > 0 {
		fmt.Fprintf(w, "neardup: %d repeated ids renamed id#n (--dedupe-ids)\n", st.RenamedIDs)
	}
}
