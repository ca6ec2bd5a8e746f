package reports

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

func TestVersionConstraint(t *testing.T) {
	for in, want := range map[string]string{
		"1.1+":                    ">= 1.1.0",
		"1.0-1.1":                 ">= 1.0.0, < 1.2.0",
		"all":                     "",
		"<=2019-03-06":            "",
		"1.0+ (credentials 1.2+)": "",
		"":                        "",
	} {
		if got := VersionConstraint(in); got != want {
			t.Errorf("VersionConstraint(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpecSemVer(t *testing.T) {
	for in, want := range map[string]string{
		"1.0.0": "1.0.0", "v1.1": "1.1.0", "cnab-core-1.2.0": "1.2.0", "main": "", "": "", "draft": "", "core=1.0.0": "",
	} {
		if got := SpecSemVer(in); got != want {
			t.Errorf("SpecSemVer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCatalogueApplies(t *testing.T) {
	for _, tc := range []struct {
		rules   []string
		version string
		want    bool
	}{
		{[]string{"G-201-06"}, "1.0.0", false}, // 1.1+
		{[]string{"G-201-06"}, "1.1.0", true},
		{[]string{"G-201-06"}, "main", true},
		{[]string{"R-103-08"}, "1.2.0", false}, // 1.0-1.1
		{[]string{"R-103-08"}, "cnab-core-1.1.0", true},
		{[]string{"R-103-04", "G-201-06"}, "1.0.0", true}, // the first rule decides
		{[]string{"NOT-A-RULE"}, "1.0.0", true},
		{nil, "1.0.0", true},
	} {
		if got := CatalogueApplies(tc.rules, tc.version); got != tc.want {
			t.Errorf("CatalogueApplies(%v, %q) = %v, want %v", tc.rules, tc.version, got, tc.want)
		}
	}
}

// The spec-version filter and the user's filters give different outcomes:
// only a check whose rule does not hold in the claimed version is
// NotApplicable; everything else filtered out is Disabled and blocks.
func TestFromGinkgoSpecVersionFilter(t *testing.T) {
	newer := spec{containers: []string{"registry", "push"}, text: "index order", labels: labels("registry", "G-201-06"),
		state: types.SpecStateSkipped, line: 10, semver: []string{">= 1.1.0"}}
	plain := spec{containers: []string{"registry", "push"}, text: "digest", labels: labels("registry", "RG-06"),
		state: types.SpecStatePassed, line: 20}
	userFiltered := spec{containers: []string{"registry", "push"}, text: "annotations", labels: labels("registry", "RG-01"),
		state: types.SpecStateSkipped, line: 30}
	setupFailed := types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStateFailed,
		Failure: types.Failure{Message: HarnessFailure("registry did not start")}}

	for _, tc := range []struct {
		name        string
		specVersion string // RunInfo.SpecVersion
		semver      string // the sem-ver filter Ginkgo applied
		specs       []spec
		setupFails  bool
		want        map[string]Status // check text -> status
		certified   bool
	}{
		{"1.0.0 run: a 1.1+ check does not apply", "1.0.0", "1.0.0", []spec{newer, plain}, false,
			map[string]Status{"index order": StatusNotApplicable, "digest": StatusPass}, true},
		{"user filter still blocks", "1.0.0", "1.0.0", []spec{newer, plain, userFiltered}, false,
			map[string]Status{"index order": StatusNotApplicable, "annotations": StatusDisabled}, false},
		{"1.1.0 run: the user's own sem-ver filter removed an applicable check", "1.1.0", "1.0.0", []spec{newer, plain}, false,
			map[string]Status{"index order": StatusDisabled}, false},
		{"main: every check applies", "main", "", []spec{newer, plain}, false,
			map[string]Status{"index order": StatusDisabled}, false},
		{"no spec version recorded: the sem-ver filter decides", "", "1.0.0", []spec{newer, plain}, false,
			map[string]Status{"index order": StatusNotApplicable}, true},
		{"setup failed: not applicable stays so, selected checks error", "1.0.0", "1.0.0",
			[]spec{newer, {containers: plain.containers, text: plain.text, labels: plain.labels, state: types.SpecStateSkipped, line: 20}}, true,
			map[string]Status{"index order": StatusNotApplicable, "digest": StatusError}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := syntheticReport(tc.specs)
			rep.SuiteConfig = types.SuiteConfig{SemVerFilter: tc.semver}
			if tc.setupFails {
				rep.SpecReports = append([]types.SpecReport{setupFailed}, rep.SpecReports...)
			}
			info := syntheticInfo()
			info.SpecVersion, info.Profiles = tc.specVersion, []string{"registry"}
			r := FromGinkgo(rep, info)
			for text, want := range tc.want {
				c := checkByName(t, r, "registry push "+text)
				if c.Status != want {
					t.Errorf("%s: %s (%s), want %s", text, c.Status, c.Reason, want)
				}
				if want == StatusNotApplicable && !strings.Contains(c.Reason, ">= 1.1.0") {
					t.Errorf("%s: reason %q does not say which versions the check holds for", text, c.Reason)
				}
			}
			if r.Certified() != tc.certified {
				t.Errorf("certified = %v, want %v: %+v", r.Certified(), tc.certified, r.Verdicts)
			}
		})
	}
}
