package suites

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites/tool/profile"
)

// specSets holds, per profile, the functions that declare its specs. Each
// spec file adds its own in an init function (addSpecs), so a profile's
// specs live next to each other and Register stays one loop.
var (
	specMu   sync.Mutex
	specSets = map[string][]func(cfg *Config){}
)

// addSpecs registers a function declaring specs of a profile.
func addSpecs(profile string, fn func(cfg *Config)) {
	if !slices.Contains(AllProfiles, profile) {
		panic("suites: unknown profile " + profile)
	}
	specMu.Lock()
	defer specMu.Unlock()
	specSets[profile] = append(specSets[profile], fn)
}

// profileTitles are the container texts of the profiles: part of every
// check's stable name.
var profileTitles = map[string]string{
	ProfileSmoke:    "smoke",
	ProfileRegistry: "registry",
	ProfileRuntime:  "runtime",
	ProfileArchive:  "archive",
}

// Register declares the whole conformance suite for cfg in the current
// Ginkgo tree: a BeforeSuite that sets up the harness (torn down LIFO, with a
// leak check, after the last spec) and the specs of the selected profiles.
// A tool author's own Ginkgo suite calls it at the top level:
//
//	var _ = func() bool { cfg := suites.NewConfig(); cfg.Tool = myTool{}; suites.Register(&cfg); return true }()
//
// A suite that has its own BeforeSuite uses RegisterSpecs and sets the Env
// up itself (NewEnv, UseEnv, DeferCleanup(env.Close)).
func Register(cfg *Config) {
	cfg.applyDefaults()
	BeforeSuite(func(ctx SpecContext) {
		setUpEnv(ctx, cfg)
	}, NodeTimeout(10*time.Minute))
	RegisterSpecs(cfg)
}

// RegisterSpecs declares the specs of the selected profiles, without the
// suite-level setup.
func RegisterSpecs(cfg *Config) {
	cfg.applyDefaults()
	specMu.Lock()
	sets := map[string][]func(*Config){}
	for p, fns := range specSets {
		sets[p] = slices.Clone(fns)
	}
	specMu.Unlock()
	for _, p := range AllProfiles {
		if !cfg.Selected(p) || len(sets[p]) == 0 {
			continue
		}
		Describe(profileTitles[p], func() {
			for _, fn := range sets[p] {
				fn(cfg)
			}
		})
	}
}

// setUpEnv builds the Env in the BeforeSuite and registers its teardown.
func setUpEnv(ctx SpecContext, cfg *Config) {
	GinkgoHelper()
	e, err := NewEnv(ctx, cfg)
	if err != nil {
		HarnessError("setting up the harness: %v", err)
	}
	env = e
	DeferCleanup(func(ctx SpecContext) error {
		err := e.Close(ctx)
		if len(e.Leaked) > 0 {
			runInfoMu.Lock()
			runInfo.Notes = append(runInfo.Notes, fmt.Sprintf("the tool left %d container(s) behind; the suite removed them: %s", len(e.Leaked), strings.Join(e.Leaked, ", ")))
			runInfoMu.Unlock()
		}
		if err != nil {
			return fmt.Errorf("%steardown: %w", reports.HarnessPrefix, err)
		}
		return nil
	}, NodeTimeout(5*time.Minute))
	collectRunInfo(ctx, e)
}

// lifecycle returns the decorators of an ordered container: Ordered, and
// ContinueOnFailure when the config keeps going after a failure.
func lifecycle(cfg *Config) []any {
	d := []any{Ordered}
	if cfg.KeepGoing {
		d = append(d, ContinueOnFailure)
	}
	return d
}

// runInfo is what the reports need to know about the run beyond Ginkgo's
// report; gathered in the BeforeSuite while the harness is up.
var (
	runInfoMu sync.Mutex
	runInfo   reports.RunInfo
)

