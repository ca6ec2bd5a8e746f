package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator"
)

func TestValidThickBundle(t *testing.T) {
	th := newThick(t)
	var linted string
	cfg := Config{Lint: func(file string, data []byte) ([]validator.Finding, error) {
		linted = file
		return nil, nil
	}}
	if fs := check(t, th.archive(t, nil), cfg); len(fs) != 0 {
		t.Fatalf("want no findings, got %+v", fs)
	}
	if linted != "b.tgz!/bundle.json" {
		t.Fatalf("bundle.json linted as %q", linted)
	}
}

func TestArchiveContentFindings(t *testing.T) {
	th := newThick(t)
	blob := func(d string) string { return "artifacts/layout/blobs/" + strings.Replace(d, ":", "/", 1) }
	tests := []struct {
		name    string
		edit    func(files map[string]string)
		plain   bool
		rule    string
		message string
	}{
		{"missing bundle.json", func(f map[string]string) { delete(f, "bundle.json") }, false, "F-104-05", "missing from the archive root"},
		{"nested bundle.json", func(f map[string]string) { f["sub/bundle.json"] = f["bundle.json"]; delete(f, "bundle.json") }, false, "F-104-05", "at sub/bundle.json"},
		{"no layout", func(f map[string]string) {
			for k := range f {
				if strings.HasPrefix(k, "artifacts/") {
					delete(f, k)
				}
			}
			f["artifacts/installer.tar"] = "x"
		}, false, "F-104-05", "one-tar-per-image"},
		{"no oci-layout", func(f map[string]string) { delete(f, "artifacts/layout/oci-layout") }, false, "F-104-05", "oci-layout is missing"},
		{"bad oci-layout", func(f map[string]string) { f["artifacts/layout/oci-layout"] = `{}` }, false, "F-104-05", "imageLayoutVersion"},
		{"no index.json", func(f map[string]string) { delete(f, "artifacts/layout/index.json") }, false, "F-104-05", "index.json is missing"},
		{"broken index.json", func(f map[string]string) { f["artifacts/layout/index.json"] = `{"manifests":` }, false, "F-104-05", "not a readable OCI image index"},
		{"invocation image missing", func(f map[string]string) { delete(f, blob(th.invocation.String())) }, false, "F-104-04", `image "example.com/app/installer:1.0"`},
		{"component image missing", func(f map[string]string) { delete(f, blob(th.component.String())) }, false, "F-104-04", "is not in artifacts/layout/blobs"},
		{"image without digest", func(f map[string]string) {
			f["bundle.json"] = th.bundle("example.com/app/installer:1.0", th.invocation.String(), "example.com/app/web:2.1", "")
		}, false, "B-101-14", "has no contentDigest"},
		{"blob corrupted", func(f map[string]string) { f[blob(th.component.String())] += " " }, false, "F-104-06", "does not match its name"},
		{"blob size differs from descriptor", func(f map[string]string) {
			f["artifacts/layout/index.json"] = sizeRe.ReplaceAllString(f["artifacts/layout/index.json"], `"size":1$1`)
		}, false, "F-104-06", "gives size"},
		{"unreferenced blob", func(f map[string]string) {
			f["artifacts/layout/blobs/sha256/"+sha256hex("stray")] = "stray"
		}, false, "F-104-05", "unreferenced content"},
		{"bad blob name", func(f map[string]string) { f["artifacts/layout/blobs/sha256/XYZ"] = "x" }, false, "F-104-05", "lowercase hex"},
		{"unknown digest algorithm", func(f map[string]string) { f["artifacts/layout/blobs/md5/abc"] = "x" }, false, "F-104-05", "cannot be verified"},
		{"image in blobs but not in index", func(f map[string]string) {
			f["artifacts/layout/index.json"] = `{"schemaVersion":2,"manifests":[]}`
		}, false, "F-104-05", "not reachable from artifacts/layout/index.json"},
		{"index name disagrees", func(f map[string]string) {
			f["artifacts/layout/index.json"] = strings.Replace(f["artifacts/layout/index.json"], `"2.1"`, `"9.9"`, 1)
		}, false, "F-104-04", `names sha256:`},
		{"index name used for another digest", func(f map[string]string) {
			f["artifacts/layout/index.json"] = strings.Replace(f["artifacts/layout/index.json"], `"2.1"`, `"example.com/app/installer:1.0"`, 1)
		}, false, "F-104-04", "but bundle.json gives"},
		{"plain tar", nil, true, "F-104-05", "plain tar"},
		{"bundle.json is a link", func(f map[string]string) {
			f["real.json"] = f["bundle.json"]
			delete(f, "bundle.json")
		}, false, "F-104-05", "missing from the archive root"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := th.archive(t, tc.edit)
			if tc.plain {
				zr, err := gzip.NewReader(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				data, _ = io.ReadAll(zr)
			}
			fs := check(t, data, Config{})
			for _, f := range fs {
				if f.Rule == tc.rule && strings.Contains(f.Message, tc.message) {
					if f.File == "" || f.URL == "" {
						t.Errorf("finding lacks file or url: %+v", f)
					}
					return
				}
			}
			t.Fatalf("want %s %q, got %+v", tc.rule, tc.message, fs)
		})
	}
}

