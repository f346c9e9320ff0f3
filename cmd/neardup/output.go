package main

// The outputs of a command: standard output, the process's descriptors,
// devices, and files written atomically; the paths a run reads and writes,
// checked against each other before any work; and the cleanup on SIGINT
// and SIGTERM.

import (
	"bufio"
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

	"github.com/neardup/neardup/atomicfile"
	"github.com/neardup/neardup/report"
)

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
		if a == "-" && slices.Contains(p.inputs[:i], "-") {
			return usageError{errors.New("- is given twice as an input: standard input can be read once")}
		}
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