func collectRunInfo(ctx context.Context, e *Env) {
	info := reports.RunInfo{SpecVersion: e.Config.SpecVersion, Profiles: slices.Clone(e.Config.Profiles)}
	info.Tool.Name = e.Tool.Name()
	if p, ok := e.Tool.(*profile.Tool); ok {
		info.Tool.Profile = strings.TrimSuffix(filepath.Base(p.Path()), filepath.Ext(p.Path()))
	}
	vctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if v, err := e.Tool.Version(vctx); err == nil {
		info.Tool.Version = v
	} else {
		info.Tool.Version = "unknown"
		info.Notes = append(info.Notes, "tool version: "+err.Error())
	}
	if e.Config.Embedded() {
		info.Registry = reports.RegistryInfo{Kind: "distribution (embedded)", Version: moduleVersion("github.com/distribution/distribution/v3")}
	} else {
		info.Registry = reports.RegistryInfo{Kind: "external", External: true, Host: e.Config.Registry}
	}
	if e.Docker != nil {
		if v, err := e.Docker.Upstream().Version(vctx); err == nil {
			info.Docker = &reports.DockerInfo{Version: v.Version, APIVersion: v.APIVersion, OS: v.Os + "/" + v.Arch,
				PrivilegedMode: e.Config.DockerPrivileged}
		}
		if e.Config.DockerPrivileged == PrivilegedRecord {
			info.Notes = append(info.Notes, "docker: privileged mode is judged from the recorded create request and cleared before the request reaches the engine (--docker-privileged=record)")
		}
	}
	if e.DockerErr != nil {
		info.Notes = append(info.Notes, e.DockerErr.Error())
	}
	runInfoMu.Lock()
	runInfo = info
	runInfoMu.Unlock()
}

// baseRunInfo is the run information available without the harness, for
// runs whose setup failed or never happened (nothing selected).
func baseRunInfo(cfg *Config) reports.RunInfo {
	info := reports.RunInfo{SpecVersion: cfg.SpecVersion, Profiles: slices.Clone(cfg.Profiles)}
	info.Tool = reports.ToolInfo{Name: "unknown", Version: "unknown"}
	switch {
	case cfg.Tool != nil:
		info.Tool.Name = cfg.Tool.Name()
	case cfg.ToolProfile != "":
		info.Tool.Profile = strings.TrimSuffix(filepath.Base(cfg.ToolProfile), filepath.Ext(cfg.ToolProfile))
		if p, err := profile.Load(cfg.ToolProfile); err == nil {
			info.Tool.Name = p.Name()
		}
	}
	return info
}

func moduleVersion(path string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, d := range bi.Deps {
		if d.Path == path {
			return d.Version
		}
	}
	return ""
}

// Outcome is what a run produced.
type Outcome struct {
	Report  types.Report
	Results reports.Results
	// Passed is true when every selected MUST check that applies to the spec
	// version passed and nothing broke in the harness: the runner's exit
	// status (see judge). Without user filters it equals
	// Results.Certified(). SHOULD-level failures are reported but do not
	// fail the run.
	Passed bool
	// Reasons says why Passed is false.
	Reasons []string
	// DryRun: the specs were listed, not run; no results were written.
	DryRun bool

	redactor *reports.Redactor // the run's secrets, for files written after the results
}

// Test runs the suite from go test: a tool author's TestConformance(t)
// calls suites.Test(t, cfg). Ginkgo's -ginkgo.* flags apply; one suite per
// test binary.
func Test(t *testing.T, cfg Config) {
	t.Helper()
	sc, rc := GinkgoConfiguration()
	out := Run(t, &cfg, sc, rc)
	if !out.Passed {
		for _, r := range out.Reasons {
			t.Error(r)
		}
	}
}

