package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The composite action at the repository root is validated here: its
// structure, that every input is declared, described and used, that scripts
// never interpolate inputs (script injection), that reports are uploaded
// even when the run fails, and that the commands and flags it calls exist.

type action struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	With             map[string]string `yaml:"with"`
}

func loadAction(t *testing.T) (action, string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a, string(raw)
}

var (
	inputRef  = regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`)
	stepRef   = regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
	outputSet = regexp.MustCompile(`echo "([a-z0-9-]+)=[^"]*" >> "\$GITHUB_OUTPUT"`)
	pinnedUse = regexp.MustCompile(`^[a-z0-9-]+/[a-z0-9-]+@v[0-9]+$`)
)

func TestActionStructure(t *testing.T) {
	a, raw := loadAction(t)
	if a.Name == "" || a.Description == "" {
		t.Error("action.yml needs a name and a description")
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using is %q, want composite", a.Runs.Using)
	}
	if len(a.Runs.Steps) == 0 {
		t.Fatal("no steps")
	}
	for _, want := range []string{"mode", "tool-profile", "profiles", "spec-version", "files", "report-dir"} {
		if _, ok := a.Inputs[want]; !ok {
			t.Errorf("input %q is missing", want)
		}
	}
	for name, in := range a.Inputs {
		if strings.TrimSpace(in.Description) == "" {
			t.Errorf("input %q has no description", name)
		}
		if !in.Required && in.Default == nil {
			t.Errorf("optional input %q has no default", name)
		}
	}

	// Every declared input is used; every used input is declared.
	used := map[string]bool{}
	for _, m := range inputRef.FindAllStringSubmatch(raw, -1) {
		used[m[1]] = true
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("inputs.%s is used but not declared", m[1])
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q is declared but never used", name)
		}
	}

	ids := map[string]actionStep{}
	for i, s := range a.Runs.Steps {
		if s.Name == "" {
			t.Errorf("step %d has no name", i+1)
		}
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("step %q: exactly one of run and uses", s.Name)
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q: composite run steps need a shell", s.Name)
		}
		// Inputs reach scripts through env only: ${{ }} in a script is
		// pasted into the shell source before it runs (script injection).
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q interpolates an expression into its script; pass it through env", s.Name)
		}
		if s.Uses != "" && !pinnedUse.MatchString(s.Uses) {
			t.Errorf("step %q uses %q: pin a major version (owner/name@vN)", s.Name, s.Uses)
		}
		if s.ID != "" {
			if _, dup := ids[s.ID]; dup {
				t.Errorf("duplicate step id %q", s.ID)
			}
			ids[s.ID] = s
		}
	}

	// Step outputs referenced anywhere are set by that step.
	for _, m := range stepRef.FindAllStringSubmatch(raw, -1) {
		s, ok := ids[m[1]]
		if !ok {
			t.Errorf("steps.%s is referenced but no step has that id", m[1])
			continue
		}
		set := false
		for _, o := range outputSet.FindAllStringSubmatch(s.Run, -1) {
			set = set || o[1] == m[2]
		}
		if !set {
			t.Errorf("steps.%s.outputs.%s is referenced but the step never writes it to $GITHUB_OUTPUT", m[1], m[2])
		}
	}
	for name, o := range a.Outputs {
		if o.Description == "" || !stepRef.MatchString(o.Value) {
			t.Errorf("output %q needs a description and a step output value", name)
		}
	}
}

func TestActionUploadsReportsEvenOnFailure(t *testing.T) {
	a, _ := loadAction(t)
	var upload, gate, runIdx, uploadIdx, gateIdx = actionStep{}, actionStep{}, -1, -1, -1
	for i, s := range a.Runs.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/upload-artifact@"):
			upload, uploadIdx = s, i
		case s.ID == "conformance":
			runIdx = i
		case strings.Contains(s.If, "steps.conformance.outputs.certified != 'true'"):
			gate, gateIdx = s, i
		}
	}
	if uploadIdx < 0 || !strings.HasPrefix(upload.If, "always()") {
		t.Fatalf("the reports must be uploaded with if: always(), got %q", upload.If)
	}
	if upload.With["path"] != "${{ inputs.report-dir }}" {
		t.Errorf("upload path %q is not the report dir", upload.With["path"])
	}
	if runIdx < 0 || gateIdx < 0 || !(runIdx < uploadIdx && uploadIdx < gateIdx) {
		t.Errorf("want run (%d) < upload (%d) < fail-unless-certified (%d)", runIdx, uploadIdx, gateIdx)
	}
	if !strings.Contains(gate.Run, "exit 1") || !strings.Contains(gate.If, "inputs.require-certified == 'true'") {
		t.Errorf("the last conformance step must fail the job unless certified: %+v", gate)
	}
}

// The commands and flags the scripts call exist.
func TestActionCallsRealFlags(t *testing.T) {
	a, _ := loadAction(t)
	var scripts strings.Builder
	for _, s := range a.Runs.Steps {
		scripts.WriteString(s.Run)
	}
	all := scripts.String()

	help := func(args ...string) string {
		_, out, errs := runCLI(args...)
		return out + errs
	}
	runHelp, reportHelp := help("run", "-h"), help("report", "-h")
	for _, flag := range regexp.MustCompile(`--([a-z][a-z-]+)`).FindAllStringSubmatch(sectionOf(all, `args=(run`, `status=0`), -1) {
		if !strings.Contains(runHelp, "-"+flag[1]+" ") && !strings.Contains(runHelp, "-"+flag[1]+"\n") {
			t.Errorf("the action passes --%s to 'cnab-conformance run', which has no such flag", flag[1])
		}
	}
	if !strings.Contains(all, `report "$results" --require-certified`) || !strings.Contains(reportHelp, "-require-certified") {
		t.Error("the action gates on 'cnab-conformance report --require-certified'")
	}
	if !strings.Contains(all, "--format github") {
		t.Error("validate mode must lint with --format github (annotations)")
	}
	if _, err := exec.LookPath("go"); err == nil {
		out, err := exec.Command("go", "run", "../cnab-validate", "lint", "-h").CombinedOutput()
		if err == nil || len(out) > 0 {
			for _, flag := range []string{"-format", "-fail-on", "-spec"} {
				if !strings.Contains(string(out), flag) {
					t.Errorf("cnab-validate has no %s flag:\n%s", flag, out)
				}
			}
		}
	}
	// The build steps build packages that exist.
	for _, pkg := range regexp.MustCompile(`\./(cmd|fixtures)/[a-z/-]+`).FindAllString(all, -1) {
		if _, err := os.Stat(filepath.Join("..", "..", pkg)); err != nil {
			t.Errorf("the action builds %s, which does not exist", pkg)
		}
	}
}

// sectionOf returns s from the first from to the next to.
func sectionOf(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}
