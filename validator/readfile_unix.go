//go:build unix

package validator

import (
	"io/fs"
	"syscall"
)

// readFileInto reads a file into buf with plain system calls: open, fstat,
// read, close. os.Open would also register every file with the network
// poller, one more system call per file that buys nothing for regular
// files; linting thousands of small files notices. size is the file's size
// when it is over max (the content is then not read).
func readFileInto(path string, buf []byte, max int64) (data []byte, size int64, tooLarge bool, err error) {
	var fd int
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, false, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, 0, false, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	regular := st.Mode&syscall.S_IFMT == syscall.S_IFREG
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return nil, 0, false, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	}
	if regular && st.Size > max {
		return nil, st.Size, true, nil
	}
	b := buf[:0]
	if want := int(st.Size) + 1; cap(b) < want {
		b = make([]byte, 0, want)
	}
	for {
		if len(b) == cap(b) {
			if int64(len(b)) > max {
				break
			}
			b = append(b, 0)[:len(b)]
		}
		n, err := syscall.Read(fd, b[len(b):cap(b)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return b, 0, false, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		b = b[:len(b)+n]
		if n == 0 || (regular && int64(len(b)) == st.Size) {
			break // a regular file read to its size needs no extra read to see EOF
		}
	}
	return b, 0, false, nil
}