// Run registers the suite for cfg, runs it with the given Ginkgo
// configuration and writes the reports into cfg.ReportDir. It can run once
// per process (a Ginkgo limit). t only needs Fail(): the runner binary
// passes its own.
func Run(t GinkgoTestingT, cfg *Config, sc types.SuiteConfig, rc types.ReporterConfig) Outcome {
	gomega.RegisterFailHandler(Fail)
	cfg.applyDefaults()
	if sc.SemVerFilter == "" && semverFilterFor(cfg.SpecVersion) != "" {
		sc.SemVerFilter = semverFilterFor(cfg.SpecVersion)
	}
	var out Outcome
	Register(cfg)
	ReportAfterSuite("cnab-conformance results", func(r Report) {
		out = reportRun(cfg, r, env)
	})
	RunSpecs(t, "CNAB conformance", sc, rc)
	// Ginkgo wrote the reports its own flags asked for (-ginkgo.json-report,
	// ...) from the raw report, after ours: remove the secrets from them too.
	if out.redactor != nil {
		if err := redactFiles(out.redactor, rc.JSONReport, rc.GoJSONReport, rc.JUnitReport, rc.TeamcityReport); err != nil {
			fmt.Fprintf(os.Stderr, "cnab-conformance: redacting Ginkgo's reports: %v\n", err)
		}
	}
	return out
}

