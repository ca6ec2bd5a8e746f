package validator

import (
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// TestBreakingChangeCatalogue: every BC entry says what changed, links the
// spec pull request, dates it, and gives the migration and an example; and
// every registered BC rule has an entry.
func TestBreakingChangeCatalogue(t *testing.T) {
	n := 0
	for _, r := range catalog.All() {
		if catalog.Prefix(r.ID) != "BC" {
			continue
		}
		n++
		switch {
		case r.Section != "history":
			t.Errorf("%s: section %q, want history", r.ID, r.Section)
		case !strings.HasPrefix(r.Link, "https://github.com/cnabio/cnab-spec/pull/"):
			t.Errorf("%s: link %q is not a spec pull request", r.ID, r.Link)
		case !strings.Contains(r.Text, "#") || !strings.Contains(r.Text, "(20"):
			t.Errorf("%s: text does not name the pull request and its date: %q", r.ID, r.Text)
		case r.Fix == "" || r.Example == "" || r.Title == "" || len(r.Targets) == 0:
			t.Errorf("%s: missing title, targets, example or fix", r.ID)
		}
	}
	if n < 25 {
		t.Errorf("only %d breaking-change entries", n)
	}
	for _, r := range docRules {
		if catalog.Prefix(r.ID) == "BC" {
			if _, ok := catalog.Lookup(r.ID); !ok {
				t.Errorf("rule %s has no catalogue entry", r.ID)
			}
		}
	}
}
