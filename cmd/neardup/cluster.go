package main

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/atomicfile"
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
		windowDays:     fs.Float64("window-days", d.Window.Hours()/24, "two reports published more than this many days apart (by --time-field) count as unlike at the event level (0: no limit; at most 100000)"),
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

// output is the destination of a command's data: standard output, or a
// file written atomically and removed if the process is interrupted.
type output struct {
	*bufio.Writer
	name string
	file *atomicfile.File // nil for standard output and devices
	dev  *os.File         // a device or pipe written in place
}

// pending holds the files being written. On SIGINT or SIGTERM they are all
// removed before the process exits with 130, so that an interrupted run
// leaves no partial output.
var pending struct {
	sync.Mutex
	files map[*atomicfile.File]bool
	once  sync.Once
}

func watchSignals() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		pending.Lock() // held until exit: no file is committed meanwhile
		for f := range pending.files {
			f.Abort()
		}
		os.Exit(130)
	}()
}

// openOutput opens name ("-" for stdout) for writing.
func openOutput(name string, stdout io.Writer) (*output, error) {
	if name == "-" {
		return &output{Writer: bufio.NewWriter(stdout), name: "standard output"}, nil
	}
	path, err := outputPath(name)
	if err != nil {
		return nil, err
	}
	if fd, ok := descriptor(path); ok {
		w, err := fdWriter(fd, stdout)
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		return &output{Writer: bufio.NewWriter(w), name: name}, nil
	}
	if isDevice(path) {
		// A device or a named pipe (/dev/null, a FIFO) is written in
		// place: a rename would replace it with a file.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		return &output{Writer: bufio.NewWriter(f), name: name, dev: f}, nil
	}
	// Signals are caught before the temporary file exists, so that none
	// can leave it behind.
	pending.once.Do(watchSignals)
	pending.Lock()
	defer pending.Unlock()
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	if pending.files == nil {
		pending.files = make(map[*atomicfile.File]bool)
	}
	pending.files[f] = true
	return &output{Writer: bufio.NewWriter(f), name: name, file: f}, nil
}

