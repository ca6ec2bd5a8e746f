package validator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// TestRulesSurviveWrongTypes replaces every value of the valid and legacy
// corpus documents, one at a time, with a value of every other JSON type and
// runs every rule of every kind on the result. Rules read untrusted trees,
// so none may panic whatever shape they meet.
func TestRulesSurviveWrongTypes(t *testing.T) {
	root := corpusDir(t)
	var files []string
	// The oldest and newest valid documents (every kind) and the legacy
	// shapes; the other versions' documents repeat their shapes.
	for _, dir := range []string{"valid/cnab-core-1.0", "valid/main", "legacy"} {
		_ = filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".json") {
				files = append(files, p)
			}
			return err
		})
	}
	if len(files) == 0 {
		t.Fatal("no corpus documents found")
	}
	replacements := []any{nil, json.Number("-1.5e3"), "", []any{}, map[string]any{}, []any{json.Number("1"), nil}}
	// One spec on each side of every version switch the rules make.
	specs := []Spec{SpecCore10, SpecCore11, SpecMain}
	if testing.Short() {
		specs = specs[2:]
	}
	runs := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		// Each mutation edits the tree in place and restores it afterwards.
		var walk func(v any, path string)
		try := func(path string) {
			for _, kind := range Kinds {
				for _, spec := range specs {
					runs++
					runAllRules(t, kind, spec, doc, path)
				}
			}
		}
		walk = func(v any, path string) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					for _, r := range replacements {
						v[k] = r
						try(path + "/" + k)
					}
					v[k] = x
					walk(x, path+"/"+k)
				}
			case []any:
				for i, x := range v {
					for _, r := range replacements {
						v[i] = r
						try(fmt.Sprintf("%s/%d", path, i))
					}
					v[i] = x
					walk(x, fmt.Sprintf("%s/%d", path, i))
				}
			}
		}
		for _, r := range replacements {
			for _, kind := range Kinds {
				runAllRules(t, kind, SpecMain, r, "(root)")
			}
		}
		walk(doc, filepath.Base(f))
	}
	t.Logf("%d mutated documents checked with every kind and spec", runs)
}

// runAllRules runs every rule as if doc were of the given kind, turning a
// panic into a test failure that names the mutation.
func runAllRules(t *testing.T, kind Kind, spec Spec, doc any, what string) {
	t.Helper()
	c := &docContext{Spec: spec, Kind: kind, Root: doc, Options: &Options{}}
	c.report = func(pointer, rule, message, hint string) {}
	for _, r := range docRules {
		if !slices.Contains(r.Kinds, kind) {
			continue
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("rule %s panicked on %s (kind %s, spec %s): %v\n%s", r.ID, what, kind, spec, p, debug.Stack())
				}
			}()
			r.Check(c)
		}()
	}
}
