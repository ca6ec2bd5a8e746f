package reports

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// t0 is the fixed start of the synthetic run.
var t0 = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

const fakeRoot = "/home/ci/src/cnab-conformance"

// spec builds one synthetic spec report.
type spec struct {
	containers []string
	text       string
	labels     []string
	state      types.SpecState
	msg        string
	panicValue string
	line       int
	entries    []types.ReportEntry
	output     string
	failNode   types.NodeType
	semver     []string // SemVerConstraint of the spec
}

func (s spec) report(start time.Time) types.SpecReport {
	sr := types.SpecReport{
		ContainerHierarchyTexts:    s.containers,
		ContainerHierarchyLabels:   make([][]string, len(s.containers)),
		LeafNodeType:               types.NodeTypeIt,
		LeafNodeLocation:           types.CodeLocation{FileName: fakeRoot + "/suites/specs.go", LineNumber: s.line},
		LeafNodeText:               s.text,
		LeafNodeLabels:             s.labels,
		State:                      s.state,
		StartTime:                  start,
		EndTime:                    start.Add(1500 * time.Millisecond),
		RunTime:                    1500 * time.Millisecond,
		ReportEntries:              s.entries,
		CapturedGinkgoWriterOutput: s.output,
		LeafNodeSemVerConstraints:  s.semver,
	}
	if s.msg != "" || s.panicValue != "" {
		sr.Failure = types.Failure{
			Message:            s.msg,
			Location:           types.CodeLocation{FileName: fakeRoot + "/suites/specs.go", LineNumber: s.line + 3},
			ForwardedPanic:     s.panicValue,
			FailureNodeContext: types.FailureNodeIsLeafNode,
		}
		if s.failNode != types.NodeTypeInvalid {
			sr.Failure.FailureNodeContext = types.FailureNodeInContainer
			sr.Failure.FailureNodeType = s.failNode
		}
	}
	return sr
}

func labels(profile string, rules ...string) []string {
	out := append([]string{}, rules...)
	return append(out, profile, "profile:"+profile, "level:MUST")
}

func evidenceEntry(ev Evidence) types.ReportEntry {
	return types.ReportEntry{Name: EvidenceEntry, Value: types.WrapEntryValue(ev), Visibility: types.ReportEntryVisibilityNever}
}

// syntheticSpecs covers every outcome the mapping knows.
func syntheticSpecs() []spec {
	push := CommandRun{Operation: "push", Command: "cnab-ref push --bundle bundle.json --ref 127.0.0.1:5000/cnab-conformance/hello-abc:v1 --password hunter2-registry",
		ExitCode: 0, Duration: 420 * time.Millisecond, Stdout: "digest: sha256:1111111111111111111111111111111111111111111111111111111111111111"}
	reqs := []RegistryRequest{
		{Seq: 1, Registry: "source", Method: "PUT", Path: "/v2/cnab-conformance/hello-abc/blobs/uploads/x", Repository: "cnab-conformance/hello-abc", Status: 201, Time: t0},
		{Seq: 2, Registry: "source", Method: "PUT", Path: "/v2/cnab-conformance/hello-abc/manifests/v1", Repository: "cnab-conformance/hello-abc", Reference: "v1",
			MediaType: "application/vnd.oci.image.index.v1+json", Size: 812, Status: 201, Time: t0.Add(time.Second)},
		{Seq: 3, Registry: "source", Method: "PUT", Path: "/v2/cnab-conformance/hello-abc/manifests/sha256:2222", Repository: "cnab-conformance/hello-abc", Reference: "sha256:2222",
			MediaType: "application/vnd.oci.image.manifest.v1+json", Size: 400, Status: 201, Time: t0.Add(2 * time.Second)},
	}
	create := json.RawMessage(`{"Image":"127.0.0.1:5000/cnab-conformance/probe@sha256:3333","Env":["CNAB_ACTION=install","CNAB_INSTALLATION_NAME=cnabconf-x1","CNAB_P_DB_PASSWORD=s3cr3t-value","CNAB_C_KUBECONFIG=opaque-cred-value"],"HostConfig":{"Privileged":false,"Binds":null}}`)
	probe := json.RawMessage(`{"env":{"CNAB_ACTION":"install","CNAB_C_KUBECONFIG":"opaque-cred-value"},"uid":0,"files":["/cnab/app/run","/cnab/bundle.json"],"dockerSocket":false}`)
	return []spec{
		{containers: []string{"smoke", "hello bundle"}, text: "push and pull round-trips the bundle unmodified", labels: labels("smoke", "G-201-01"),
			state: types.SpecStatePassed, line: 20, entries: []types.ReportEntry{evidenceEntry(Evidence{Commands: []CommandRun{push}}), evidenceEntry(Evidence{RegistryRequests: reqs[:1]})}},
		{containers: []string{"registry", "push"}, text: "pushes the index after every manifest it references", labels: labels("registry", "RG-01", "G-201-06"),
			state: types.SpecStateFailed, msg: "RG-01: index cnab-conformance/hello-abc:v1 written at request 2, before manifest sha256:2222 (request 3)", line: 40,
			entries: []types.ReportEntry{evidenceEntry(Evidence{Commands: []CommandRun{push}, RegistryRequests: reqs, Notes: []string{"tolerated a HEAD 404 before upload"}})},
			output:  "STEP: pushing with password=hunter2-registry\nSTEP: reading the recorder"},
		{containers: []string{"registry", "push"}, text: "reports the digest the registry computed", labels: labels("registry", "RG-06"),
			state: types.SpecStatePassed, line: 60},
		{containers: []string{"registry", "promote"}, text: "copies every image to the destination", labels: labels("registry", "RG-04"),
			state: types.SpecStateSkipped, msg: "tool does not declare copy", line: 80},
		{containers: []string{"registry", "push"}, text: "writes images by digest", labels: append([]string{"RG-02", "registry", "profile:registry"}, "level:SHOULD"),
			state: types.SpecStateTimedout, msg: "A spec timeout occurred", line: 90},
		{containers: []string{"runtime", "install"}, text: "sets CNAB_ACTION and the installation name", labels: labels("runtime", "R-103-04"),
			state: types.SpecStatePassed, line: 100, entries: []types.ReportEntry{evidenceEntry(Evidence{ContainerCreates: []json.RawMessage{create}, Probe: probe})}},
		{containers: []string{"runtime", "install"}, text: "attaches credentials as files", labels: labels("runtime", "R-103-10"),
			state: types.SpecStateFailed, msg: HarnessFailure("cannot start cnab-ref: exec: \"cnab-ref\": executable file not found in $PATH"), line: 120},
		{containers: []string{"runtime", "upgrade"}, text: "passes CNAB_REVISION", labels: labels("runtime", "R-103-07"),
			state: types.SpecStateSkipped, msg: "Spec skipped because an earlier spec in an ordered container failed", line: 140},
		{containers: []string{"runtime", "invoke"}, text: "exports parameters under destination.env", labels: labels("runtime", "R-103-15"),
			state: types.SpecStatePanicked, msg: "Test Panicked", panicValue: "runtime error: index out of range [3] with length 3", line: 160, failNode: types.NodeTypeAfterEach},
		{containers: []string{"archive"}, text: "exports a thick bundle with every image", labels: labels("archive", "F-104-04"),
			state: types.SpecStateSkipped, line: 180},
		// A Core 1.0-1.1 rule in a 1.2.0 run: removed by the sem-ver filter.
		{containers: []string{"runtime", "upgrade"}, text: "keeps CNAB_LAST_REVISION", labels: labels("runtime", "R-103-08"),
			state: types.SpecStateSkipped, line: 150, semver: []string{">= 1.0.0, < 1.2.0"}},
	}
}

