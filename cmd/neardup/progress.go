package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress shows how a run advances on standard error: a line redrawn in
// place when standard error is a terminal, a line per stage with --verbose,
// nothing otherwise. Data never goes to standard error.
type progress struct {
	w       io.Writer
	tty     bool
	verbose bool
	start   time.Time
	last    time.Time
	stage   string
	drawn   bool
}

func newProgress(w io.Writer, quiet, verbose bool) *progress {
	p := &progress{w: w, verbose: verbose, start: time.Now()}
	if f, ok := w.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// update is the pipeline's Progress callback.
func (p *progress) update(stage string, done int) {
	now := time.Now()
	if stage != p.stage {
		p.stage = stage
		if p.verbose && !p.tty {
			fmt.Fprintf(p.w, "neardup: %s (%d documents, %.1fs)\n", stage, done, now.Sub(p.start).Seconds())
		}
	} else if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	if p.tty {
		rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
		fmt.Fprintf(p.w, "\r\033[Kneardup: %s: %d documents, %.0f/s, %.1fs", stage, done, rate, now.Sub(p.start).Seconds())
		p.drawn = true
	}
}

// done clears the progress line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
