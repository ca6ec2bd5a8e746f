package jsontree

import (
	"encoding/json"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/internal/benchdata"
)

func BenchmarkDecodeBundle(b *testing.B) {
	doc := benchdata.Bundle(1)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		Decode(doc, Limits{})
	}
}

// BenchmarkStdlibDecodeBundle is the yardstick: encoding/json into any.
func BenchmarkStdlibDecodeBundle(b *testing.B) {
	doc := benchdata.Bundle(1)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		_ = json.Unmarshal(doc, &v)
	}
}
