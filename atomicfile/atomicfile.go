// Package atomicfile writes a file so that readers of its path see either
// the old file or the whole new one, never a partial write: it is written
// under a temporary name beside the path and renamed into place.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// A File is written under a temporary name beside its final path and
// renamed into place by Commit, so that readers of the path see either the
// old file or the whole new one, never a partial write.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts writing the file path. The file gets the mode of the
// file it replaces, or if there is none, the mode os.Create would give it
// (0666 less the umask): a report of a private corpus stays private.
func Create(path string) (*File, error) {
	mode, keep := os.FileMode(0o666), false
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		mode, keep = fi.Mode().Perm(), true
	}
	dir, base := filepath.Split(path)
	for try := 0; ; try++ {
		// os.CreateTemp's files are 0600: the name is made here instead.
		tmp := filepath.Join(dir, tempPrefix(base)+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		if err == nil && keep {
			err = f.Chmod(mode) // exactly the old mode, whatever the umask
			if err != nil {
				f.Close()
				os.Remove(tmp)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		return &File{File: f, path: path}, nil
	}
}

// Commit flushes the file to disk and renames it into place.
func (f *File) Commit() error {
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
		err = os.Rename(tmp, f.path)
	}
	if err != nil {
		os.Remove(tmp)
		var le *os.LinkError // it names the temporary file
		if errors.As(err, &le) {
			err = le.Err
		}
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Abort removes the temporary file. It does nothing after Commit, so it
// can be deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// TempName is the pattern, for filepath.Match, of the temporary names
// Create gives a file named base while it is written: a dot file beside it
// (hidden from most globs), a random suffix for the star.
func TempName(base string) string { return tempPrefix(base) + "*" }

func tempPrefix(base string) string { return "." + base + ".tmp-" }
