package suites

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// Label conventions. A check carries:
//   - each of its rule IDs as a plain label ("G-201-06"), so
//     --label-filter=G-201-06 selects every check of a rule;
//   - its profile as a plain label ("registry") and as "profile:registry";
//   - the level of its first rule as "level:MUST" (spaces become dashes:
//     "level:MUST-NOT"), so --label-filter='level: containsAny MUST, MUST-NOT, REQUIRED'
//     selects the certification requirements.
//
// The reports read them back with RuleIDs, ProfileOf and LevelOf.
const (
	LabelProfilePrefix = "profile:"
	LabelLevelPrefix   = "level:"
)

// knownProfiles is what Check accepts; a typo is a tree-construction panic.
var knownProfiles = AllProfiles

// Check declares one conformance check: an It labelled with its rule IDs,
// the RFC 2119 level of its first rule and its profile. An unknown rule ID or
// profile panics while the spec tree is built, so a typo fails the first run
// (and the self-test) instead of producing a check that reports against
// nothing. decorators are passed to It (Ordered containers, SpecTimeout,
// SemVerConstraint, more Labels...).
func Check(profile string, ruleIDs []string, text string, body func(), decorators ...any) bool {
	// Offset(1): the spec's location is the Check call, not this line.
	args := append(checkDecorators(profile, ruleIDs), Offset(1))
	return It(text, append(args, append(decorators, body)...)...)
}

// checkDecorators validates the rule IDs and builds the labels of a check.
func checkDecorators(profile string, ruleIDs []string) []any {
	if !slices.Contains(knownProfiles, profile) {
		panic(fmt.Sprintf("suites.Check: unknown profile %q (known: %s)", profile, strings.Join(knownProfiles, ", ")))
	}
	if len(ruleIDs) == 0 {
		panic("suites.Check: a check names at least one rule ID")
	}
	labels := make([]string, 0, len(ruleIDs)+3)
	for i, id := range ruleIDs {
		r, ok := catalog.Lookup(id)
		if !ok {
			panic(fmt.Sprintf("suites.Check: unknown rule ID %q (not in validator/catalog)", id))
		}
		if i == 0 {
			labels = append(labels, LevelLabel(r.Level))
		}
		labels = append(labels, id)
	}
	labels = append(labels, profile, LabelProfilePrefix+profile)
	out := []any{Label(labels...)}
	// The first rule's spec versions become a sem-ver constraint, so a run
	// for an older spec version filters out checks of newer rules.
	if c := semverConstraint(catalog.MustLookup(ruleIDs[0]).Versions); c != "" {
		out = append(out, SemVerConstraint(c))
	}
	return out
}

// semverConstraint turns a catalogue Versions field ("1.0+", "1.0-1.1",
// "all") into a Ginkgo sem-ver constraint; forms it does not know (other
// specifications' versions, dated drafts) give none, so the check always runs.
// The reports use the same conversion to tell a check that does not apply to
// the spec version (NotApplicable) from one the user filtered out.
func semverConstraint(versions string) string { return reports.VersionConstraint(versions) }

// LevelLabel is the label of a rule level ("level:MUST-NOT").
func LevelLabel(l catalog.Level) string {
	return LabelLevelPrefix + strings.ReplaceAll(string(l), " ", "-")
}

// RuleIDs returns the labels of a spec that are rule IDs of the catalogue,
// in order.
func RuleIDs(labels []string) []string {
	var out []string
	for _, l := range labels {
		if _, ok := catalog.Lookup(l); ok {
			out = append(out, l)
		}
	}
	return out
}

// ProfileOf returns the profile label of a spec ("" when it has none).
func ProfileOf(labels []string) string {
	for _, l := range labels {
		if p, ok := strings.CutPrefix(l, LabelProfilePrefix); ok {
			return p
		}
	}
	return ""
}

// LevelOf returns the level label of a spec ("" when it has none).
func LevelOf(labels []string) catalog.Level {
	for _, l := range labels {
		if p, ok := strings.CutPrefix(l, LabelLevelPrefix); ok {
			return catalog.Level(strings.ReplaceAll(p, "-", " "))
		}
	}
	return ""
}

// RuleFilter is a Ginkgo label filter selecting the checks of the given rule
// IDs (used by the self-test to run only a defect's checks).
func RuleFilter(ruleIDs ...string) string {
	return strings.Join(ruleIDs, " || ")
}
