package reports

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

func checkByName(t *testing.T, r Results, prefix string) Check {
	t.Helper()
	for _, c := range r.Checks {
		if strings.HasPrefix(c.Name, prefix) {
			return c
		}
	}
	t.Fatalf("no check named %q in %d checks", prefix, len(r.Checks))
	return Check{}
}

func TestFromGinkgoMapsEveryState(t *testing.T) {
	r := syntheticResults()
	tests := []struct {
		name, profile, level string
		rules                []string
		status               Status
		reason               string // substring; "" means no reason
		failure              string // substring of the failure message; "" means none
	}{
		{"smoke hello bundle push and pull", "smoke", "MUST", []string{"G-201-01"}, StatusPass, "", ""},
		{"registry push pushes the index", "registry", "MUST", []string{"RG-01", "G-201-06"}, StatusFail, "", "written at request 2"},
		{"registry push reports the digest", "registry", "MUST", []string{"RG-06"}, StatusPass, "", ""},
		{"registry promote copies", "registry", "MUST", []string{"RG-04"}, StatusSkip, "tool does not declare copy", ""},
		{"registry push writes images by digest", "registry", "SHOULD", []string{"RG-02"}, StatusFail, "", "spec timeout"},
		{"runtime install sets CNAB_ACTION", "runtime", "MUST", []string{"R-103-04"}, StatusPass, "", ""},
		{"runtime install attaches credentials", "runtime", "MUST", []string{"R-103-10"}, StatusError, "harness failure", "executable file not found"},
		{"runtime upgrade passes CNAB_REVISION", "runtime", "MUST", []string{"R-103-07"}, StatusSkip, "earlier spec in an ordered container failed", ""},
		{"runtime invoke exports", "runtime", "MUST", []string{"R-103-15"}, StatusError, "panicked", "index out of range"},
		{"archive exports a thick bundle", "archive", "MUST", []string{"F-104-04"}, StatusDisabled, "filtered out", ""},
		{"runtime upgrade keeps CNAB_LAST_REVISION", "runtime", "MUST", []string{"R-103-08"}, StatusNotApplicable, "does not apply to spec version 1.2.0", ""},
	}
	if len(r.Checks) != len(tests) {
		t.Fatalf("got %d checks, want %d", len(r.Checks), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checkByName(t, r, tt.name)
			if c.Status != tt.status {
				t.Errorf("status %s, want %s", c.Status, tt.status)
			}
			if c.Profile != tt.profile || c.Level != tt.level || !slices.Equal(c.Rules, tt.rules) {
				t.Errorf("profile/level/rules = %s/%s/%v, want %s/%s/%v", c.Profile, c.Level, c.Rules, tt.profile, tt.level, tt.rules)
			}
			if tt.reason == "" && c.Reason != "" || !strings.Contains(c.Reason, tt.reason) {
				t.Errorf("reason %q, want it to contain %q", c.Reason, tt.reason)
			}
			switch {
			case tt.failure == "" && c.Failure != nil:
				t.Errorf("unexpected failure %+v", c.Failure)
			case tt.failure != "" && (c.Failure == nil || !strings.Contains(c.Failure.Message, tt.failure)):
				t.Errorf("failure %+v, want it to contain %q", c.Failure, tt.failure)
			}
			if strings.Contains(c.Location, fakeRoot) || !strings.HasPrefix(c.Location, "suites/specs.go:") {
				t.Errorf("location %q is not relative to the source root", c.Location)
			}
		})
	}
	if c := checkByName(t, r, "runtime invoke"); c.Failure.Node != "AfterEach" {
		t.Errorf("failure node %q, want AfterEach", c.Failure.Node)
	}
	if c := checkByName(t, r, "smoke"); c.Evidence == nil || len(c.Evidence.Commands) != 1 || len(c.Evidence.RegistryRequests) != 1 {
		t.Errorf("two evidence entries were not merged: %+v", c.Evidence)
	}
	if c := checkByName(t, r, "registry push pushes"); !strings.Contains(c.Output, "STEP: reading the recorder") {
		t.Errorf("failed check lost its output: %q", c.Output)
	}
	if c := checkByName(t, r, "registry push reports"); c.Output != "" {
		t.Errorf("passed check keeps output %q", c.Output)
	}
}

