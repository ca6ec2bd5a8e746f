package validator

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/internal/benchdata"
)

// BenchmarkDocRules measures the semantic and breaking-change rules alone,
// as the pipeline runs them (one reset context per document, every bundle rule),
// on the benchmark corpus's bundles (valid, about 2 KB: the common path, no
// finding). Compare with BenchmarkDecode for the share of the rules.
func BenchmarkDocRules(b *testing.B) {
	const n = 64
	roots := make([]any, n)
	size := 0
	for i := range roots {
		data := benchdata.Bundle(i)
		size += len(data)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&roots[i]); err != nil {
			b.Fatal(err)
		}
	}
	var rules []docRule
	for _, r := range docRules {
		if slices.Contains(r.Kinds, KindBundle) {
			rules = append(rules, r)
		}
	}
	opts := &Options{}
	findings := 0
	report := func(pointer, rule, message, hint string) { findings++ }
	b.ReportAllocs()
	b.SetBytes(int64(size / n))
	c := new(docContext) // reused with reset, as the pipeline's pooled contexts are
	for i := 0; b.Loop(); i++ {
		c.Spec, c.Kind, c.Root, c.Options, c.report = SpecCore12, KindBundle, roots[i%n], opts, report
		for j := range rules {
			rules[j].Check(c)
		}
		c.reset()
	}
	if findings != 0 {
		b.Fatalf("the benchmark bundles gave %d findings", findings)
	}
}

// TestRulesDoNotAllocateOnValidBundles: on the common path (a valid bundle,
// no finding) the rules allocate nothing, so they cost the process no GC work.
func TestRulesDoNotAllocateOnValidBundles(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	const n = 8
	roots := make([]any, n)
	for i := range roots {
		dec := json.NewDecoder(bytes.NewReader(benchdata.Bundle(i)))
		dec.UseNumber()
		if err := dec.Decode(&roots[i]); err != nil {
			t.Fatal(err)
		}
	}
	findings := 0
	c := &docContext{Spec: SpecCore12, Kind: KindBundle, Options: &Options{},
		report: func(pointer, rule, message, hint string) { findings++ }}
	// Warm the definition-verdict cache, as any earlier bundle would.
	for _, r := range roots {
		c.Root, c.memo = r, ruleMemo{}
		for _, rule := range docRules {
			if slices.Contains(rule.Kinds, KindBundle) {
				rule.Check(c)
			}
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(50, func() {
		c.Root, c.memo = roots[i%n], ruleMemo{}
		i++
		for _, rule := range docRules {
			if slices.Contains(rule.Kinds, KindBundle) {
				rule.Check(c)
			}
		}
	})
	if findings != 0 {
		t.Fatalf("the benchmark bundles gave %d findings", findings)
	}
	if allocs != 0 {
		t.Errorf("the rules allocate %.1f times per valid bundle; want 0", allocs)
	}
}