// redactFiles rewrites report files in place with every secret removed;
// empty paths are skipped. JSON files stay valid JSON.
func redactFiles(red *reports.Redactor, paths ...string) error {
	var errs []error
	for _, p := range paths {
		if p == "" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		text := red.String(string(data))
		if json.Valid(data) {
			var buf bytes.Buffer
			if err := json.Indent(&buf, red.JSON(data), "", "  "); err == nil {
				text = buf.String()
			}
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// reportRun turns Ginkgo's report into the run's outcome and writes the
// reports; e is the harness of the run (nil when it never came up).
func reportRun(cfg *Config, r types.Report, e *Env) Outcome {
	out := Outcome{Report: r}
	if r.SuiteConfig.DryRun {
		// Nothing was checked: never write results that read as passes.
		out.DryRun, out.Passed = true, true
		return out
	}
	runInfoMu.Lock()
	info := runInfo
	runInfoMu.Unlock()
	if info.SpecVersion == "" { // the harness never came up: say what we know
		info = baseRunInfo(cfg)
	}
	if wd, err := os.Getwd(); err == nil {
		if root, ok := findModuleRoot(wd); ok {
			info.SourceRoot = root
		}
	}
	// Every value a spec declared secret (Env.Secret) is removed from
	// everything written; the redactor also learns the values recorded
	// requests label as secrets, and Ginkgo's own reports get the same.
	red := reports.NewRedactor()
	if e != nil {
		red.Add(e.Secrets()...)
	}
	info.Redactor, out.redactor = red, red
	out.Results = reports.FromGinkgo(r, info)
	out.Passed, out.Reasons = judge(out.Results)
	if cfg.ReportDir == "none" {
		return out
	}
	if err := writeReports(cfg.ReportDir, r, out.Results, red); err != nil {
		// Not a check failure: say it loudly, keep the verdict.
		fmt.Fprintf(os.Stderr, "cnab-conformance: writing reports: %v\n", err)
	}
	return out
}

// writeReports writes Ginkgo's own JSON and JUnit reports, redacted with
// red like the results, next to the project's formats.
func writeReports(dir string, r types.Report, res reports.Results, red *reports.Redactor) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var errs []string
	raw, redacted, err := redactGinkgoReport(r, red)
	if err != nil {
		errs = append(errs, err.Error())
	}
	if raw != nil {
		if err := os.WriteFile(filepath.Join(dir, "ginkgo-report.json"), raw, 0o644); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if err == nil {
		if err := reporters.GenerateJUnitReportWithConfig(redacted, filepath.Join(dir, "ginkgo-junit.xml"), reporters.JunitReportConfig{
			OmitLeafNodeType: true, OmitSpecLabels: true, OmitSpecSemVerConstraints: true,
		}); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if err := reports.WriteAll(dir, res); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// redactGinkgoReport returns Ginkgo's JSON report of r (the form
// -ginkgo.json-report writes) with every secret removed, and the same
// report decoded again for the JUnit writer. Redacting the encoded form
// reaches every string Ginkgo keeps: failure messages, captured output,
// report entries, progress reports.
func redactGinkgoReport(r types.Report, red *reports.Redactor) ([]byte, types.Report, error) {
	plain, err := json.Marshal([]types.Report{r})
	if err != nil {
		return nil, types.Report{}, fmt.Errorf("ginkgo report: %w", err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, red.JSON(plain), "", "  "); err != nil {
		return nil, types.Report{}, fmt.Errorf("ginkgo report: %w", err)
	}
	var back []types.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back) != 1 {
		// Still write the redacted JSON; only the JUnit form is lost.
		return buf.Bytes(), types.Report{}, fmt.Errorf("ginkgo junit report not written: redacted report does not decode: %v", err)
	}
	return buf.Bytes(), back[0], nil
}

// judge decides the run's exit status from the checks the reports judge:
// every MUST check that applies to the spec version and was not filtered out
// by the user passed, something ran, every selected profile ran a check and
// has a MUST check that applies to the spec version, and the harness did not
// break. Without user filters (no Disabled check) this is exactly "every
// judged profile is certified", so the exit status and the reports' verdict
// agree. A check the user filtered out (-ginkgo.label-filter, focus, ...)
// does not fail the run, which judges what was selected, but it blocks the
// verdict: such a run is never certified, and the summary says so.
// NotApplicable checks (rule not in the spec version) neither run nor block.
func judge(res reports.Results) (bool, []string) {
	var reasons []string
	ran := 0
	ranIn, mustIn, filteredIn := map[string]int{}, map[string]int{}, map[string]int{}
	for _, c := range res.Checks {
		switch c.Status {
		case reports.StatusDisabled:
			filteredIn[c.Profile]++
			continue
		case reports.StatusNotApplicable:
			continue
		}
		ran++
		ranIn[c.Profile]++
		if !c.Mandatory() {
			continue
		}
		mustIn[c.Profile]++
		if c.Status == reports.StatusPass {
			continue
		}
		why := string(c.Status)
		if c.Reason != "" {
			why += " (" + firstLine(c.Reason) + ")"
		}
		reasons = append(reasons, fmt.Sprintf("%s check %s [%s]: %s", c.Level, c.Name, strings.Join(c.Rules, ", "), why))
	}
	for _, e := range res.SuiteErrors {
		reasons = append(reasons, fmt.Sprintf("suite error in %s: %s", e.Node, firstLine(e.Message)))
	}
	profiles := res.Profiles
	if len(profiles) == 0 {
		for _, v := range res.Verdicts {
			profiles = append(profiles, v.Profile)
		}
	}
	if ran == 0 {
		reasons = append(reasons, "no check ran (check the profile selection, the filters and the spec version)")
	} else {
		for _, p := range profiles {
			switch {
			case ranIn[p] == 0:
				reasons = append(reasons, fmt.Sprintf("profile %s was selected but none of its checks ran", p))
			case mustIn[p] == 0 && filteredIn[p] == 0:
				reasons = append(reasons, fmt.Sprintf("profile %s has no MUST check that applies to spec version %q", p, res.SpecVersion))
			}
		}
	}
	return len(reasons) == 0, reasons
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// semverFilterFor turns the spec version into Ginkgo's sem-ver filter:
// specs constrained to other spec versions are filtered out, and the reports
// mark them NotApplicable. "main" is the newest released version plus the
// unreleased changes: no filter.
func semverFilterFor(v string) string { return reports.SpecSemVer(v) }

// findModuleRoot walks up from dir to the directory holding go.mod.
func findModuleRoot(dir string) (string, bool) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