// openOutputs opens a command's outputs before any work, so that a wrong
// path fails at once: main, then the optional ones, for which an empty
// name gives a nil *output whose methods do nothing. On an error the ones
// opened are aborted. paths are the run's other paths, its inputs and
// profiles (see pipelineFlags.outputs): no output may be one of them, or
// another output.
func openOutputs(stdout io.Writer, paths runPaths, main string, optional ...string) ([]*output, error) {
	if main == "" {
		return nil, usageError{errors.New("--out \"\": give a file, or - for standard output")}
	}
	if err := paths.check(append([]string{main}, optional...)); err != nil {
		return nil, err
	}
	w, err := openOutput(main, stdout)
	if err != nil {
		return nil, err
	}
	outs := []*output{w}
	for _, name := range optional {
		var o *output
		if name != "" {
			if o, err = openOutput(name, stdout); err != nil {
				abortAll(outs)
				return nil, err
			}
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// runPaths are the files a run reads and the ones it writes besides its
// outputs.
type runPaths struct {
	inputs, written []string
	glob            string // the files of an input directory that are read
}

// outputs returns the paths of a run over inputs: the inputs and the
// --idf table it reads, and the profiles it writes.
func (f *pipelineFlags) outputs(inputs []string) runPaths {
	p := runPaths{inputs: inputs, written: []string{*f.cpuProfile, *f.memProfile}, glob: *f.in.glob}
	if idf := *f.idf; idf != "" && idf != "builtin" && idf != "none" {
		p.inputs = append(slices.Clip(inputs), idf)
	}
	return p
}

// check refuses inputs that name one file twice, and outputs that name one
// file twice, an input, or a file the
// run would read in an input directory: the run would replace what it
// reads (an output is renamed into place at its end), read its own output
// as it writes it (under a temporary name beside it), or replace one
// output with another, and report success. A device or pipe (/dev/null) is
// written in place and may be named twice.
func (p runPaths) check(outputs []string) error {
	for i, a := range p.inputs {
		for _, b := range p.inputs[:i] {
			if a != "-" && b != "-" && samePath(a, b) {
				// Its documents would be read twice: as repeated ids, or
				// counted twice in a table of document frequencies.
				return usageError{fmt.Errorf("%s and %s are one file, given twice as inputs", b, a)}
			}
		}
	}
	var outs []string
	for _, o := range append(outputs, p.written...) {
		if _, fd := descriptor(o); o == "" || o == "-" || fd || isDevice(o) {
			continue
		}
		resolved, err := outputPath(o)
		if errors.Is(err, errIsDir) || errors.Is(err, errLinkLoop) {
			return usageError{err}
		}
		if err != nil {
			resolved = o // its directory is missing: creating it fails later
		}
		for _, prev := range outs {
			if samePath(o, prev) {
				return usageError{fmt.Errorf("%s and %s are one file, named as two outputs", prev, o)}
			}
		}
		for _, in := range p.inputs {
			if in == "-" {
				continue
			}
			if samePath(o, in) {
				return usageError{fmt.Errorf("output %s is also an input: it would replace what is read", o)}
			}
			if inside(resolved, in) && p.reads(resolved) {
				return usageError{fmt.Errorf("output %s is in the input directory %s, where --glob %q would read it: write it elsewhere", o, in, p.glob)}
			}
		}
		outs = append(outs, o)
	}
	return nil
}

// reads reports whether an input directory's walk would read the output
// name, or its temporary file, were it there.
func (p runPaths) reads(name string) bool {
	base := filepath.Base(name)
	ok, _ := filepath.Match(p.glob, base)
	tmp, _ := filepath.Match(p.glob, atomicfile.TempName(base))
	return ok || tmp
}

// isDevice reports whether name is an existing file that is neither
// regular nor a directory: a device or a named pipe.
func isDevice(name string) bool {
	st, err := os.Stat(name)
	return err == nil && !st.Mode().IsRegular() && !st.IsDir()
}

// inside reports whether the file name lies under the directory dir, links
// resolved.
func inside(name, dir string) bool {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return false
	}
	d, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	parent, err := filepath.EvalSymlinks(filepath.Dir(name))
	if err != nil {
		return false
	}
	d, _ = filepath.Abs(d)
	parent, _ = filepath.Abs(parent)
	rel, err := filepath.Rel(d, parent)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// samePath reports whether a and b name one file: the same absolute path
// once symbolic links are followed (to a file that may not exist yet), or,
// when both exist, the same file by another name (a hard link).
func samePath(a, b string) bool {
	abs := func(name string) string {
		if p, err := outputPath(name); err == nil {
			name = p
		}
		p, _ := filepath.Abs(name)
		return p
	}
	if abs(a) == abs(b) {
		return true
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// outputPath returns the path an output named name is written to, as the
// kernel resolves it for a shell's redirection: symbolic links followed in
// turn (the last may point to a file not yet written), a relative link from
// the real directory that holds it. It stops at a name that stands for a
// descriptor (see descriptor). It fails on a directory (or a name ending in
// a separator, which only a directory may have), a loop of links, or a
// directory that does not exist.
func outputPath(name string) (string, error) {
	p := name
	for range 40 { // as many links as Linux follows
		if _, ok := descriptor(p); ok {
			return p, nil
		}
		if strings.HasSuffix(p, "/") || strings.HasSuffix(p, string(filepath.Separator)) {
			return "", fmt.Errorf("create %s: %w", name, errIsDir)
		}
		dir, err := filepath.EvalSymlinks(filepath.Dir(p))
		if err != nil {
			return "", fmt.Errorf("create %s: %w", name, err)
		}
		p = filepath.Join(dir, filepath.Base(p))
		st, err := os.Lstat(p)
		switch {
		case err != nil: // a file to be
			return p, nil
		case st.IsDir():
			return "", fmt.Errorf("create %s: %w", name, errIsDir)
		case st.Mode()&fs.ModeSymlink == 0:
			return p, nil
		}
		to, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("create %s: %w", name, err)
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(dir, to)
		}
		p = to
	}
	return "", fmt.Errorf("create %s: %w", name, errLinkLoop)
}

var (
	errIsDir    = errors.New("is a directory")
	errLinkLoop = errors.New("too many levels of symbolic links")
)

// fds holds the descriptors written as outputs, by number: an *os.File
// let go would close its descriptor, the process's own, when collected.
var fds = struct {
	sync.Mutex
	m map[int]*os.File
}{m: map[int]*os.File{1: os.Stdout, 2: os.Stderr}}

// fdWriter returns a writer to the process's descriptor fd, stdout for 1,
// or an error if fd is not open.
func fdWriter(fd int, stdout io.Writer) (io.Writer, error) {
	if fd == 1 {
		return stdout, nil
	}
	fds.Lock()
	defer fds.Unlock()
	f, ok := fds.m[fd]
	if !ok {
		f = os.NewFile(uintptr(fd), "/dev/fd/"+strconv.Itoa(fd))
		if f == nil {
			return nil, fs.ErrInvalid
		}
		fds.m[fd] = f
	}
	if _, err := f.Stat(); err != nil { // not open
		return nil, err
	}
	return f, nil
}

// descriptor returns the file descriptor a name such as /dev/stdout or
// /dev/fd/3 stands for, and whether it is one. Such an output is written to
// the descriptor the process holds, as a shell writes it: reopening it by
// name would start a file appended to (>> log) at its beginning, and a
// rename would replace it.
func descriptor(name string) (int, bool) {
	switch name = filepath.Clean(name); name {
	case "/dev/stdout":
		return 1, true
	case "/dev/stderr":
		return 2, true
	}
	for _, dir := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if n, ok := strings.CutPrefix(name, dir); ok {
			if fd, err := strconv.Atoi(n); err == nil && fd >= 0 {
				return fd, true
			}
		}
	}
	return 0, false
}

// abortAll aborts every output not committed.
func abortAll(outs []*output) {
	for _, o := range outs {
		o.abort()
	}
}

// writeSummary writes s; on a nil output it does nothing.
func (o *output) writeSummary(s *report.Summary) error {
	if o == nil {
		return nil
	}
	if err := report.WriteSummary(o, s); err != nil {
		return o.writeError(err)
	}
	return nil
}

// commitAll commits a run's outputs once all are written (nil ones are
// skipped): every one is flushed to its file, device or standard output
// first, and only if all succeed are the files renamed into place, so that a write that fails
// leaves every existing output as it was. The renames run under the
// signal handler's lock, so that an interrupt does not fall between them;
// a rename that fails (a disk error: directories are refused up front)
// cannot undo the ones before it.
func commitAll(outs []*output) error {
	// Files first, whose data can still be taken back, then devices, then
	// standard output: what a failing run has written there stays written.
	for _, kind := range []func(*output) bool{
		func(o *output) bool { return o.file != nil },
		func(o *output) bool { return o.dev != nil },
		func(o *output) bool { return o.file == nil && o.dev == nil },
	} {
		for _, o := range outs {
			if o == nil || !kind(o) {
				continue
			}
			if err := o.flush(); err != nil {
				return err
			}
		}
	}
	pending.Lock()
	defer pending.Unlock()
	for _, o := range outs {
		if o == nil {
			continue
		}
		if err := o.commitLocked(); err != nil {
			return err
		}
	}
	return nil
}

// writeError is err, met writing o, named by o: a file's own error names
// the temporary file or repeats the path, which the message replaces.
func (o *output) writeError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("write %s: %w", o.name, err)
}

// flush writes out the buffered data, and for a file makes it durable.
func (o *output) flush() error {
	err := o.Flush()
	if err == nil && o.file != nil {
		err = o.file.Sync()
	}
	if err != nil {
		return o.writeError(err)
	}
	return nil
}

// commit flushes the data and, for a file, renames it into place.
func (o *output) commit() error {
	pending.Lock()
	defer pending.Unlock()
	return o.commitLocked()
}

// commitLocked is commit, with pending locked.
func (o *output) commitLocked() error {
	if err := o.flush(); err != nil {
		return err
	}
	if o.dev != nil {
		if err := o.dev.Close(); err != nil {
			return o.writeError(err)
		}
		o.dev = nil
		return nil
	}
	if o.file == nil {
		return nil
	}
	delete(pending.files, o.file)
	return o.file.Commit()
}

// abort removes an uncommitted file; it does nothing after commit, or on a
// nil output.
func (o *output) abort() {
	if o != nil && o.dev != nil {
		o.dev.Close()
		o.dev = nil
	}
	if o == nil || o.file == nil {
		return
	}
	pending.Lock()
	defer pending.Unlock()
	delete(pending.files, o.file)
	o.file.Abort()
}

// printNotices tells what happened to odd input: records skipped, invalid
// timeNotice warns when a --time-field given found no time in any
// document: the window then binds nothing, which a misspelt field name
// would otherwise hide.
func (f *pipelineFlags) timeNotice(w io.Writer, st neardup.Stats) {
	if f.timeGiven() && *f.timeField != "" && st.Docs > 0 && st.Dated == 0 {
		fmt.Fprintf(w, "neardup: no document has a publication time in --time-field %s: no window applies\n", *f.timeField)
	}
}

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

// openProfiles opens the files --cpuprofile and --memprofile name (nil
// outputs for those not asked for) before the run, checked against its
// inputs as every output is: a profile written atomically, and only when
// the run succeeds, never replaces an input or a file it would have kept.
func (f *pipelineFlags) openProfiles(inputs []string) (cpu, mem *output, err error) {
	for _, flag := range []struct{ name, path string }{{"cpuprofile", *f.cpuProfile}, {"memprofile", *f.memProfile}} {
		if flag.path == "-" {
			return nil, nil, usageError{fmt.Errorf("--%s -: a profile goes to a file, not to standard output", flag.name)}
		}
	}
	if err := f.outputs(inputs).check(nil); err != nil {
		return nil, nil, err
	}
	open := func(path string) (*output, error) {
		if path == "" {
			return nil, nil
		}
		return openOutput(path, os.Stdout)
	}
	if cpu, err = open(*f.cpuProfile); err != nil {
		return nil, nil, err
	}
	if mem, err = open(*f.memProfile); err != nil {
		cpu.abort()
		return nil, nil, err
	}
	return cpu, mem, nil
}

// writeHeapProfile writes the live heap to w; on a nil output it does
// nothing. The result of the run is still referenced, so the profile shows
// what the run holds at its end.
func writeHeapProfile(w *output) error {
	if w == nil {
		return nil
	}
	runtime.GC() // the profile shows the heap as of the last collection
	if err := pprof.Lookup("heap").WriteTo(w, 0); err != nil {
		return w.writeError(err)
	}
	return nil
}
