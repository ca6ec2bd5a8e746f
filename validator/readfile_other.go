//go:build !unix

package validator

import (
	"io"
	"os"
)

// readFileInto reads a file into buf (see the unix version).
func readFileInto(path string, buf []byte, max int64) (data []byte, size int64, tooLarge bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, false, err
	}
	if st.Mode().IsRegular() && st.Size() > max {
		return nil, st.Size(), true, nil
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	return b, 0, false, err
}
