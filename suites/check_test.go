package suites

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

func TestCheckDecorators(t *testing.T) {
	t.Run("labels", func(t *testing.T) {
		got := labelsOf(checkDecorators(ProfileRegistry, []string{"G-201-06", "RG-01"}))
		want := []string{"level:MUST", "G-201-06", "RG-01", "registry", "profile:registry"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("labels = %q, want %q", got, want)
		}
		// The reports read them back the same way.
		rules, level, profile := reports.ParseLabels(got)
		if strings.Join(rules, ",") != "G-201-06,RG-01" || level != "MUST" || profile != "registry" {
			t.Errorf("reports.ParseLabels = %v %q %q", rules, level, profile)
		}
		if RuleIDs(got)[1] != "RG-01" || ProfileOf(got) != "registry" || LevelOf(got) != catalog.Must {
			t.Error("RuleIDs/ProfileOf/LevelOf do not read the labels back")
		}
	})
	t.Run("level with a space", func(t *testing.T) {
		got := labelsOf(checkDecorators(ProfileSmoke, []string{"F-104-06"}))
		if got[0] != "level:MUST-NOT" || LevelOf(got) != catalog.MustNot {
			t.Errorf("labels = %q", got)
		}
		if _, err := types.ParseLabelFilter("level: containsAny MUST-NOT"); err != nil {
			t.Errorf("the level label cannot be filtered on: %v", err)
		}
	})
	t.Run("every label is a valid Ginkgo label", func(t *testing.T) {
		for _, r := range catalog.All() {
			for _, l := range labelsOf(checkDecorators(ProfileRuntime, []string{r.ID})) {
				if _, err := types.ValidateAndCleanupLabel(l, types.CodeLocation{}); err != nil {
					t.Errorf("rule %s: label %q: %v", r.ID, l, err)
				}
			}
		}
	})
	t.Run("sem-ver constraint from the first rule", func(t *testing.T) {
		var got []string
		for _, d := range checkDecorators(ProfileRegistry, []string{"G-201-01", "R-103-04"}) {
			if c, ok := d.(ginkgo.SemVerConstraints); ok {
				got = append(got, c...)
			}
		}
		if strings.Join(got, ";") != ">= 1.1.0" {
			t.Errorf("constraints = %q, want the first rule's (1.1+)", got)
		}
		for _, d := range checkDecorators(ProfileRuntime, []string{"R-103-04"}) {
			if _, ok := d.(ginkgo.SemVerConstraints); ok {
				t.Error("a rule of every version must not be constrained")
			}
		}
	})
	for _, tc := range []struct {
		name, profile string
		rules         []string
		want          string
	}{
		{"unknown rule", ProfileRegistry, []string{"G-201-99"}, `unknown rule ID "G-201-99"`},
		{"unknown second rule", ProfileRegistry, []string{"G-201-06", "nope"}, `unknown rule ID "nope"`},
		{"no rule", ProfileRegistry, nil, "at least one rule ID"},
		{"unknown profile", "core", []string{"G-201-06"}, `unknown profile "core"`},
	} {
		t.Run("panics on "+tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), tc.want) {
					t.Errorf("panic = %v, want it to mention %q", r, tc.want)
				}
			}()
			checkDecorators(tc.profile, tc.rules)
		})
	}
}

func labelsOf(decorators []any) []string {
	for _, d := range decorators {
		if l, ok := d.(ginkgo.Labels); ok {
			return l
		}
	}
	return nil
}

func TestSemverConstraint(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.0+", ">= 1.0.0"},
		{"1.1+", ">= 1.1.0"},
		{"1.0-1.1", ">= 1.0.0, < 1.2.0"},
		{"all", ""},
		{"claims 1.0.0+", ""},
		{"1.0+ (credentials 1.2+)", ""},
		{"<=2019-03-06", ""},
		{"1.x+", ""},
	} {
		if got := semverConstraint(tc.in); got != tc.want {
			t.Errorf("semverConstraint(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if c := semverConstraint(tc.in); c != "" {
			if _, err := types.ValidateAndCleanupSemVerConstraint(c, types.CodeLocation{}); err != nil {
				t.Errorf("%q is not a valid constraint: %v", c, err)
			}
		}
	}
}

func TestRuleFilter(t *testing.T) {
	f, err := types.ParseLabelFilter("registry && (" + RuleFilter("G-201-06", "RG-01") + ")")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		labels []string
		want   bool
	}{
		{[]string{"level:MUST", "G-201-06", "registry", "profile:registry"}, true},
		{[]string{"level:MUST", "RG-01", "registry"}, true},
		{[]string{"level:MUST", "G-201-01", "registry"}, false},
		{[]string{"level:MUST", "G-201-06", "smoke"}, false},
	} {
		if got := f(tc.labels); got != tc.want {
			t.Errorf("filter(%q) = %v, want %v", tc.labels, got, tc.want)
		}
	}
}
