package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"
)

// Limits bound what reading an archive may cost. Zero fields take the
// defaults.
type Limits struct {
	MaxEntries    int     // entries in the archive; default 100,000
	MaxEntrySize  int64   // uncompressed bytes of one entry; default 8 GiB
	MaxTotalSize  int64   // uncompressed bytes of the whole tar stream; default 32 GiB
	MaxRatio      float64 // uncompressed / compressed bytes; default 100
	RatioGrace    int64   // uncompressed bytes read before the ratio is enforced; default 8 MiB
	MaxJSONSize   int64   // size of one JSON file kept for analysis; default 10 MiB
	MaxJSONBudget int64   // total size of the JSON files kept; default 64 MiB
}

// DefaultLimits are the limits used for zero fields.
var DefaultLimits = Limits{
	MaxEntries:    100_000,
	MaxEntrySize:  8 << 30,
	MaxTotalSize:  32 << 30,
	MaxRatio:      100,
	RatioGrace:    8 << 20,
	MaxJSONSize:   10 << 20,
	MaxJSONBudget: 64 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxEntrySize > 0 {
		d.MaxEntrySize = l.MaxEntrySize
	}
	if l.MaxTotalSize > 0 {
		d.MaxTotalSize = l.MaxTotalSize
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.RatioGrace > 0 {
		d.RatioGrace = l.RatioGrace
	}
	if l.MaxJSONSize > 0 {
		d.MaxJSONSize = l.MaxJSONSize
	}
	if l.MaxJSONBudget > 0 {
		d.MaxJSONBudget = l.MaxJSONBudget
	}
	return d
}

// unsafeEntry is a rejection of the whole archive: reading stops there.
type unsafeEntry struct {
	rule  string
	entry string
	msg   string
}

func (e *unsafeEntry) Error() string { return e.msg }

// entry is what is remembered of one archive member.
type entry struct {
	name     string
	typ      byte
	size     int64
	linkname string
	digest   string // "alg:hex" computed while streaming, for blobs
	content  []byte // kept for small JSON files
}

// contents is the result of a safe read.
type contents struct {
	gzipped bool
	entries map[string]*entry
	order   []string
}

// counter counts bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// guard enforces the total-size and ratio limits on the decompressed stream,
// before the tar reader sees the bytes.
type guard struct {
	r          io.Reader
	compressed *counter // nil for a plain tar
	n          int64
	lim        Limits
}

func (g *guard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.n > g.lim.MaxTotalSize {
		return n, &unsafeEntry{rule: "V-ARCHIVE-07", msg: fmt.Sprintf("archive expands beyond %d bytes; reading stopped", g.lim.MaxTotalSize)}
	}
	if g.compressed != nil && g.n > g.lim.RatioGrace && float64(g.n) > g.lim.MaxRatio*float64(max(g.compressed.n, 1)) {
		return n, &unsafeEntry{rule: "V-ARCHIVE-08", msg: fmt.Sprintf(
			"compression ratio above %g:1 (%d bytes expanded from %d): a decompression bomb? reading stopped", g.lim.MaxRatio, g.n, g.compressed.n)}
	}
	return n, err
}

// cleanName validates an entry name and returns its cleaned, slash-separated
// relative form ("" for the root itself).
func cleanName(name string) (string, *unsafeEntry) {
	if strings.ContainsRune(name, 0) {
		return "", &unsafeEntry{rule: "V-ARCHIVE-03", entry: name, msg: fmt.Sprintf("entry %q has a NUL byte in its name", name)}
	}
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return "", &unsafeEntry{rule: "V-ARCHIVE-02", entry: name, msg: fmt.Sprintf("entry %q has an absolute name", name)}
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return "", &unsafeEntry{rule: "V-ARCHIVE-03", entry: name, msg: fmt.Sprintf("entry %q climbs out of the archive with '..'", name)}
		}
	}
	c := path.Clean(n)
	if c == "." {
		return "", nil
	}
	return c, nil
}

