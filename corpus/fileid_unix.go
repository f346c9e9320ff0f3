//go:build unix

package corpus

import (
	"io/fs"
	"syscall"
)

// fileID returns what tells the file st describes from every other: its
// device and inode, the same for every path and link that names it.
func fileID(st fs.FileInfo) (id [2]uint64, ok bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return id, false
	}
	return [2]uint64{uint64(sys.Dev), uint64(sys.Ino)}, true
}
