package archivecheck

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/archive"
	"github.com/cnab-conformance/cnab-conformance/validator/oci"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// fixture is a bundle with one invocation image (config + one layer), as a
// registry holds it and as a faithful archive holds it.
type fixture struct {
	bundle   *oci.Bundle
	pushed   *oci.Artifact
	contents *archive.Contents
	manifest string // digests
	config   string
	layer    string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cfg, layer := []byte(`{"architecture":"amd64"}`), []byte("layer-bytes")
	m := oci.Manifest{SchemaVersion: 2, MediaType: oci.MediaTypeOCIManifest,
		Config: oci.Descriptor{MediaType: "application/vnd.oci.image.config.v1+json", Digest: client.Digest(cfg), Size: int64(len(cfg))},
		Layers: []oci.Descriptor{{MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", Digest: client.Digest(layer), Size: int64(len(layer))}}}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{manifest: client.Digest(raw), config: client.Digest(cfg), layer: client.Digest(layer)}
	f.bundle = &oci.Bundle{InvocationImages: []oci.Image{{Image: "example.com/app:1", ContentDigest: f.manifest, Size: int64(len(raw))}}}
	f.pushed = &oci.Artifact{
		Manifests: map[string]*oci.Object{f.manifest: {Digest: f.manifest, Present: true, Size: int64(len(raw)), Raw: raw}},
		Blobs: map[string]*oci.Object{
			f.config: {Digest: f.config, Present: true, Size: int64(len(cfg))},
			f.layer:  {Digest: f.layer, Present: true, Size: int64(len(layer))},
		},
	}
	f.contents = &archive.Contents{Members: map[string]archive.Member{}}
	for _, b := range [][]byte{raw, cfg, layer} {
		n := archive.LayoutBlob(client.Digest(b))
		f.contents.Members[n] = archive.Member{Name: n, Regular: true, Size: int64(len(b)), Digest: client.Digest(b)}
		f.contents.Names = append(f.contents.Names, n)
	}
	return f
}

func rules(fs oci.Findings) []string {
	var out []string
	for _, f := range fs.Errors() {
		out = append(out, f.Rule)
	}
	return out
}

func TestCheckImages(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(f *fixture)
		rules []string
		msg   string
	}{
		{"faithful archive", func(*fixture) {}, nil, ""},
		{"image manifest missing", func(f *fixture) { delete(f.contents.Members, archive.LayoutBlob(f.manifest)) }, []string{"F-104-04"}, "not in the archive"},
		{"layer missing", func(f *fixture) { delete(f.contents.Members, archive.LayoutBlob(f.layer)) }, []string{"F-104-04"}, "layer 0"},
		{"config blob corrupt", func(f *fixture) {
			m := f.contents.Members[archive.LayoutBlob(f.config)]
			m.Digest = "sha256:" + strings.Repeat("0", 64)
			f.contents.Members[m.Name] = m
		}, []string{"F-104-04"}, "hashes to"},
		{"layer size differs from the registry", func(f *fixture) {
			m := f.contents.Members[archive.LayoutBlob(f.layer)]
			m.Size++
			f.contents.Members[m.Name] = m
		}, []string{"F-104-04"}, "the registry's has"},
		{"manifest is a link", func(f *fixture) {
			m := f.contents.Members[archive.LayoutBlob(f.manifest)]
			m.Regular = false
			f.contents.Members[m.Name] = m
		}, []string{"F-104-04"}, "link or folder"},
		{"bundle size disagrees", func(f *fixture) { f.bundle.InvocationImages[0].Size++ }, []string{"F-104-04"}, "bundle.json gives size"},
		{"no contentDigest", func(f *fixture) { f.bundle.InvocationImages[0].ContentDigest = "" }, []string{"F-104-04"}, "no contentDigest"},
		{"not fetched from the registry: presence only", func(f *fixture) {
			delete(f.pushed.Manifests, f.manifest)
			delete(f.contents.Members, archive.LayoutBlob(f.manifest))
		}, []string{"F-104-04"}, "not in the archive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.edit(f)
			fs := CheckImages(f.contents, f.pushed, f.bundle)
			if got := rules(fs); !slices.Equal(got, tc.rules) {
				t.Fatalf("rules %v, want %v: %v", got, tc.rules, fs)
			}
			if tc.msg != "" && !strings.Contains(fs[0].String(), tc.msg) {
				t.Errorf("finding %q does not say %q", fs[0], tc.msg)
			}
		})
	}
}

func TestCheckBundle(t *testing.T) {
	pushed := []byte(`{"invocationImages":[{"contentDigest":"sha256:aa","image":"x"}],"name":"b"}`)
	tests := []struct {
		name     string
		archived []byte
		n        int
		msg      string
	}{
		{"identical", pushed, 0, ""},
		{"pretty-printed", []byte("{\n  \"invocationImages\": [{\"contentDigest\": \"sha256:aa\", \"image\": \"x\"}],\n  \"name\": \"b\"\n}"), 1, "first difference at byte 1"},
		{"contentDigest changed", bytes.Replace(pushed, []byte("sha256:aa"), []byte("sha256:bb"), 1), 2, "contentDigest sha256:bb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := CheckBundle(tc.archived, pushed)
			if len(fs) != tc.n {
				t.Fatalf("%d findings, want %d: %v", len(fs), tc.n, fs)
			}
			for _, f := range fs {
				if f.Rule != "F-104-06" || f.Severity != oci.Error {
					t.Errorf("finding %v", f)
				}
			}
			if tc.msg != "" && !strings.Contains(fs[len(fs)-1].Message, tc.msg) {
				t.Errorf("message %q does not say %q", fs[len(fs)-1].Message, tc.msg)
			}
		})
	}
}

