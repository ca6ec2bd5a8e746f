package main

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

// writeThick writes a thick bundle: an OCI layout from go-containerregistry
// with one invocation image, and the given bundle.json (with %DIGEST%
// replaced by the image's manifest digest).
func writeThick(t *testing.T, bundle string) string {
	t.Helper()
	src := t.TempDir()
	p, err := layout.Write(filepath.Join(src, "artifacts", "layout"), empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(128, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	writeTemp(t, src, "bundle.json", strings.ReplaceAll(bundle, "%DIGEST%", d.String()))
	out := filepath.Join(t.TempDir(), "bundle.tgz")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(src, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if err := tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err = tw.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLintThickBundleArchive(t *testing.T) {
	good := writeThick(t, `{"schemaVersion":"v1.2.0","name":"app","version":"1.0.0","invocationImages":[{"imageType":"oci","image":"example.com/app:1.0.0","contentDigest":"%DIGEST%"}]}`)
	code, stdout, stderr := runCmd(t, "", good)
	if code != 0 {
		t.Fatalf("good archive: exit %d\n%s%s", code, stdout, stderr)
	}
	// bundle.json lint findings come through, located inside the archive.
	bad := writeThick(t, `{"schemaVersion":"v1.2.0","name":"app","invocationImages":[{"imageType":"oci","image":"example.com/app:1.0.0","contentDigest":"sha256:`+strings.Repeat("0", 64)+`"}]}`)
	code, stdout, _ = runCmd(t, "", "--format", "json", bad)
	if code != 1 {
		t.Fatalf("bad archive: exit %d\n%s", code, stdout)
	}
	var out struct {
		Findings []struct{ File, Rule string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	rules := map[string]string{}
	for _, f := range out.Findings {
		rules[f.Rule] = f.File
	}
	if f, ok := rules["F-104-04"]; !ok || !strings.HasSuffix(f, "bundle.tgz!/bundle.json") {
		t.Errorf("want F-104-04 on bundle.tgz!/bundle.json (the image is not in the layout), got %v", rules)
	}
	if _, ok := rules["B-101-04"]; !ok {
		t.Errorf("want B-101-04 from linting bundle.json (no version), got %v", rules)
	}
}