func TestVerdicts(t *testing.T) {
	r := syntheticResults()
	want := map[string]bool{"smoke": true, "registry": false, "runtime": false}
	if len(r.Verdicts) != 3 {
		t.Fatalf("verdicts for %d profiles, want 3 (the selected ones): %+v", len(r.Verdicts), r.Verdicts)
	}
	order := []string{}
	for _, v := range r.Verdicts {
		order = append(order, v.Profile)
		if v.Certified != want[v.Profile] {
			t.Errorf("%s certified = %v, want %v (reasons %v)", v.Profile, v.Certified, want[v.Profile], v.Reasons)
		}
	}
	if !slices.Equal(order, []string{"smoke", "registry", "runtime"}) {
		t.Errorf("profile order %v", order)
	}
	reg, _ := r.Verdict("registry")
	if reg.Must != 3 || reg.MustPassed != 1 {
		t.Errorf("registry MUST %d/%d, want 1/3", reg.MustPassed, reg.Must)
	}
	joined := strings.Join(reg.Reasons, "\n")
	for _, s := range []string{"1 MUST check failed", "1 MUST check skipped"} {
		if !strings.Contains(joined, s) {
			t.Errorf("registry reasons %q lack %q", joined, s)
		}
	}
	if strings.Contains(joined, "writes images by digest") {
		t.Errorf("a failed SHOULD check blocks certification: %q", joined)
	}
	if r.Certified() {
		t.Error("run with failures reads as certified")
	}
	if r.Totals.Total != 11 || r.Totals.Pass != 3 || r.Totals.Fail != 2 || r.Totals.Error != 2 || r.Totals.Skip != 2 || r.Totals.Disabled != 1 || r.Totals.NotApplicable != 1 {
		t.Errorf("totals %+v", r.Totals)
	}
	if p := passingResults(); !p.Certified() {
		t.Errorf("all-pass run not certified: %+v", p.Verdicts)
	}
}

func TestJudge(t *testing.T) {
	must := func(name string, s Status) Check {
		return Check{Name: name, Profile: "p", Level: "MUST", Status: s, Rules: []string{"RG-01"}}
	}
	tests := []struct {
		name      string
		checks    []Check
		suiteErrs []SuiteError
		certified bool
		reason    string
	}{
		{"all pass", []Check{must("a", StatusPass), must("b", StatusPass)}, nil, true, ""},
		{"skip blocks", []Check{must("a", StatusPass), must("b", StatusSkip)}, nil, false, "1 MUST check skipped: b"},
		{"disabled blocks", []Check{must("a", StatusPass), must("b", StatusDisabled)}, nil, false, "disabled: b"},
		{"not applicable does not block", []Check{must("a", StatusPass), must("b", StatusNotApplicable)}, nil, true, ""},
		{"only not applicable MUST checks", []Check{must("b", StatusNotApplicable)}, nil, false, "no MUST check of this profile applies to the spec version"},
		{"error blocks", []Check{must("a", StatusError)}, nil, false, "errored (harness): a"},
		{"fail blocks", []Check{must("a", StatusFail)}, nil, false, "1 MUST check failed: a"},
		{"no MUST checks", []Check{{Name: "s", Profile: "p", Level: "SHOULD", Status: StatusPass}}, nil, false, "no MUST check"},
		{"empty profile", nil, nil, false, "no MUST check"},
		{"SHOULD failure does not block", []Check{must("a", StatusPass), {Name: "s", Profile: "p", Level: "SHOULD", Status: StatusFail}}, nil, true, ""},
		{"MUST NOT counts", []Check{{Name: "n", Profile: "p", Level: "MUST NOT", Status: StatusFail}}, nil, false, "failed: n"},
		{"other profile ignored", []Check{must("a", StatusPass), {Name: "o", Profile: "q", Level: "MUST", Status: StatusFail}}, nil, true, ""},
		{"suite error blocks", []Check{must("a", StatusPass)}, []SuiteError{{Node: "AfterSuite", Message: "2 containers leaked\nmore"}}, false, "suite error in AfterSuite: 2 containers leaked more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Judge("p", tt.checks, tt.suiteErrs)
			if v.Certified != tt.certified {
				t.Errorf("certified = %v, want %v (%v)", v.Certified, tt.certified, v.Reasons)
			}
			if tt.reason != "" && !strings.Contains(strings.Join(v.Reasons, "\n"), tt.reason) {
				t.Errorf("reasons %q lack %q", v.Reasons, tt.reason)
			}
			if tt.certified && len(v.Reasons) > 0 {
				t.Errorf("certified with reasons %q", v.Reasons)
			}
		})
	}
}

