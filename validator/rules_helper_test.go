package validator

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// runRules runs every registered document rule for kind on doc, the way the
// pipeline does after decoding, and returns "RULE pointer" lines, sorted. It
// fails the test when a rule reports an ID other than its own.
func runRules(t testing.TB, kind Kind, spec Spec, doc string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("test document does not decode: %v", err)
	}
	var got []string
	for _, r := range docRules {
		if !slices.Contains(r.Kinds, kind) {
			continue
		}
		c := &docContext{Spec: spec, Kind: kind, Root: root, Options: &Options{}}
		c.report = func(pointer, rule, message, hint string) {
			if rule != r.ID {
				t.Errorf("rule %s reported under ID %s", r.ID, rule)
			}
			if message == "" || hint == "" {
				t.Errorf("rule %s: finding at %q without message or hint", rule, pointer)
			}
			got = append(got, rule+" "+pointer)
		}
		r.Check(c)
	}
	sort.Strings(got)
	return got
}

// TestRuleIDsAreCatalogued: every registered rule names a catalogue entry
// with a document target, and no ID is registered twice.
func TestRuleIDsAreCatalogued(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range docRules {
		if seen[r.ID] {
			t.Errorf("rule %s registered twice", r.ID)
		}
		seen[r.ID] = true
		cr, ok := catalog.Lookup(r.ID)
		if !ok {
			t.Errorf("rule %s is not in the catalogue", r.ID)
			continue
		}
		if !slices.Contains(cr.Targets, "D") && !slices.Contains(cr.Targets, "C") {
			t.Errorf("rule %s is registered as a document rule but its catalogue targets are %v", r.ID, cr.Targets)
		}
		if len(r.Kinds) == 0 || r.Check == nil {
			t.Errorf("rule %s has no kinds or no check", r.ID)
		}
	}
}
