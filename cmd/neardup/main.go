// Command neardup finds near-duplicate Arabic texts and groups the reports
// of one event. See the README for the flags and the report's columns.
//
//	neardup cluster [flags] PATH...    cluster documents, write a CSV report
//	neardup dedup [flags] PATH...      write the input records without their copies
//	neardup normalize [flags]          normalize standard input, line by line
//	neardup params [flags]             show the LSH banding for a threshold
//	neardup idf [flags] PATH...        build a document-frequency table
//	neardup eval [flags] REPORT        score a report against labels
//	neardup explain [flags] A B PATH... show why two documents are grouped or not
//	neardup version                    print the version
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/corpus"
	"github.com/spf13/pflag"
)

// Exit codes.
const (
	exitOK       = 0
	exitInput    = 1 // bad input or usage
	exitInternal = 2 // anything else: an output that cannot be written, a bug
)

type command struct {
	name, args, summary string
	run                 func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

var commands []command

func init() {
	commands = []command{
		{"cluster", "[flags] PATH...", "cluster documents and write a CSV report", runCluster},
		{"dedup", "[flags] PATH...", "write the input records, one per group of copies", runDedup},
		{"normalize", "[flags]", "normalize standard input, one line out per line in", runNormalize},
		{"params", "[flags]", "show the LSH banding and S-curve for a threshold", runParams},
		{"idf", "[flags] PATH...", "build a document-frequency table for --idf", runIDF},
		{"eval", "[flags] REPORT", "score a report against labelled pairs or clusters", runEval},
		{"explain", "[flags] A B PATH...", "show why two documents are or are not grouped", runExplain},
		{"version", "", "print the version and build settings", runVersion},
		{"help", "[COMMAND]", "show help for a command", runHelp},
	}
}

func main() {
	// A run's memory is mostly long-lived state of every document read;
	// collecting at 25% growth rather than Go's default 100% keeps the peak
	// near 1.25 times it. Each collection costs little, because most of
	// that state (signatures, terms, weights) holds no pointers to scan:
	// on 300,000 documents the run took no longer than at 50%, and 19% less
	// memory. GOGC in the environment still decides if set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(25)
	}
	// Every command exits 130 on SIGINT or SIGTERM, whatever it writes to;
	// the files it writes are removed first (see pending).
	pending.once.Do(watchSignals)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitInput
	}
	if args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(args[1:], stdin, stdout, stderr)
			switch {
			case err == nil:
				return exitOK
			case errors.Is(err, pflag.ErrHelp):
				return exitOK
			}
			fmt.Fprintf(stderr, "neardup %s: %v%s\n", c.name, err, hint(err))
			var ue usageError
			var ce *corpus.Error
			if errors.As(err, &ue) || errors.As(err, &ce) || errors.As(err, new(inputError)) {
				return exitInput
			}
			return exitInternal
		}
	}
	fmt.Fprintf(stderr, "neardup: unknown command %q\n", args[0])
	usage(stderr)
	return exitInput
}

// hint returns what the command line can do about err, for errors the
// library words without naming flags.
func hint(err error) string {
	switch {
	case errors.Is(err, corpus.ErrUnknownFormat):
		return ", or give --format"
	case errors.Is(err, neardup.ErrInvalidUTF8):
		return "; without --strict they become U+FFFD"
	}
	return ""
}

// usageError is a mistake on the command line.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// inputError is a problem with the input data.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

func usage(w io.Writer) {
	fmt.Fprintln(w, "neardup finds near-duplicate Arabic texts and groups the reports of one event.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands {
		fmt.Fprintf(w, "  neardup %-9s %-19s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'neardup help COMMAND' for a command's flags.")
}

// newFlags returns a flag set for command name that reports usage errors
// as such and prints help on -h.
func newFlags(name string, stdout io.Writer, example string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		for _, c := range commands {
			if c.name == name {
				fmt.Fprintf(stdout, "Usage: %s\n\n%s.\n", strings.TrimSpace("neardup "+c.name+" "+c.args), c.summary)
			}
		}
		if fs.HasFlags() {
			fmt.Fprintf(stdout, "\nFlags:\n")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
		if example != "" {
			fmt.Fprintf(stdout, "\nExample:\n  %s\n", example)
		}
	}
	return fs
}

// parse parses args, printing help on -h and wrapping errors as usage errors.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err // pflag has called fs.Usage
		}
		return usageError{err}
	}
	return nil
}

func runHelp(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] && c.name != "help" {
			return c.run([]string{"--help"}, stdin, stdout, stderr)
		}
	}
	return usageError{fmt.Errorf("unknown command %q", args[0])}
}

// version returns the module version and the build's settings.
func version() string {
	version, settings := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		settings = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision", "vcs.time", "vcs.modified", "GOOS", "GOARCH":
				settings += " " + s.Key + "=" + s.Value
			}
		}
	}
	return version + " " + settings
}

func runVersion(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := newFlags("version", stdout, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("takes no arguments")}
	}
	fmt.Fprintf(stdout, "neardup %s\n", version())
	return nil
}
