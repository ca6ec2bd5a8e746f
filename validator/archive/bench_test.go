package archive

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

// BenchmarkCheck measures reading and verifying a thick bundle of about
// 8 MB (random, incompressible layers): throughput in MB/s of archive.
func BenchmarkCheck(b *testing.B) {
	dir := b.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		b.Fatal(err)
	}
	img, err := random.Image(2<<20, 4)
	if err != nil {
		b.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		b.Fatal(err)
	}
	d, _ := img.Digest()
	th := &thick{files: map[string]string{}}
	if err := readLayout(dir, th.files); err != nil {
		b.Fatal(err)
	}
	th.files["bundle.json"] = `{"schemaVersion":"v1.2.0","name":"b","version":"1.0.0","invocationImages":[{"image":"example.com/b:1.0.0","contentDigest":"` + d.String() + `"}]}`
	data := th.archive(b, nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		fs, err := Check(bytes.NewReader(data), "b.tgz", Config{})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range fs {
			if !strings.HasPrefix(f.Rule, "F-104-05") || f.Severity > 1 {
				b.Fatalf("unexpected finding %+v", f)
			}
		}
	}
}