var sizeRe = regexp.MustCompile(`"size":\s*(\d+)`)

func TestBundleJSONMustBeRegular(t *testing.T) {
	data := makeTar(t, true, tarEntry{name: "real.json", body: "{}"}, tarEntry{name: "bundle.json", typ: tar.TypeSymlink, linkname: "real.json"})
	fs := check(t, data, Config{})
	for _, f := range fs {
		if f.Rule == "F-104-05" && strings.Contains(f.Message, "must be a regular file") {
			return
		}
	}
	t.Fatalf("want F-104-05 for a linked bundle.json, got %+v", fs)
}

func TestMissingImageFindingHasLocation(t *testing.T) {
	th := newThick(t)
	data := th.archive(t, func(f map[string]string) {
		delete(f, "artifacts/layout/blobs/"+strings.Replace(th.component.String(), ":", "/", 1))
	})
	for _, f := range check(t, data, Config{}) {
		if f.Rule == "F-104-04" && f.Pointer == "/images/web/contentDigest" {
			if f.File != "b.tgz!/bundle.json" || f.Line != 1 || f.Column == 0 || f.Severity != validator.Error {
				t.Fatalf("finding = %+v", f)
			}
			return
		}
	}
	t.Fatal("no F-104-04 at /images/web/contentDigest")
}

