package validator

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"

	"github.com/cnab-conformance/cnab-conformance/internal/testutil"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/fastschema"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// officialSpecDir is ../shared/cnab-spec next to the repository, or the test
// is skipped: the official schemas are a test oracle we do not ship.
func officialSpecDir(t testing.TB) string { return testutil.OfficialSpec(t) }

type corpusDoc struct {
	name string
	data []byte
	root any
	kind Kind
}

// agreementCorpus is every JSON document of fixtures/bundles plus the
// official examples of each version; documents that do not decode or whose
// kind cannot be told are left out (they never reach the schema layer).
func agreementCorpus(t testing.TB, official string) []corpusDoc {
	t.Helper()
	var paths []string
	root := testutil.RepoRoot(t)
	_ = filepath.WalkDir(filepath.Join(root, "fixtures", "bundles"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			paths = append(paths, p)
		}
		return nil
	})
	if official != "" {
		ex, _ := filepath.Glob(filepath.Join(official, "*", "examples", "*.json"))
		paths = append(paths, ex...)
	}
	sort.Strings(paths)
	var docs []corpusDoc
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v, probs := jsontree.Decode(b, jsontree.Limits{})
		if len(probs) > 0 && probs[len(probs)-1].Fatal() {
			continue
		}
		k, ok := DetectKind(v)
		if !ok {
			continue
		}
		rel, _ := filepath.Rel(filepath.Dir(root), p)
		docs = append(docs, corpusDoc{name: rel, data: b, root: v, kind: k})
	}
	return docs
}

// TestSchemaAgreement: for every corpus document and every spec version, our
// schema layer and the official schemas give the same verdict. The official
// schemas are loaded with the same loader (aliases preloaded, no network).
// Documented exception: CNAB Core 1.0's lookahead pattern on parameter and
// credential paths cannot be compiled by RE2, so it is removed from the
// official 1.0 schema here exactly as from ours; rule B-101-26 checks it in code.
func TestSchemaAgreement(t *testing.T) {
	official := officialSpecDir(t)
	docs := agreementCorpus(t, official)
	if len(docs) < 10 {
		t.Fatalf("corpus too small (%d documents)", len(docs))
	}
	compared, invalid := 0, 0
	for _, spec := range Specs {
		files, err := readSchemaFolder(os.DirFS(filepath.Join(official, string(spec), "schema")))
		if err != nil {
			t.Fatal(err)
		}
		offSet := newSchemaSet("official "+string(spec), files, false)
		ours := embeddedSet(spec)
		for _, d := range docs {
			off := offSet.kind(d.kind)
			if off.err != nil {
				continue // the version has no schema for this kind (claim results before 1.1)
			}
			our := ours.kind(d.kind)
			if our.err != nil {
				t.Errorf("%s: our %s schema for %s does not load: %v", spec, d.kind, d.name, our.err)
				continue
			}
			ro, err := mustGS(t, off).Validate(newTreeLoader(d.root))
			if err != nil {
				t.Fatal(err)
			}
			rm, err := mustGS(t, our).Validate(newTreeLoader(d.root))
			if err != nil {
				t.Fatal(err)
			}
			compared++
			if !ro.Valid() {
				invalid++
			}
			if ro.Valid() != rm.Valid() {
				t.Errorf("%s as %s %s: official schema valid=%v, ours valid=%v\n official: %v\n ours: %v",
					d.name, spec, d.kind, ro.Valid(), rm.Valid(), ro.Errors(), rm.Errors())
			}
			if our.fast != nil {
				fv := our.fast.Check(d.root)
				if fv == fastschema.Valid && !rm.Valid() || fv == fastschema.Invalid && rm.Valid() {
					t.Errorf("%s as %s %s: fast path says %v, gojsonschema valid=%v", d.name, spec, d.kind, fv, rm.Valid())
				}
			}
		}
		if spec == SpecCore10 && len(offSet.Dropped) == 0 {
			t.Errorf("expected the official 1.0 lookahead pattern to be dropped")
		}
	}
	t.Logf("%d documents, %d comparisons, %d with an official verdict of invalid", len(docs), compared, invalid)
	if invalid == 0 || invalid == compared {
		t.Errorf("the corpus must hold both valid and invalid documents (invalid: %d of %d)", invalid, compared)
	}
}