func TestFromGinkgoSuiteSetupFailure(t *testing.T) {
	specs := syntheticSpecs()[:3]
	for i := range specs {
		specs[i].state, specs[i].msg = types.SpecStateSkipped, ""
	}
	rep := syntheticReport(specs)
	rep.SuiteConfig.LabelFilter = "registry"
	rep.SpecReports = append([]types.SpecReport{{
		LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStateFailed,
		Failure: types.Failure{Message: HarnessFailure("registry did not start: listen tcp 127.0.0.1:0: too many open files"),
			Location: types.CodeLocation{FileName: fakeRoot + "/suites/env.go", LineNumber: 99}},
	}}, rep.SpecReports...)
	r := FromGinkgo(rep, syntheticInfo())
	if len(r.SuiteErrors) != 1 || !r.SuiteErrors[0].Harness || r.SuiteErrors[0].Node != "BeforeSuite" || r.SuiteErrors[0].Location != "suites/env.go:99" {
		t.Fatalf("suite errors %+v", r.SuiteErrors)
	}
	if c := checkByName(t, r, "smoke"); c.Status != StatusDisabled {
		t.Errorf("spec outside the label filter: %s, want Disabled", c.Status)
	}
	for _, name := range []string{"registry push pushes", "registry push reports"} {
		if c := checkByName(t, r, name); c.Status != StatusError || !strings.Contains(c.Reason, "BeforeSuite") {
			t.Errorf("%s: %s %q, want Error naming the failed setup", name, c.Status, c.Reason)
		}
	}
	for _, v := range r.Verdicts {
		if v.Certified {
			t.Errorf("%s certified despite a suite error", v.Profile)
		}
	}
}

func TestFromGinkgoInterrupted(t *testing.T) {
	specs := syntheticSpecs()[1:3]
	specs[1].state, specs[1].msg = types.SpecStateSkipped, ""
	rep := syntheticReport(specs)
	rep.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	r := FromGinkgo(rep, syntheticInfo())
	if c := checkByName(t, r, "registry push reports"); c.Status != StatusError || c.Reason != "not run: Interrupted by User" {
		t.Errorf("got %s %q", c.Status, c.Reason)
	}
	if len(r.SuiteErrors) != 1 {
		t.Errorf("suite errors %+v", r.SuiteErrors)
	}
}

// In parallel runs (and from --json-report) report entries arrive as JSON.
func TestFromGinkgoAfterJSONRoundTrip(t *testing.T) {
	rep := syntheticReport(syntheticSpecs())
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back types.Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	want := FromGinkgo(rep, syntheticInfo())
	got := FromGinkgo(back, syntheticInfo())
	got.Host, want.Host = HostInfo{}, HostInfo{}
	// Ginkgo's JSON keeps times to the nanosecond and locations; compare the checks' evidence.
	for i := range want.Checks {
		if !reflect.DeepEqual(want.Checks[i].Evidence, got.Checks[i].Evidence) {
			t.Errorf("%s: evidence differs after JSON:\nwant %+v\ngot  %+v", want.Checks[i].Name, want.Checks[i].Evidence, got.Checks[i].Evidence)
		}
		if want.Checks[i].Status != got.Checks[i].Status {
			t.Errorf("%s: status %s after JSON, want %s", want.Checks[i].Name, got.Checks[i].Status, want.Checks[i].Status)
		}
	}
}

