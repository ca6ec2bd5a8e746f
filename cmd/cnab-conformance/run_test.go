package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSplitGinkgoArgs(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       []string
		ours, gk string
		err      string
	}{
		{"mixed", []string{"--tool", "p.yaml", "-ginkgo.label-filter", "G-201-06", "--profile", "smoke", "-ginkgo.v"},
			"--tool p.yaml --profile smoke", "-ginkgo.label-filter G-201-06 -ginkgo.v", ""},
		{"equals form and double dash", []string{"--ginkgo.focus=promote", "-ginkgo.sem-ver-filter=1.1.0"},
			"", "--ginkgo.focus=promote -ginkgo.sem-ver-filter=1.1.0", ""},
		{"unknown Ginkgo flag", []string{"-ginkgo.nope"}, "", "", "unknown Ginkgo flag"},
		{"missing value", []string{"-ginkgo.focus"}, "", "", "needs a value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ours, gk, err := splitGinkgoArgs(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || strings.Join(ours, " ") != tc.ours || strings.Join(gk, " ") != tc.gk {
				t.Errorf("got %q / %q / %v", ours, gk, err)
			}
		})
	}
}

// Usage errors exit 2 before anything starts (the suite itself runs in the
// suites package's self-test, through this binary).
func TestRunUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no tool", nil, "--tool PROFILE is required"},
		{"unknown profile", []string{"--tool", "x.yaml", "--profile", "core"}, `unknown profile "core"`},
		{"bad privileged mode", []string{"--tool", "x.yaml", "--docker-privileged", "drop"}, "privileged mode"},
		{"missing profile file", []string{"--tool", "does-not-exist.yaml"}, "does-not-exist.yaml"},
		{"stray argument", []string{"--tool", "x.yaml", "extra"}, "unexpected arguments"},
		{"unknown Ginkgo flag", []string{"--tool", "x.yaml", "-ginkgo.nope"}, "unknown Ginkgo flag"},
		{"unknown flag", []string{"--tol", "x.yaml"}, "tol"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := runSuites(tc.args, nil, &out, &errb); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Errorf("stderr %q does not mention %q", errb.String(), tc.want)
			}
		})
	}
	var out, errb bytes.Buffer
	if code := runSuites([]string{"-h"}, nil, &out, &errb); code != 0 || !strings.Contains(errb.String(), "-ginkgo.label-filter") {
		t.Errorf("-h: exit %d, %q", code, errb.String())
	}
}
