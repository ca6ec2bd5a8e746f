package suites

import (
	"strings"
	"testing"
	"time"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

func TestConfigDefaultsAndValidate(t *testing.T) {
	c := NewConfig()
	if c.ToolProfile == "" || strings.Join(c.Profiles, ",") != strings.Join(DefaultProfiles(), ",") || !c.Selected(ProfileSmoke) || c.SpecVersion != DefaultSpecVersion ||
		c.Registry != RegistryEmbedded || c.ReportDir == "" || c.Timeout != DefaultTimeout || c.DockerPrivileged != PrivilegedRecord {
		t.Errorf("defaults not filled: %+v", c)
	}
	if !c.Embedded() || !c.Selected(ProfileRuntime) {
		t.Error("Embedded/Selected disagree with the defaults")
	}
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"unknown profile", func(c *Config) { c.Profiles = []string{"registry", "core"} }, `unknown profile "core"`},
		{"profile twice", func(c *Config) { c.Profiles = []string{"registry", "registry"} }, "selected twice"},
		{"privileged mode", func(c *Config) { c.DockerPrivileged = "drop" }, `privileged mode "drop"`},
		{"registry", func(c *Config) { c.Registry = "http://x/y" }, "HOST[:PORT]"},
		{"ok external", func(c *Config) { c.Registry = "localhost:5000"; c.Timeout = time.Second }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewConfig()
			tc.mod(&c)
			err := c.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSemverFilterFor(t *testing.T) {
	for in, want := range map[string]string{"1.2.0": "1.2.0", "v1.1": "1.1.0", "main": "", "": ""} {
		if got := semverFilterFor(in); got != want {
			t.Errorf("semverFilterFor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJudge(t *testing.T) {
	must := func(status reports.Status) reports.Check {
		return reports.Check{Name: "m " + string(status), Rules: []string{"G-201-06"}, Level: "MUST", Profile: "registry", Status: status}
	}
	should := func(status reports.Status) reports.Check {
		return reports.Check{Name: "s " + string(status), Rules: []string{"G-201-02"}, Level: "SHOULD", Profile: "registry", Status: status}
	}
	for _, tc := range []struct {
		name     string
		checks   []reports.Check
		errs     []reports.SuiteError
		pass     bool
		reason   string
		profiles []string
	}{
		{"all MUST pass, a SHOULD fails", []reports.Check{must(reports.StatusPass), should(reports.StatusFail)}, nil, true, "", nil},
		{"MUST fails", []reports.Check{must(reports.StatusFail)}, nil, false, "MUST check m Fail", nil},
		{"MUST skipped", []reports.Check{must(reports.StatusPass), must(reports.StatusSkip)}, nil, false, "Skip", nil},
		{"MUST errored", []reports.Check{must(reports.StatusError)}, nil, false, "Error", nil},
		{"MUST filtered out", []reports.Check{must(reports.StatusPass), must(reports.StatusDisabled)}, nil, true, "", nil},
		{"nothing ran", []reports.Check{must(reports.StatusDisabled)}, nil, false, "no check ran", nil},
		{"suite error", []reports.Check{must(reports.StatusPass)}, []reports.SuiteError{{Node: "AfterSuite", Message: "leak"}}, false, "suite error in AfterSuite", nil},
		{"selected profile without checks", []reports.Check{must(reports.StatusPass)}, nil, false, "profile archive was selected", []string{"registry", "archive"}},
		{"selected profiles all ran", []reports.Check{must(reports.StatusPass)}, nil, true, "", []string{"registry"}},
		{"MUST not applicable to the spec version", []reports.Check{must(reports.StatusPass), must(reports.StatusNotApplicable)}, nil, true, "", []string{"registry"}},
		{"every MUST not applicable", []reports.Check{must(reports.StatusNotApplicable), should(reports.StatusPass)}, nil, false, "no MUST check that applies", []string{"registry"}},
		{"nothing applicable ran", []reports.Check{must(reports.StatusNotApplicable)}, nil, false, "no check ran", []string{"registry"}},
		{"user kept only SHOULD checks", []reports.Check{must(reports.StatusDisabled), should(reports.StatusPass)}, nil, true, "", []string{"registry"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pass, reasons := judge(reports.Results{Checks: tc.checks, SuiteErrors: tc.errs, Profiles: tc.profiles})
			if pass != tc.pass {
				t.Errorf("pass = %v (%q)", pass, reasons)
			}
			if tc.reason != "" && !strings.Contains(strings.Join(reasons, "\n"), tc.reason) {
				t.Errorf("reasons %q do not mention %q", reasons, tc.reason)
			}
		})
	}
}

// Without user filters, the runner's exit status is the reports' verdict:
// the bug this guards against is a --spec 1.0.0 run that exited 0 while its
// report said "not certified".
func TestJudgeAgreesWithVerdict(t *testing.T) {
	mk := func(rule, level string, status reports.Status) reports.Check {
		return reports.Check{Name: rule + " " + level + " " + string(status), Rules: []string{rule}, Level: level, Profile: "registry", Status: status,
			Reason: "why"}
	}
	statuses := []reports.Status{reports.StatusPass, reports.StatusFail, reports.StatusSkip, reports.StatusError, reports.StatusNotApplicable}
	n := 0
	// Every combination of one MUST and one SHOULD check's status, with and
	// without a suite error.
	for _, a := range statuses {
		for _, b := range statuses {
			for _, suiteErr := range []bool{false, true} {
				res := reports.Results{Profiles: []string{"registry"}, SpecVersion: "1.0.0",
					Checks: []reports.Check{mk("G-201-06", "MUST", a), mk("G-201-02", "SHOULD", b)}}
				if suiteErr {
					res.SuiteErrors = []reports.SuiteError{{Node: "AfterSuite", Message: "leak"}}
				}
				res.Finish()
				pass, reasons := judge(res)
				if pass != res.Certified() {
					t.Errorf("MUST %s, SHOULD %s, suite error %v: exit passes=%v (%q) but certified=%v (%+v)",
						a, b, suiteErr, pass, reasons, res.Certified(), res.Verdicts)
				}
				n++
			}
		}
	}
	if n != 50 {
		t.Fatalf("%d combinations", n)
	}
}
