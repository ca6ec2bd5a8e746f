package suites

import (
	"slices"
	"sort"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/suites/harness/bundles"
	"github.com/cnab-conformance/cnab-conformance/validator"
)

// TestRuntimeTemplates renders every runtime fixture and lints it: each is
// a schema-valid bundle, and the only findings are the ones the fixture is
// built to provoke (a parameter aimed at CNAB_ACTION, a parameter sharing a
// credential's destination, an image type no driver handles).
func TestRuntimeTemplates(t *testing.T) {
	img := func(repo string) bundles.Image {
		return bundles.Image{Ref: "127.0.0.1:5000/cnab-conformance/" + repo + ":v1",
			Digest: "sha256:" + repeat("ab", 32), Size: 528, MediaType: "application/vnd.oci.image.manifest.v1+json"}
	}
	allowed := map[string][]string{
		"runtime/edge":   {"B-101-35", "B-101-37"},
		"runtime/images": {"B-101-10"},
	}
	names, err := bundles.Templates("runtime")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"runtime/edge", "runtime/extension", "runtime/images", "runtime/probe"} {
		if !slices.Contains(names, want) {
			t.Errorf("template %s is missing (have %v)", want, names)
		}
	}
	for _, name := range names {
		for _, sv := range []string{"1.0.0", "1.1.0", "1.2.0"} {
			data, err := bundles.Render(name, bundles.Data{SchemaVersion: bundles.SchemaVersionFor(sv), Name: "cnabconf-fixture",
				Invocation: img("probe"), Images: map[string]bundles.Image{"unknown": img("probe"), "pinned": img("pinned"), "second": img("second")}})
			if err != nil {
				t.Fatalf("%s (%s): %v", name, sv, err)
			}
			res, err := validator.Validate(name+".json", data, validator.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var unexpected []string
			for _, f := range res.Findings {
				if f.Severity >= validator.Warning && !slices.Contains(allowed[name], f.Rule) {
					unexpected = append(unexpected, f.Rule+": "+f.Message)
				}
			}
			sort.Strings(unexpected)
			if len(unexpected) > 0 {
				t.Errorf("%s (spec %s) has findings the fixture does not mean to provoke:\n  %v", name, sv, unexpected)
			}
		}
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}