func syntheticReport(specs []spec) types.Report {
	r := types.Report{
		SuitePath:        fakeRoot + "/suites",
		SuiteDescription: "CNAB conformance",
		SuiteSucceeded:   false,
		StartTime:        t0,
		EndTime:          t0.Add(42 * time.Second),
		RunTime:          42 * time.Second,
		SuiteConfig:      types.SuiteConfig{LabelFilter: "smoke || registry || runtime", SemVerFilter: "1.2.0"},
	}
	for i, s := range specs {
		r.SpecReports = append(r.SpecReports, s.report(t0.Add(time.Duration(i)*2*time.Second)))
	}
	return r
}

func syntheticInfo() RunInfo {
	return RunInfo{
		SpecVersion: "cnab-core-1.2.0",
		Profiles:    []string{"registry", "smoke", "runtime"},
		Tool:        ToolInfo{Name: "cnab-ref", Version: "0.1.0", Profile: "reference"},
		Registry:    RegistryInfo{Kind: "distribution (embedded)", Version: "v3.1.2"},
		Docker:      &DockerInfo{Version: "20.10.24", APIVersion: "1.41", OS: "linux", PrivilegedMode: "record"},
		Notes:       []string{"privileged containers cannot start on this host: the flag is judged from the recorded request and cleared before forwarding"},
		Suite: SuiteInfo{Name: "cnab-conformance", Module: ModulePath, Version: "v0.1.0", Commit: "0123456789abcdef0123456789abcdef01234567",
			GoVersion: "go1.26.8", GinkgoVersion: "2.34.0", ConformanceVersion: "0.1"},
		RunID:      "5eed5eed5eed5eed",
		Redactor:   NewRedactor("s3cr3t-value", "opaque-cred-value"),
		SourceRoot: fakeRoot,
	}
}

// syntheticResults is the mixed run every golden file is rendered from.
func syntheticResults() Results {
	r := FromGinkgo(syntheticReport(syntheticSpecs()), syntheticInfo())
	r.Host = HostInfo{OS: "linux", Arch: "amd64", CPUs: 2}
	return r
}

// passingResults is a run in which every selected check passed.
func passingResults() Results {
	var specs []spec
	for _, s := range syntheticSpecs() {
		if s.containers[0] == "archive" {
			continue
		}
		if len(s.semver) > 0 {
			specs = append(specs, s) // not applicable to the run's spec version: stays filtered out
			continue
		}
		s.state, s.msg, s.panicValue, s.output = types.SpecStatePassed, "", "", ""
		specs = append(specs, s)
	}
	r := FromGinkgo(syntheticReport(specs), syntheticInfo())
	r.Host = HostInfo{OS: "linux", Arch: "amd64", CPUs: 2}
	return r
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./reports -update\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line.
func firstDiff(a, b string) string {
	la, lb := splitLines(a), splitLines(b)
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n  golden: " + x + "\n  got:    " + y
		}
	}
	return ""
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
