package suites

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

// The golden check list (reports/conformance.yaml) is the suite's contract
// with tool authors, like Kubernetes' conformance.yaml: adding, removing or
// changing a check (its name, profile, level or rule IDs) must come with an
// update of the list, reviewed as a change of what certification means.
//
// Building the spec tree touches Ginkgo's process-wide state, and the other
// tests of this package run the suite with RunSpecs, so the tree is
// previewed in a child process (this test binary again, this test only).

var updateCheckList = flag.Bool("update-checklist", false, "rewrite reports/conformance.yaml from the declared checks")

const checkListOutEnv = "CNAB_CONFORMANCE_CHECKLIST_OUT"

func TestCheckListGolden(t *testing.T) {
	if out := os.Getenv(checkListOutEnv); out != "" {
		writeDeclaredChecks(t, out)
		return
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, ok := findModuleRoot(wd)
	if !ok {
		t.Fatal("no go.mod above the suites package")
	}
	out := filepath.Join(t.TempDir(), "checks.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckListGolden$", "-test.count=1")
	cmd.Env = append(os.Environ(), checkListOutEnv+"="+out)
	var raw []byte
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("previewing the spec tree: %v\n%s", err, b)
	}
	raw, err = os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var declared []reports.CheckDecl
	if err := json.Unmarshal(raw, &declared); err != nil {
		t.Fatal(err)
	}
	if len(declared) == 0 {
		t.Fatal("the suite declares no check")
	}
	seen := map[string]bool{}
	for _, d := range declared {
		if seen[d.Name] {
			t.Errorf("two checks are named %q: names are the checks' permanent identity, make them unique", d.Name)
		}
		seen[d.Name] = true
		if d.Profile == "" || len(d.Rules) == 0 || d.Level == "" {
			t.Errorf("check %q lacks a profile, rule ID or level (declare it with Check)", d.Name)
		}
	}

	path := filepath.Join(root, "reports", reports.CheckListFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden, err := reports.ParseCheckList(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if *updateCheckList {
		golden.Checks = declared
		b, err := golden.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d checks to %s", len(declared), path)
		return
	}
	if diff := golden.Diff(declared); len(diff) > 0 {
		t.Errorf("the suite's checks differ from reports/%s:\n  %s\n\nIf the change is deliberate, update the list with\n  go test ./suites -run TestCheckListGolden -update-checklist\n"+
			"and regenerate docs/coverage.md with\n  go run ./cmd/cnab-conformance rules --coverage --format markdown --out docs/coverage.md",
			reports.CheckListFile, strings.Join(diff, "\n  "))
	}
	// The embedded copy is what verify uses; it must be this file.
	if emb := reports.EmbeddedCheckList(); len(emb.Checks) != len(golden.Checks) || emb.ConformanceVersion != golden.ConformanceVersion {
		t.Errorf("the embedded check list differs from %s (stale build?)", path)
	}
}

// writeDeclaredChecks runs in the child: declare every profile's specs and
// preview the tree (a dry run: no node body runs).
func writeDeclaredChecks(t *testing.T, out string) {
	cfg := NewConfig()
	cfg.Profiles = append([]string(nil), AllProfiles...)
	RegisterSpecs(&cfg)
	rep := PreviewSpecs("CNAB conformance")
	wd, _ := os.Getwd()
	root, _ := findModuleRoot(wd)
	var decls []reports.CheckDecl
	for _, sr := range rep.SpecReports {
		if !sr.LeafNodeType.Is(types.NodeTypeIt) {
			continue
		}
		rules, level, profile := reports.ParseLabels(sr.Labels())
		file := sr.LeafNodeLocation.FileName
		if rel, err := filepath.Rel(root, file); err == nil && root != "" {
			file = filepath.ToSlash(rel)
		}
		decls = append(decls, reports.CheckDecl{Name: sr.FullText(), Profile: profile, Level: level, Rules: rules, File: file})
	}
	b, err := json.Marshal(decls)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
