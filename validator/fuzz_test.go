package validator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/internal/testutil"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/fastschema"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// FuzzValidate runs the whole pipeline on arbitrary input: it must never
// panic or report an uncatalogued rule, and on every decodable document the
// fast path must agree with gojsonschema on our own schemas (the property
// that lets the fast path skip gojsonschema). Seeds: the corpus, one or more
// documents of every kind. Crashers are kept under testdata/fuzz.
func FuzzValidate(f *testing.F) {
	root := testutil.RepoRoot(f)
	paths, _ := filepath.Glob(filepath.Join(root, "fixtures", "bundles", "*", "*", "*.json"))
	more, _ := filepath.Glob(filepath.Join(root, "fixtures", "bundles", "*", "*.json"))
	for _, p := range append(paths, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, uint8(0))
		}
	}
	f.Add(minimal(f), uint8(1))
	for _, s := range []string{`{"claimId":"c","status":"cancelled"}`, `{"requires":{"a":{"bundle":"b"}}}`,
		`{"p":{"priority":["output"],"sources":{"output":{"name":"o"}}}}`, `{"a":"b"}`, `{"status":"Ready"}`,
		`{"installation":"i","bundle":{"schemaVersion":"v1.2.0"}}`} {
		f.Add([]byte(s), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, specPick uint8) {
		opts := Options{}
		if specPick%6 > 0 {
			opts.Spec = Specs[int(specPick%6)-1]
		}
		r, err := Validate("fuzz.json", data, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range r.Findings {
			if fd.Rule == "V-12" {
				t.Fatalf("a check panicked: %s", fd.Message)
			}
			if fd.Line < 0 || fd.Column < 0 {
				t.Fatalf("bad position %+v", fd)
			}
		}
		unknownRuleIDs.Range(func(k, _ any) bool {
			t.Fatalf("uncatalogued rule %v reported", k)
			return false
		})
		doc, probs := jsontree.Decode(data, jsontree.Limits{MaxDepth: MaxDepth})
		if len(probs) > 0 && probs[len(probs)-1].Fatal() || r.Kind == "" {
			return
		}
		ks := embeddedSet(schemaSpec(r.Kind, r.Spec)).kind(r.Kind)
		if ks.fast == nil || ks.err != nil {
			return
		}
		res, err := mustGS(t, ks).Validate(newTreeLoader(doc))
		if err != nil {
			t.Fatal(err)
		}
		switch ks.fast.Check(doc) {
		case fastschema.Valid:
			if !res.Valid() {
				t.Fatalf("fast path says valid, gojsonschema says %v", res.Errors())
			}
		case fastschema.Invalid:
			if res.Valid() {
				t.Fatalf("fast path says invalid, gojsonschema says valid")
			}
		}
	})
}
