package report

import (
	"fmt"
	"os"
	"path/filepath"
)

// An AtomicFile is written under a temporary name beside its final path and
// renamed into place by Commit, so that readers of the path see either the
// old file or the whole new one, never a partial write.
type AtomicFile struct {
	*os.File
	path string
	done bool
}

// CreateAtomic starts writing the file path.
func CreateAtomic(path string) (*AtomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), TempName(filepath.Base(path)))
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &AtomicFile{File: f, path: path}, nil
}

// Commit flushes the file to disk and renames it into place.
func (f *AtomicFile) Commit() error {
	if f.done {
		return fmt.Errorf("write %s: already closed", f.path)
	}
	f.done = true
	tmp := f.Name()
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, f.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Abort removes the temporary file. It does nothing after Commit, so it
// can be deferred.
func (f *AtomicFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// TempName is the pattern of the temporary name CreateAtomic gives a file
// named base while it is written, for os.CreateTemp: a dot file beside it,
// with a random number for the star.
func TempName(base string) string { return "." + base + ".tmp-*" }
