package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const gateData = "../../internal/gate/testdata/"

func TestGateCommand(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		exit     int
		stdout   []string
		stderr   []string
		jsonPass *bool
	}{
		{
			name:   "two maintainer approvals pass",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-pass.json", "--pr", gateData + "pr.json"},
			exit:   0,
			stdout: []string{"PASS: 2 of 2", "counted:     ada-ex", "counted:     BOSAMPLE", "not counted: outsider is not a maintainer"},
		},
		{
			name:   "one approval fails",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-one.json", "--pr", gateData + "pr.json"},
			exit:   1,
			stdout: []string{"FAIL: 1 of 2"},
		},
		{
			name:   "author override removes the author's approval",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-pass.json", "--pr", gateData + "pr.json", "--author", "ada-ex"},
			exit:   1,
			stdout: []string{"FAIL: 1 of 2", "not counted: ada-ex is the pull request's author"},
		},
		{
			name:   "head override makes approvals stale",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-pass.json", "--pr", gateData + "pr.json", "--head", "bbbbbbb"},
			exit:   1,
			stdout: []string{"FAIL: 0 of 2", "--allow-stale"},
		},
		{
			name:   "allow-stale counts them again",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-pass.json", "--author", "cyfix", "--head", "bbbbbbb", "--allow-stale"},
			exit:   0,
			stdout: []string{"PASS: 2 of 2"},
		},
		{
			name:     "json output",
			args:     []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-pass.json", "--pr", gateData + "pr.json", "--format", "json"},
			exit:     0,
			jsonPass: boolPtrForGate(true),
		},
		{
			name:   "empty maintainer table cannot pass",
			args:   []string{"--maintainers", gateData + "maintainers-empty.md", "--reviews", gateData + "reviews-pass.json", "--pr", gateData + "pr.json"},
			exit:   1,
			stdout: []string{"FAIL: 0 of 2", "lists no maintainers yet"},
		},
		{
			name:   "malformed reviews name their line",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-malformed.json", "--pr", gateData + "pr.json"},
			exit:   2,
			stderr: []string{"reviews-malformed.json:4: malformed JSON"},
		},
		{
			name:   "malformed maintainer table names its line",
			args:   []string{"--maintainers", gateData + "maintainers-badrow.md", "--reviews", gateData + "reviews-pass.json", "--pr", gateData + "pr.json"},
			exit:   2,
			stderr: []string{"maintainers-badrow.md:6:"},
		},
		{
			name:   "missing file",
			args:   []string{"--maintainers", gateData + "nope.md", "--reviews", gateData + "reviews-pass.json", "--pr", gateData + "pr.json"},
			exit:   2,
			stderr: []string{"nope.md"},
		},
		{
			name:   "reviews are required",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--pr", gateData + "pr.json"},
			exit:   2,
			stderr: []string{"--reviews is required"},
		},
		{
			name:   "author and head needed without --pr",
			args:   []string{"--maintainers", gateData + "maintainers.md", "--reviews", gateData + "reviews-pass.json", "--author", "x"},
			exit:   2,
			stderr: []string{"give --pr, or both --author and --head"},
		},
		{
			name:   "bad format",
			args:   []string{"--reviews", "x", "--pr", "y", "--format", "xml"},
			exit:   2,
			stderr: []string{"--format must be text or json"},
		},
		{
			name:   "help",
			args:   []string{"-h"},
			exit:   0,
			stderr: []string{"gh api repos/OWNER/REPO/pulls/N/reviews", "Exit status: 0 pass, 1 not enough approvals"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := commands.Run(append([]string{"gate", "lgtm"}, tc.args...), nil, &out, &errb)
			if code != tc.exit {
				t.Fatalf("exit = %d, want %d\nstdout: %s\nstderr: %s", code, tc.exit, out.String(), errb.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errb.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, errb.String())
				}
			}
			if tc.jsonPass != nil {
				var got struct {
					Verdict string `json:"verdict"`
					Pass    bool   `json:"pass"`
					Counted []struct{ Login, Reason string }
				}
				if err := json.Unmarshal(out.Bytes(), &got); err != nil {
					t.Fatalf("json output: %v\n%s", err, out.String())
				}
				if got.Pass != *tc.jsonPass || len(got.Counted) != 2 || !strings.HasPrefix(got.Verdict, "PASS") {
					t.Fatalf("json = %+v", got)
				}
			}
		})
	}
}

func TestGateNeedsLgtmSubcommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := commands.Run([]string{"gate", "merge"}, nil, &out, &errb); code != 2 {
		t.Fatalf("exit = %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "the only gate is 'lgtm'") {
		t.Fatalf("stderr: %s", errb.String())
	}
}

func boolPtrForGate(v bool) *bool { return &v }