// linkInside checks that a link's target stays inside the archive. Symbolic
// link targets are relative to the link's folder; hard link targets are
// archive names.
func linkInside(name, target string, symbolic bool) *unsafeEntry {
	t := strings.ReplaceAll(target, `\`, "/")
	if t == "" || strings.HasPrefix(t, "/") || (len(t) >= 2 && t[1] == ':') {
		return &unsafeEntry{rule: "V-ARCHIVE-04", entry: name, msg: fmt.Sprintf("link %q points at %q, outside the archive", name, target)}
	}
	if symbolic {
		t = path.Join(path.Dir(name), t)
	} else {
		t = path.Clean(t)
	}
	if t == ".." || strings.HasPrefix(t, "../") {
		return &unsafeEntry{rule: "V-ARCHIVE-04", entry: name, msg: fmt.Sprintf("link %q points at %q, outside the archive", name, target)}
	}
	return nil
}

const layoutDir = "artifacts/layout/"

// blobName returns the algorithm and hex of a path under the layout's
// blobs folder.
func blobName(name string) (alg, hexPart string, ok bool) {
	rest, found := strings.CutPrefix(name, layoutDir+"blobs/")
	if !found {
		return "", "", false
	}
	alg, hexPart, found = strings.Cut(rest, "/")
	if !found || strings.Contains(hexPart, "/") {
		return "", "", false
	}
	return alg, hexPart, true
}

func newHash(alg string) hash.Hash {
	switch alg {
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// wantJSON says whether an entry's bytes are kept for analysis.
func wantJSON(name string) bool {
	switch name {
	case "bundle.json", layoutDir + "index.json", layoutDir + "oci-layout":
		return true
	}
	_, _, ok := blobName(name)
	return ok
}

// read streams the archive, enforcing every safety rule, hashing blobs and
// keeping small JSON files.
func read(r io.Reader, lim Limits) (*contents, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(2)
	out := &contents{entries: map[string]*entry{}}
	g := &guard{r: br, lim: lim}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		c := &counter{r: br}
		zr, err := gzip.NewReader(c)
		if err != nil {
			return nil, &unsafeEntry{rule: "V-ARCHIVE-01", msg: "not a readable gzip stream: " + err.Error()}
		}
		zr.Multistream(true)
		out.gzipped = true
		g = &guard{r: zr, compressed: c, lim: lim}
	}
	tr := tar.NewReader(g)
	var budget int64
	buf := make([]byte, 32<<10)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			if len(out.order) == 0 {
				return nil, &unsafeEntry{rule: "V-ARCHIVE-01", msg: "the archive holds no entries (not a tar archive?)"}
			}
			return out, nil
		}
		if err != nil {
			return nil, readErr(err)
		}
		if len(out.order) >= lim.MaxEntries {
			return nil, &unsafeEntry{rule: "V-ARCHIVE-07", msg: fmt.Sprintf("more than %d entries; reading stopped", lim.MaxEntries)}
		}
		name, bad := cleanName(h.Name)
		if bad != nil {
			return nil, bad
		}
		if name == "" && h.Typeflag == tar.TypeDir {
			continue // "./" itself
		}
		if name == "" {
			return nil, &unsafeEntry{rule: "V-ARCHIVE-03", entry: h.Name, msg: fmt.Sprintf("entry %q has no name", h.Name)}
		}
		if _, dup := out.entries[name]; dup {
			return nil, &unsafeEntry{rule: "V-ARCHIVE-06", entry: name, msg: fmt.Sprintf("entry %q appears more than once", name)}
		}
		e := &entry{name: name, typ: h.Typeflag, size: h.Size, linkname: h.Linkname}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeRegA:
			e.typ = tar.TypeReg
			if h.Size > lim.MaxEntrySize {
				return nil, &unsafeEntry{rule: "V-ARCHIVE-07", entry: name, msg: fmt.Sprintf("entry %q is %d bytes, above the %d-byte limit", name, h.Size, lim.MaxEntrySize)}
			}
			if err := readEntry(tr, e, lim, &budget, buf); err != nil {
				return nil, err
			}
		case tar.TypeDir:
		case tar.TypeSymlink:
			if bad := linkInside(name, h.Linkname, true); bad != nil {
				return nil, bad
			}
		case tar.TypeLink:
			if bad := linkInside(name, h.Linkname, false); bad != nil {
				return nil, bad
			}
			target, _ := cleanName(h.Linkname)
			if t, ok := out.entries[target]; !ok || t.typ != tar.TypeReg {
				return nil, &unsafeEntry{rule: "V-ARCHIVE-04", entry: name, msg: fmt.Sprintf("hard link %q points at %q, which is not an earlier regular file of the archive", name, h.Linkname)}
			}
		case tar.TypeChar, tar.TypeBlock:
			return nil, &unsafeEntry{rule: "V-ARCHIVE-05", entry: name, msg: fmt.Sprintf("entry %q is a device file", name)}
		case tar.TypeFifo:
			return nil, &unsafeEntry{rule: "V-ARCHIVE-05", entry: name, msg: fmt.Sprintf("entry %q is a named pipe (FIFO)", name)}
		default:
			return nil, &unsafeEntry{rule: "V-ARCHIVE-05", entry: name, msg: fmt.Sprintf("entry %q has unsupported type %q", name, string(rune(h.Typeflag)))}
		}
		out.entries[name] = e
		out.order = append(out.order, name)
	}
}

func readErr(err error) error {
	var u *unsafeEntry
	if errors.As(err, &u) {
		return u
	}
	return &unsafeEntry{rule: "V-ARCHIVE-01", msg: "cannot read the archive: " + err.Error()}
}

// readEntry streams one regular file: hashing it when it is a blob, keeping
// it when it is small JSON the analysis needs.
func readEntry(tr io.Reader, e *entry, lim Limits, budget *int64, buf []byte) error {
	var h hash.Hash
	alg, _, isBlob := blobName(e.name)
	if isBlob {
		h = newHash(alg)
	}
	var kept *bytes.Buffer
	if wantJSON(e.name) && e.size <= lim.MaxJSONSize && *budget+e.size <= lim.MaxJSONBudget {
		kept = bytes.NewBuffer(make([]byte, 0, e.size))
	}
	var n int64
	for {
		k, err := tr.Read(buf)
		if k > 0 {
			n += int64(k)
			if h != nil {
				h.Write(buf[:k])
			}
			// Layers are compressed, so a blob that does not start like
			// JSON is not kept even if it fits the budget.
			if kept != nil {
				if isBlob && n == int64(k) && !looksJSON(buf[:k]) {
					kept = nil
				} else {
					kept.Write(buf[:k])
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return readErr(err)
		}
	}
	if h != nil {
		e.digest = alg + ":" + hex.EncodeToString(h.Sum(nil))
	}
	if kept != nil {
		e.content = kept.Bytes()
		*budget += int64(len(e.content))
	}
	return nil
}

func looksJSON(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return true
}
