package reports

import (
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// VersionConstraint turns a catalogue Versions field ("1.0+", "1.0-1.1",
// "all") into a sem-ver constraint (">= 1.1.0"), the form the suites attach
// to a check with Ginkgo's SemVerConstraint. Forms it does not know (other
// specifications' versions, dated drafts, "all") give "": the check holds in
// every spec version.
func VersionConstraint(versions string) string {
	v := strings.TrimSpace(versions)
	if lo, ok := strings.CutSuffix(v, "+"); ok && isMajorMinor(lo) {
		return ">= " + lo + ".0"
	}
	if lo, hi, ok := strings.Cut(v, "-"); ok && isMajorMinor(lo) && isMajorMinor(hi) {
		var major, minor int
		fmt.Sscanf(hi, "%d.%d", &major, &minor)
		return fmt.Sprintf(">= %s.0, < %d.%d.0", lo, major, minor+1)
	}
	return ""
}

func isMajorMinor(s string) bool {
	var major, minor int
	n, err := fmt.Sscanf(s, "%d.%d", &major, &minor)
	return err == nil && n == 2 && fmt.Sprintf("%d.%d", major, minor) == s
}

// SpecSemVer turns a spec version as users write it ("1.0.0", "v1.1",
// "cnab-core-1.2.0") into the sem-ver the constraints are checked against,
// and "" for "main" (the newest release plus unreleased changes: every check
// applies) or anything that is not a version.
func SpecSemVer(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "cnab-core-")
	v = strings.TrimPrefix(v, "v")
	if v == "" || v == "main" {
		return ""
	}
	if strings.Count(v, ".") == 1 {
		v += ".0"
	}
	if _, err := types.ParseSemVerFilter(v); err != nil || strings.Contains(v, "=") || strings.Contains(v, ",") {
		return ""
	}
	return v
}

// appliesTo reports whether every sem-ver constraint holds for the spec
// version (a SpecSemVer form); known is false when the version or a
// constraint cannot be judged, and then the check counts as applicable.
func appliesTo(constraints []string, version string) (applies, known bool) {
	if version == "" || len(constraints) == 0 {
		return true, version != ""
	}
	filter, err := types.ParseSemVerFilter(version)
	if err != nil {
		return true, false
	}
	return filter("", constraints), true
}

// CatalogueApplies reports whether a check of the given rules applies to a
// spec version according to the catalogue: the Versions of its first rule,
// the one its sem-ver constraint comes from. Unknown rules and versions
// apply.
func CatalogueApplies(rules []string, specVersion string) bool {
	if len(rules) == 0 {
		return true
	}
	r, ok := catalog.Lookup(rules[0])
	if !ok {
		return true
	}
	c := VersionConstraint(r.Versions)
	if c == "" {
		return true
	}
	applies, _ := appliesTo([]string{c}, SpecSemVer(specVersion))
	return applies
}

// notApplicableReason says why a check does not apply.
func notApplicableReason(version string, constraints []string) string {
	return fmt.Sprintf("does not apply to spec version %s (the check holds for %s)", version, strings.Join(constraints, "; "))
}
