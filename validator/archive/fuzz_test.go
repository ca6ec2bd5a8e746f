package archive

import (
	"archive/tar"
	"bytes"
	"testing"
)

// FuzzCheck feeds arbitrary bytes (plain and gzip tars among them) to the
// archive reader with small limits: it must never panic nor fail as a
// reader, only report findings.
func FuzzCheck(f *testing.F) {
	f.Add(makeTar(f, true, tarEntry{name: "bundle.json", body: `{"invocationImages":[{"image":"a","contentDigest":"sha256:00"}]}`},
		tarEntry{name: "artifacts/layout/oci-layout", body: `{"imageLayoutVersion":"1.0.0"}`},
		tarEntry{name: "artifacts/layout/index.json", body: `{"manifests":[{"digest":"sha256:00","size":1}]}`}))
	f.Add(makeTar(f, false, tarEntry{name: "l", typ: tar.TypeSymlink, linkname: "../x"}))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0})
	lim := Limits{MaxEntries: 64, MaxEntrySize: 1 << 20, MaxTotalSize: 4 << 20, RatioGrace: 1 << 16, MaxJSONSize: 1 << 16, MaxJSONBudget: 1 << 18}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := Check(bytes.NewReader(data), "f.tgz", Config{Limits: lim}); err != nil {
			t.Fatalf("Check returned an error: %v", err)
		}
	})
}
