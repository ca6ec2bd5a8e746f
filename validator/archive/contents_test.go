package archive

import (
	"bytes"
	"strings"
	"testing"
)

func TestReadContents(t *testing.T) {
	th := newThick(t)
	cont, err := Read(bytes.NewReader(th.archive(t, nil)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !cont.Gzipped {
		t.Error("gzip not detected")
	}
	b, ok := cont.Members["bundle.json"]
	if !ok || !b.Regular || string(b.Content) != th.files["bundle.json"] {
		t.Errorf("bundle.json not kept: %+v", b)
	}
	blob := cont.Members[LayoutBlob(th.invocation.String())]
	if blob.Digest != th.invocation.String() || blob.Size != int64(len(th.files[LayoutBlob(th.invocation.String())])) {
		t.Errorf("blob %s: digest %s size %d", th.invocation, blob.Digest, blob.Size)
	}
	if d := cont.Members["artifacts"]; d.Regular {
		t.Error("a folder reads as a regular file")
	}
	if len(cont.Names) != len(cont.Members) {
		t.Errorf("%d names for %d members", len(cont.Names), len(cont.Members))
	}
}

func TestReadRejectsUnsafe(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		rule string
	}{
		{"absolute name", makeTar(t, true, tarEntry{name: "/etc/passwd", body: "x"}), "V-ARCHIVE-02"},
		{"not an archive", []byte("hello"), "V-ARCHIVE-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.data), Limits{})
			if err == nil || !strings.HasPrefix(err.Error(), tc.rule) {
				t.Fatalf("err = %v, want %s", err, tc.rule)
			}
		})
	}
}
