package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

// tarEntry is one member of a test archive.
type tarEntry struct {
	name     string
	body     string
	typ      byte
	linkname string
}

func makeTar(t testing.TB, gz bool, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	var zw *gzip.Writer
	var tw *tar.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		tw = tar.NewWriter(zw)
	} else {
		tw = tar.NewWriter(&buf)
	}
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, Linkname: e.linkname, Format: tar.FormatPAX}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// thick is a generated thick bundle: an OCI layout written by
// go-containerregistry, plus the bundle.json that names its images.
type thick struct {
	invocation, component v1.Hash
	files                 map[string]string // archive name -> content
}

func newThick(t *testing.T) *thick {
	t.Helper()
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	th := &thick{files: map[string]string{}}
	for i, ref := range []string{"example.com/app/installer:1.0", "example.com/app/web:2.1"} {
		img, err := random.Image(256, 1)
		if err != nil {
			t.Fatal(err)
		}
		tag := ref[strings.LastIndex(ref, ":")+1:]
		if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{refNameKey: tag})); err != nil {
			t.Fatal(err)
		}
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			th.invocation = d
		} else {
			th.component = d
		}
	}
	if err := readLayout(dir, th.files); err != nil {
		t.Fatal(err)
	}
	th.files["bundle.json"] = th.bundle("example.com/app/installer:1.0", th.invocation.String(), "example.com/app/web:2.1", th.component.String())
	return th
}

// readLayout adds every file of an OCI layout folder to files, under
// artifacts/layout/.
func readLayout(dir string, files map[string]string) error {
	return filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files["artifacts/layout/"+filepath.ToSlash(rel)] = string(b)
		return nil
	})
}

func (th *thick) bundle(inv, invDigest, web, webDigest string) string {
	b := map[string]any{
		"schemaVersion":    "v1.2.0",
		"name":             "app",
		"version":          "1.0.0",
		"invocationImages": []any{map[string]any{"imageType": "oci", "image": inv, "contentDigest": invDigest}},
		"images":           map[string]any{"web": map[string]any{"imageType": "oci", "image": web, "contentDigest": webDigest}},
	}
	out, _ := json.Marshal(b)
	return string(out)
}

// archive returns the thick bundle as a gzip tar, in sorted order, after
// edit has changed the file map.
func (th *thick) archive(t testing.TB, edit func(files map[string]string)) []byte {
	t.Helper()
	files := map[string]string{}
	for k, v := range th.files {
		files[k] = v
	}
	if edit != nil {
		edit(files)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	entries := []tarEntry{{name: "artifacts/", typ: tar.TypeDir}}
	for _, n := range names {
		entries = append(entries, tarEntry{name: n, body: files[n]})
	}
	return makeTar(t, true, entries...)
}

func check(t *testing.T, data []byte, cfg Config) []validator.Finding {
	t.Helper()
	fs, err := Check(bytes.NewReader(data), "b.tgz", cfg)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return fs
}

func rules(fs []validator.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

func sha256hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