func TestHostileArchives(t *testing.T) {
	ok := tarEntry{name: "bundle.json", body: "{}"}
	tests := []struct {
		name    string
		data    func(t *testing.T) []byte
		rule    string
		message string
	}{
		{"absolute path", func(t *testing.T) []byte { return makeTar(t, true, ok, tarEntry{name: "/etc/passwd", body: "x"}) }, "V-ARCHIVE-02", "absolute name"},
		{"windows absolute path", func(t *testing.T) []byte { return makeTar(t, true, tarEntry{name: `C:\x`, body: "x"}) }, "V-ARCHIVE-02", "absolute name"},
		{"dot-dot", func(t *testing.T) []byte {
			return makeTar(t, true, ok, tarEntry{name: "artifacts/../../evil", body: "x"})
		}, "V-ARCHIVE-03", "climbs out"},
		{"symlink absolute", func(t *testing.T) []byte {
			return makeTar(t, true, tarEntry{name: "l", typ: tar.TypeSymlink, linkname: "/etc"})
		}, "V-ARCHIVE-04", "outside the archive"},
		{"symlink climbing", func(t *testing.T) []byte {
			return makeTar(t, true, tarEntry{name: "a/l", typ: tar.TypeSymlink, linkname: "../../x"})
		}, "V-ARCHIVE-04", "outside the archive"},
		{"hard link outside", func(t *testing.T) []byte {
			return makeTar(t, true, tarEntry{name: "h", typ: tar.TypeLink, linkname: "../x"})
		}, "V-ARCHIVE-04", "outside the archive"},
		{"hard link to nothing", func(t *testing.T) []byte {
			return makeTar(t, true, tarEntry{name: "h", typ: tar.TypeLink, linkname: "later"}, tarEntry{name: "later", body: "x"})
		}, "V-ARCHIVE-04", "not an earlier regular file"},
		{"char device", func(t *testing.T) []byte { return makeTar(t, true, ok, tarEntry{name: "dev/null", typ: tar.TypeChar}) }, "V-ARCHIVE-05", "device file"},
		{"block device", func(t *testing.T) []byte { return makeTar(t, true, tarEntry{name: "sda", typ: tar.TypeBlock}) }, "V-ARCHIVE-05", "device file"},
		{"fifo", func(t *testing.T) []byte { return makeTar(t, false, tarEntry{name: "p", typ: tar.TypeFifo}) }, "V-ARCHIVE-05", "named pipe"},
		{"duplicate", func(t *testing.T) []byte { return makeTar(t, true, ok, tarEntry{name: "./bundle.json", body: "{}"}) }, "V-ARCHIVE-06", "more than once"},
		{"not an archive", func(t *testing.T) []byte { return []byte("hello, this is not a tar file at all") }, "V-ARCHIVE-01", "cannot read the archive"},
		{"empty", func(t *testing.T) []byte { return nil }, "V-ARCHIVE-01", "no entries"},
		{"truncated gzip", func(t *testing.T) []byte {
			d := makeTar(t, true, tarEntry{name: "f", body: strings.Repeat("x", 5000)})
			return d[:len(d)/2]
		}, "V-ARCHIVE-01", "cannot read"},
		{"broken gzip header", func(t *testing.T) []byte { return []byte{0x1f, 0x8b, 0, 0} }, "V-ARCHIVE-01", "gzip"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := check(t, tc.data(t), Config{})
			if len(fs) != 1 || fs[0].Rule != tc.rule || !strings.Contains(fs[0].Message, tc.message) || fs[0].Severity != validator.Error {
				t.Fatalf("want exactly one %s %q, got %+v", tc.rule, tc.message, fs)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	many := make([]tarEntry, 20)
	for i := range many {
		many[i] = tarEntry{name: strings.Repeat("d", i+1), body: "x"}
	}
	tests := []struct {
		name string
		data []byte
		lim  Limits
		rule string
		msg  string
	}{
		{"entries", makeTar(t, true, many...), Limits{MaxEntries: 10}, "V-ARCHIVE-07", "more than 10 entries"},
		{"entry size", makeTar(t, true, tarEntry{name: "big", body: strings.Repeat("x", 2000)}), Limits{MaxEntrySize: 1000}, "V-ARCHIVE-07", "above the 1000-byte limit"},
		{"total size", makeTar(t, false, many...), Limits{MaxTotalSize: 4096}, "V-ARCHIVE-07", "expands beyond 4096"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := check(t, tc.data, Config{Limits: tc.lim})
			if len(fs) != 1 || fs[0].Rule != tc.rule || !strings.Contains(fs[0].Message, tc.msg) {
				t.Fatalf("want %s %q, got %+v", tc.rule, tc.msg, fs)
			}
		})
	}
}

// gzipBomb is a gzip tar holding one entry of size zero bytes. It is a
// multi-member gzip stream (which gzip readers must accept): a member with
// the tar header, then the same compressed megabyte of zeros repeated, so
// building it costs one small compression.
func gzipBomb(t *testing.T, size int64) []byte {
	t.Helper()
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	if err := tw.WriteHeader(&tar.Header{Name: "bundle.json", Typeflag: tar.TypeReg, Size: size, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	out := gz(hdr.Bytes())
	chunk := gz(make([]byte, 1<<20))
	for range size >> 20 {
		out = append(out, chunk...)
	}
	return out
}

func TestGzipBombBoundedMemory(t *testing.T) {
	bomb := gzipBomb(t, 1<<30) // 1 GiB of zeros in about 1 MB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fs := check(t, bomb, Config{})
	runtime.ReadMemStats(&after)
	if len(fs) != 1 || fs[0].Rule != "V-ARCHIVE-08" || !strings.Contains(fs[0].Message, "decompression bomb") {
		t.Fatalf("want one V-ARCHIVE-08, got %+v", fs)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 100<<20 {
		t.Fatalf("checking the bomb allocated %d MB; the bound is 100 MB", alloc>>20)
	}
	t.Logf("%d-byte bomb (1 GiB expanded): %s; %.1f MB allocated in total", len(bomb), fs[0].Message, float64(alloc)/(1<<20))
}

func TestIsArchive(t *testing.T) {
	for name, want := range map[string]bool{"b.tgz": true, "B.TAR.GZ": true, "x.tar": true, "bundle.json": false, "x.cnab": true} {
		if IsArchive(name) != want {
			t.Errorf("IsArchive(%q) != %v", name, want)
		}
	}
}
