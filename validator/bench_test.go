package validator

import (
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/internal/benchdata"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// benchCorpus is the same corpus `make bench` writes to disk.
func benchCorpus(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = benchdata.Bundle(i)
	}
	return out
}

// BenchmarkValidateCorpus validates the benchmark bundles in memory, every
// rule on, in parallel over GOMAXPROCS. files/s is reported.
func BenchmarkValidateCorpus(b *testing.B) {
	docs := benchCorpus(1000)
	v, err := New()
	if err != nil {
		b.Fatal(err)
	}
	if r := v.Validate("warm", docs[0]); len(r.Findings) > 0 {
		b.Fatalf("benchmark bundle has findings: %+v", r.Findings)
	}
	var bytes int64
	for _, d := range docs {
		bytes += int64(len(d))
	}
	b.SetBytes(bytes / int64(len(docs)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			v.Validate("bench.json", docs[i%len(docs)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkDecode measures the decoder alone.
func BenchmarkDecode(b *testing.B) {
	docs := benchCorpus(100)
	b.SetBytes(int64(len(docs[0])))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		jsontree.Decode(docs[i%len(docs)], jsontree.Limits{})
	}
}