type entry struct {
	name, body string
	mtime      time.Time
}

func tgz(t *testing.T, level int, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, level)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(e.body)), ModTime: e.mtime, Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckDeterministic(t *testing.T) {
	epoch := time.Unix(0, 0)
	base := tgz(t, gzip.BestCompression, entry{"bundle.json", "{}", epoch}, entry{"artifacts/layout/index.json", "{}", epoch})
	tests := []struct {
		name   string
		second []byte
		msg    string // "" = no finding
	}{
		{"identical", base, ""},
		{"timestamps", tgz(t, gzip.BestCompression, entry{"bundle.json", "{}", time.Unix(1700000000, 5)}, entry{"artifacts/layout/index.json", "{}", epoch}), `entry "bundle.json" has modification time`},
		{"content", tgz(t, gzip.BestCompression, entry{"bundle.json", "{ }", epoch}, entry{"artifacts/layout/index.json", "{}", epoch}), `entry "bundle.json" has different content`},
		{"order", tgz(t, gzip.BestCompression, entry{"artifacts/layout/index.json", "{}", epoch}, entry{"bundle.json", "{}", epoch}), "entry 0 is"},
		{"extra entry", tgz(t, gzip.BestCompression, entry{"bundle.json", "{}", epoch}, entry{"artifacts/layout/index.json", "{}", epoch}, entry{"x", "", epoch}), "2 entries, the other 3"},
		{"compression", tgz(t, gzip.NoCompression, entry{"bundle.json", "{}", epoch}, entry{"artifacts/layout/index.json", "{}", epoch}), "the compression differs"},
		{"not a tar", []byte("garbage"), "7 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := CheckDeterministic(base, tc.second)
			if tc.msg == "" {
				if len(fs) != 0 {
					t.Fatalf("findings on identical archives: %v", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Rule != "F-104-06" || fs[0].Severity != oci.Error {
				t.Fatalf("findings %v, want one F-104-06 error", fs)
			}
			if !strings.Contains(fs[0].Message, tc.msg) {
				t.Errorf("message %q does not say %q", fs[0].Message, tc.msg)
			}
		})
	}
}

func TestCheckImport(t *testing.T) {
	bundle := []byte(`{"invocationImages":[{"contentDigest":"sha256:m1","image":"x"}],"name":"b"}`)
	index := []byte(`{"manifests":[{"digest":"sha256:m1"}]}`)
	artifact := func() *oci.Artifact {
		return &oci.Artifact{Repository: "dst/repo", Index: index, ConfigBlob: bundle,
			Parsed:    oci.Index{Manifests: []oci.Descriptor{{Digest: "sha256:m1"}}},
			Manifests: map[string]*oci.Object{"sha256:m1": {Digest: "sha256:m1", Present: true, Raw: []byte(`{"layers":[{"digest":"sha256:l1"}]}`)}},
			Blobs:     map[string]*oci.Object{"sha256:l1": {Digest: "sha256:l1", Present: true}}}
	}
	tests := []struct {
		name  string
		edit  func(a *oci.Artifact)
		rules []string
	}{
		{"same bundle", func(*oci.Artifact) {}, nil},
		{"index rewritten", func(a *oci.Artifact) { a.Index = append([]byte(nil), `{"annotations":{},"manifests":[]}`...) }, []string{"F-104-06"}},
		{"bundle.json changed", func(a *oci.Artifact) { a.ConfigBlob = append([]byte(" "), bundle...) }, []string{"F-104-06"}},
		{"layer not imported", func(a *oci.Artifact) { a.Blobs["sha256:l1"].Present = false }, []string{"F-104-01"}},
		{"image manifest not imported", func(a *oci.Artifact) { a.Manifests["sha256:m1"].Present = false }, []string{"F-104-01", "F-104-01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			imported := artifact()
			tc.edit(imported)
			fs := CheckImport(artifact(), imported)
			if got := rules(fs); !slices.Equal(got, tc.rules) {
				t.Fatalf("rules %v, want %v: %v", got, tc.rules, fs)
			}
		})
	}
}

func TestFromValidator(t *testing.T) {
	in := []validator.Finding{
		{File: "x.tgz!/bundle.json", Rule: "F-104-05", Severity: validator.Error, Message: "e"},
		{File: "x.tgz", Rule: "F-104-05", Severity: validator.Warning, Message: "w"},
		{File: "x.tgz!/artifacts/layout/index.json", Rule: "F-104-04", Severity: validator.Error, Message: "other rule"},
	}
	got := FromValidator(in, "F-104-05")
	if len(got) != 2 || got[0].Severity != oci.Error || got[1].Severity != oci.Warning || got[0].Object != "bundle.json" {
		t.Fatalf("FromValidator = %v", got)
	}
	if len(FromValidator(in)) != 3 {
		t.Error("no rule filter keeps every finding")
	}
	if len(FromValidator(nil, "F-104-05")) != 0 {
		t.Error("findings from nothing")
	}
}
