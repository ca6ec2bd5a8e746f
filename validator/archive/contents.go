package archive

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
)

// Contents is what a safe read of an archive keeps, for callers that judge
// an archive against something they know (the conformance suite compares an
// exported archive with the registry copy it came from). It comes from the
// same streaming reader as Check, with the same safety limits.
type Contents struct {
	Gzipped bool
	Names   []string          // cleaned entry names, in archive order
	Members map[string]Member // by cleaned name
}

// Member is one archive entry.
type Member struct {
	Name    string
	Regular bool   // a regular file (not a folder or a link)
	Size    int64  // bytes of a regular file
	Digest  string // "alg:hex" computed while streaming; layout blobs only
	Content []byte // kept for bundle.json, the layout's JSON files and JSON blobs within MaxJSONSize
}

// Read reads an archive with the limits of Check. An archive the reader
// rejects (unsafe entry, bomb, not a tar) is an error that names the rule.
func Read(r io.Reader, lim Limits) (*Contents, error) {
	cont, err := read(r, lim.withDefaults())
	if err != nil {
		if u, ok := err.(*unsafeEntry); ok {
			return nil, fmt.Errorf("%s: %s", u.rule, u.msg)
		}
		return nil, err
	}
	out := &Contents{Gzipped: cont.gzipped, Names: cont.order, Members: make(map[string]Member, len(cont.entries))}
	for n, e := range cont.entries {
		out.Members[n] = Member{Name: n, Regular: e.typ == tar.TypeReg, Size: e.size, Digest: e.digest, Content: e.content}
	}
	return out, nil
}

// ReadFile opens and reads an archive on disk.
func ReadFile(name string, lim Limits) (*Contents, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, lim)
}

// LayoutBlob is where a thick bundle keeps the blob of a digest:
// artifacts/layout/blobs/<alg>/<hex>.
func LayoutBlob(digest string) string { return blobPath(digest) }