// mutants derives documents from doc: at every path up to depth 3, the
// member removed or replaced by a value of another type.
func mutants(doc any) []any {
	repl := []any{nil, "x", jsonNum("1.5"), jsonNum("-3"), []any{}, map[string]any{}, true}
	var out []any
	var walk func(path []any, v any, depth int)
	walk = func(path []any, v any, depth int) {
		if depth > 3 {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := append(append([]any{}, path...), k)
				out = append(out, setAt(doc, p, nil, true))
				for _, r := range repl {
					out = append(out, setAt(doc, p, r, false))
				}
				walk(p, e, depth+1)
			}
		case []any:
			for i, e := range x {
				if i > 1 {
					break
				}
				p := append(append([]any{}, path...), i)
				for _, r := range repl {
					out = append(out, setAt(doc, p, r, false))
				}
				walk(p, e, depth+1)
			}
		}
	}
	walk(nil, doc, 0)
	return out
}

// setAt returns a copy of doc with the value at path replaced or deleted.
func setAt(doc any, path []any, val any, del bool) any {
	if len(path) == 0 {
		return val
	}
	switch x := doc.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, v := range x {
			c[k] = v
		}
		k := path[0].(string)
		if len(path) == 1 {
			if del {
				delete(c, k)
			} else {
				c[k] = val
			}
		} else {
			c[k] = setAt(x[k], path[1:], val, del)
		}
		return c
	case []any:
		c := append([]any{}, x...)
		i := path[0].(int)
		c[i] = setAt(x[i], path[1:], val, del)
		if len(path) == 1 {
			c[i] = val
		}
		return c
	}
	return doc
}

// TestSchemaAgreementMutants widens the agreement test with thousands of
// documents derived from the official examples: every verdict of our schemas,
// of the fast path and of the official schemas must agree.
func TestSchemaAgreementMutants(t *testing.T) {
	official := officialSpecDir(t)
	if testing.Short() {
		t.Skip("short mode")
	}
	var docs []corpusDoc
	for _, d := range agreementCorpus(t, official) {
		if strings.Contains(d.name, "examples") {
			docs = append(docs, d)
		}
	}
	checked, disagreements := 0, 0
	for _, spec := range []Spec{SpecCore10, SpecMain} { // the two meta-schema variants
		files, err := readSchemaFolder(os.DirFS(filepath.Join(official, string(spec), "schema")))
		if err != nil {
			t.Fatal(err)
		}
		offSet := newSchemaSet("official "+string(spec), files, false)
		ours := embeddedSet(spec)
		for _, d := range docs {
			off, our := offSet.kind(d.kind), ours.kind(d.kind)
			if off.err != nil || our.err != nil {
				continue
			}
			for i, m := range mutants(d.root) {
				if i%4 != 0 {
					continue // a deterministic quarter keeps the test fast; the fuzzer goes further
				}
				ro, _ := mustGS(t, off).Validate(newTreeLoader(m))
				rm, _ := mustGS(t, our).Validate(newTreeLoader(m))
				checked++
				bad := ro.Valid() != rm.Valid()
				if our.fast != nil {
					fv := our.fast.Check(m)
					bad = bad || fv == fastschema.Valid && !rm.Valid() || fv == fastschema.Invalid && rm.Valid()
				}
				if bad {
					disagreements++
					if disagreements <= 10 {
						t.Errorf("%s as %s: mutant disagrees: official=%v ours=%v\n official: %v\n ours: %v",
							d.name, spec, ro.Valid(), rm.Valid(), ro.Errors(), rm.Errors())
					}
				}
			}
		}
	}
	t.Logf("%d mutants checked, %d disagreements", checked, disagreements)
}

// TestFastPathCompiles: the fast path covers every kind of every embedded
// version; a schema edit that loses it would silently cost performance.
func TestFastPathCompiles(t *testing.T) {
	for _, spec := range Specs {
		for k := range kindFiles {
			ks := embeddedSet(schemaSpec(k, spec)).kind(k)
			if ks.err != nil {
				if spec == SpecCore10 && (k == KindClaimResult || k == KindParameterSources) {
					continue
				}
				t.Errorf("%s %s: %v", spec, k, ks.err)
				continue
			}
			if ks.fast == nil {
				t.Errorf("%s %s: fast path did not compile", spec, k)
			}
		}
	}
}

func jsonNum(s string) any { return json.Number(s) }

// mustGS is the kind's gojsonschema schema, compiled on first use.
func mustGS(t testing.TB, ks *kindSchema) *gojsonschema.Schema {
	t.Helper()
	gs, err := ks.gs()
	if err != nil {
		t.Fatalf("gojsonschema schema: %v", err)
	}
	return gs
}
