package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreateCommitAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("new")
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("path changed before Commit: %q", b)
	}
	f.Abort()
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("Abort changed the file: %q", b)
	}
	f, _ = Create(path)
	f.WriteString("new")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort() // after Commit: no effect
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("after Commit: %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if _, err := Create(filepath.Join(dir, "no", "such", "dir.csv")); err == nil {
		t.Error("no error for a missing directory")
	}
}

// TestMode checks that a file replaced keeps its mode, and that a
// new one gets os.Create's (which the umask decides).
func TestMode(t *testing.T) {
	dir := t.TempDir()
	write := func(path string) os.FileMode {
		t.Helper()
		f, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("x")
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	private := filepath.Join(dir, "private.csv")
	if err := os.WriteFile(private, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(private, 0o600)
	if m := write(private); m != 0o600 {
		t.Errorf("a 0600 file replaced: mode %v", m)
	}
	f, err := os.Create(filepath.Join(dir, "created"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(f.Name())
	if m := write(filepath.Join(dir, "new.csv")); m != fi.Mode().Perm() {
		t.Errorf("a new file: mode %v, os.Create's %v", m, fi.Mode().Perm())
	}
}

// TestCommitError: a rename that fails is told for the path, not for the
// temporary file, which is removed.
func TestCommitError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "taken")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(path, "x"), nil, 0o644) // a directory rename cannot replace
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	err = f.Commit()
	if err == nil || strings.Contains(err.Error(), ".tmp-") || !strings.HasPrefix(err.Error(), "write "+path+": ") {
		t.Errorf("Commit: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary file left: %v", ents)
	}
}