func TestResultsAreRedacted(t *testing.T) {
	data, err := Marshal(syntheticResults())
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, secret := range []string{"hunter2-registry", "s3cr3t-value", "opaque-cred-value"} {
		if strings.Contains(s, secret) {
			t.Errorf("results.json leaks %q", secret)
		}
	}
	if !strings.Contains(s, `CNAB_ACTION=install`) || !strings.Contains(s, Redacted) {
		t.Errorf("redaction removed too much or nothing")
	}
	if strings.Contains(s, Redacted+"]") {
		t.Errorf("a value was redacted twice: %s", s[strings.Index(s, Redacted+"]")-40:strings.Index(s, Redacted+"]")+12])
	}
	if strings.Contains(s, fakeRoot) {
		t.Errorf("results.json holds the machine's source path")
	}
}

func TestParseLabels(t *testing.T) {
	tests := []struct {
		labels         []string
		rules          []string
		level, profile string
	}{
		{[]string{"level:MUST", "G-201-06", "RG-01", "registry", "profile:registry"}, []string{"G-201-06", "RG-01"}, "MUST", "registry"},
		{[]string{"rule:R-103-04", "profile:runtime"}, []string{"R-103-04"}, "MUST", "runtime"},
		{[]string{"level:MUST-NOT", "not-a-rule", "smoke"}, []string{}, "MUST NOT", "smoke"},
		// The catalogue's level wins over a stale label.
		{[]string{"level:SHOULD", "B-101-01"}, []string{"B-101-01"}, "MUST", ""},
	}
	for _, tt := range tests {
		rules, level, profile := ParseLabels(tt.labels)
		if !slices.Equal(rules, tt.rules) || level != tt.level || profile != tt.profile {
			t.Errorf("ParseLabels(%v) = %v %q %q, want %v %q %q", tt.labels, rules, level, profile, tt.rules, tt.level, tt.profile)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	cs := []Check{{Name: "a"}, {Name: "a"}, {Name: "b"}, {Name: "a"}}
	uniqueNames(cs)
	got := []string{cs[0].Name, cs[1].Name, cs[2].Name, cs[3].Name}
	if !slices.Equal(got, []string{"a", "a (#2)", "b", "a (#3)"}) {
		t.Errorf("got %v", got)
	}
}

func TestBuildSuiteInfo(t *testing.T) {
	s := BuildSuiteInfo()
	if s.Module != ModulePath || s.Version == "" || s.GinkgoVersion == "" || s.ConformanceVersion == "" {
		t.Errorf("incomplete suite info %+v", s)
	}
}

func TestFinishComputesDuration(t *testing.T) {
	r := Results{StartTime: t0, EndTime: t0.Add(3 * time.Second)}
	r.Finish()
	if r.Duration != 3*time.Second {
		t.Errorf("duration %v", r.Duration)
	}
}

func TestMarshalEmptyResultsIsValid(t *testing.T) {
	r := Results{SchemaVersion: SchemaVersion, RunID: "x", Suite: SuiteInfo{Name: "s", Module: "m", Version: "v", ConformanceVersion: "0.1"},
		Tool: ToolInfo{Name: "t"}, Registry: RegistryInfo{Kind: "k"}, Host: HostInfo{OS: "linux", Arch: "amd64"},
		StartTime: t0, EndTime: t0}
	r.Checks = []Check{{Name: "c", Status: StatusPass, Level: "MUST", Profile: "smoke"}}
	data, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateJSON(data); err != nil {
		t.Errorf("minimal results invalid: %v", err)
	}
	if r.Checks[0].Rules != nil {
		t.Error("Marshal changed the caller's checks")
	}
}
