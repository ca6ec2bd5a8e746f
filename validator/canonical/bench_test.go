package canonical

import (
	"fmt"
	"strings"
	"testing"
)

// benchBundle is a pretty-printed bundle of about 2 KB, the size the
// validator's benchmark corpus uses.
func benchBundle() []byte {
	var b strings.Builder
	b.WriteString("{\n  \"schemaVersion\": \"v1.2.0\",\n  \"name\": \"bench\",\n  \"version\": \"1.0.0\",\n")
	b.WriteString("  \"invocationImages\": [{\"imageType\": \"oci\", \"image\": \"example.com/bench:1.0.0\", \"contentDigest\": \"sha256:" + strings.Repeat("ab", 32) + "\"}],\n")
	b.WriteString("  \"definitions\": {\n")
	for i := range 12 {
		fmt.Fprintf(&b, "    \"def%02d\": {\"type\": \"integer\", \"minimum\": %d, \"maximum\": %d, \"default\": %d, \"description\": \"setting number %d\"},\n", i, i, 1000+i, 10+i, i)
	}
	b.WriteString("    \"last\": {\"type\": \"string\"}\n  },\n  \"parameters\": {\n")
	for i := range 12 {
		fmt.Fprintf(&b, "    \"p%02d\": {\"definition\": \"def%02d\", \"destination\": {\"env\": \"P%02d\"}},\n", i, i, i)
	}
	b.WriteString("    \"plast\": {\"definition\": \"last\", \"destination\": {\"path\": \"/cnab/app/last\"}}\n  }\n}\n")
	return []byte(b.String())
}

func BenchmarkCanonicalize(b *testing.B) {
	data := benchBundle()
	for _, mode := range []Mode{OLPC, JCS} {
		b.Run(mode.String(), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Canonicalize(data, mode); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIsCanonical(b *testing.B) {
	data, err := Canonicalize(benchBundle(), JCS)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := IsCanonical(data, JCS); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
