package suites

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnab-conformance/cnab-conformance/fixtures/tools/reference/defect"
	"github.com/cnab-conformance/cnab-conformance/internal/docker"
	"github.com/cnab-conformance/cnab-conformance/reports"
)

// The mutant matrix. The suite runs, through the real runner binary, once
// against the reference tool (every selected check must pass) and once per
// defect of `cnab-ref defects` with CNAB_REF_DEFECT set, selecting only the
// checks of the defect's profile that name one of its rules: exactly the
// defect's rule IDs must fail, nothing may error. This is how every check is
// shown able to fail, and how a check that fails on a faithful tool is caught.
//
// Set CNAB_SELFTEST_DEFECTS=name,name to run only some defects (and skip the
// reference run unless "reference" is listed).

type defectCase struct {
	name, profile string
	rules         []string
}

// runOutcome is one runner invocation.
type runOutcome struct {
	res    reports.Results
	output string
	code   int
	took   time.Duration
	err    error // the runner could not be run or wrote no results
}

// selfCase is one row of the matrix: skip says why it does not run here,
// run invokes the runner (concurrently with other rows), check judges it.
type selfCase struct {
	name  string
	skip  string
	run   func() runOutcome
	check func(t *testing.T, o runOutcome)
	done  chan runOutcome
}

// matrixWidth is how many runner processes run at once. A run mostly waits
// on Docker (containers starting, invocation images sleeping to their
// timeout), not on the CPU, so the width is larger than the core count.
func matrixWidth() int {
	if n, err := strconv.Atoi(os.Getenv("CNAB_SELFTEST_PARALLEL")); err == nil && n > 0 {
		return n
	}
	return 4
}

func TestMutantMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("mutant matrix: not in -short mode")
	}
	root, ok := findModuleRoot(mustGetwd(t))
	if !ok {
		t.Fatal("no go.mod above the test")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(os.PathSeparator),
		"./fixtures/tools/reference", "./cmd/cnab-conformance", "./fixtures/tools/probe")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the reference tool, the runner and the probe: %v\n%s", err, out)
	}
	ref, runner, probeBin := filepath.Join(bin, "reference"), filepath.Join(bin, "cnab-conformance"), filepath.Join(bin, "probe")
	refProfile := filepath.Join(root, "fixtures", "adapters", "reference.yaml")

	out, err := exec.Command(ref, "defects").Output()
	if err != nil {
		t.Fatalf("cnab-ref defects: %v", err)
	}
	defects, err := parseDefects(string(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(defects) == 0 {
		t.Fatal("cnab-ref defects lists no defect")
	}
	only := map[string]bool{}
	for _, n := range strings.Split(os.Getenv("CNAB_SELFTEST_DEFECTS"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			only[n] = true
		}
	}
	dockerErr := dockerAvailable()
	needsDocker := func(profiles ...string) string {
		if dockerErr == nil {
			return ""
		}
		for _, p := range profiles {
			if p == ProfileSmoke || p == ProfileRuntime {
				return fmt.Sprintf("Docker unavailable: %v", dockerErr)
			}
		}
		return ""
	}

	var cases []*selfCase

	// The reference tool: every check of every profile passes.
	refProfiles := DefaultProfiles()
	if dockerErr != nil {
		refProfiles = slices.DeleteFunc(refProfiles, func(p string) bool { return p == ProfileSmoke || p == ProfileRuntime })
	}
	cases = append(cases, &selfCase{
		name: "reference",
		run: func() runOutcome {
			return runWith(runner, root, refProfile, ref, probeBin, "", nil, refProfiles, "")
		},
		check: func(t *testing.T, o runOutcome) {
			if dockerErr != nil {
				t.Logf("Docker unavailable (%v): the reference ran without the smoke and runtime profiles", dockerErr)
			}
			var bad []string
			for _, c := range o.res.Checks {
				if c.Status != reports.StatusPass && c.Status != reports.StatusDisabled && c.Status != reports.StatusNotApplicable {
					bad = append(bad, fmt.Sprintf("%s %s [%s]: %s", c.Status, c.Name, strings.Join(c.Rules, ","), checkWhy(c)))
				}
			}
			for _, e := range o.res.SuiteErrors {
				bad = append(bad, "suite error in "+e.Node+": "+e.Message)
			}
			if len(bad) > 0 || o.code != 0 {
				t.Errorf("the reference tool must pass every check (exit %d):\n  %s\n%s", o.code, strings.Join(bad, "\n  "), tail(o.output))
			}
			if o.res.Totals.Pass == 0 {
				t.Errorf("no check passed:\n%s", tail(o.output))
			}
			t.Logf("reference: %d checks passed in %s", o.res.Totals.Pass, o.took.Round(time.Second))
		},
	})

	// Tools that misbehave in ways no mutant does: each must become a
	// reported verdict with the command and its output, never a harness panic.
	for _, m := range []struct {
		name, push string
		status     reports.Status
		want       []string
	}{
		{"hung tool", `['/bin/sh', '-c', 'echo pushing; echo still working >&2; sleep 61.25']`, reports.StatusFail,
			[]string{"killed at its timeout", "sleep 61.25", "pushing", "still working"}},
		{"crashing tool", `['/bin/sh', '-c', 'echo about to crash; kill -SEGV $$']`, reports.StatusFail,
			[]string{"exited with code 139", "signal", "about to crash"}},
		{"missing tool", `['/nonexistent/cnab-tool', 'push']`, reports.StatusError,
			[]string{"/nonexistent/cnab-tool"}},
	} {
		dir := t.TempDir()
		prof := filepath.Join(dir, "tool.yaml")
		yaml := "name: misbehaving\noperations:\n  push:\n    timeout: 1s\n    command: " + m.push + "\n"
		if err := os.WriteFile(prof, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, &selfCase{
			name: m.name,
			skip: needsDocker(ProfileSmoke),
			run: func() runOutcome {
				return runWith(runner, root, prof, "", probeBin, "", nil, []string{ProfileSmoke}, "smoke && G-201-01")
			},
			check: func(t *testing.T, o runOutcome) {
				if o.took > 45*time.Second {
					t.Errorf("the run took %s", o.took)
				}
				if o.code != 1 {
					t.Errorf("exit code %d, want 1", o.code)
				}
				var push *reports.Check
				for i, c := range o.res.Checks {
					if slices.Contains(c.Rules, "G-201-01") && c.Status != reports.StatusDisabled {
						push = &o.res.Checks[i]
					}
				}
				if push == nil {
					t.Fatalf("the push check did not run\n%s", tail(o.output))
				}
				msg := checkWhy(*push)
				if push.Failure != nil {
					msg = push.Failure.Message
				}
				if push.Status != m.status {
					t.Errorf("push check is %s, want %s: %s", push.Status, m.status, msg)
				}
				for _, w := range m.want {
					if !strings.Contains(msg, w) {
						t.Errorf("the report does not say %q:\n%s", w, msg)
					}
				}
				if m.name == "hung tool" && processRunning("61.25") {
					t.Error("the hung tool's process is still running after the run")
				}
			},
		})
	}

	// SIGINT in the middle of a run: the runner still tears everything
	// down (the tool's process group, the containers the tool left, the
	// images, the registries, its temp dirs), writes the results and exits 1.
	// It runs in its own subtest, next to the pool.
	cases = append(cases, &selfCase{
		name:  "interrupted run",
		skip:  needsDocker(ProfileSmoke),
		check: func(t *testing.T, _ runOutcome) { testInterrupt(t, runner, root, ref, probeBin) },
	})

	// Every defect: exactly its rule IDs fail.
	for _, d := range defects {
		c := &selfCase{name: d.name, skip: needsDocker(d.profile)}
		c.run = func() runOutcome {
			return runWith(runner, root, refProfile, ref, probeBin, d.name, nil, []string{d.profile}, d.profile+" && ("+RuleFilter(d.rules...)+")")
		}
		c.check = func(t *testing.T, o runOutcome) {
			if !slices.Contains(AllProfiles, d.profile) {
				t.Fatalf("defect %s names unknown profile %q", d.name, d.profile)
			}
			checkDefect(t, d, o)
		}
		cases = append(cases, c)
	}

	// Run the selected rows in a pool, then judge each as its own subtest.
	for _, c := range cases {
		c.done = make(chan runOutcome, 1)
	}
	jobs := make(chan *selfCase)
	for range matrixWidth() {
		go func() {
			for c := range jobs {
				start := time.Now()
				o := c.run()
				o.took = time.Since(start)
				c.done <- o
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, c := range cases {
			if c.run != nil && c.skip == "" && (len(only) == 0 || only[c.name]) {
				jobs <- c
			}
		}
	}()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(only) > 0 && !only[c.name] {
				t.Skip("not selected by CNAB_SELFTEST_DEFECTS")
			}
			if c.skip != "" {
				t.Skip(c.skip)
			}
			var o runOutcome
			if c.run != nil {
				o = <-c.done
			}
			if o.err != nil {
				t.Fatalf("%v\n%s", o.err, tail(o.output))
			}
			c.check(t, o)
		})
	}
}

// checkDefect asserts that exactly the defect's rule IDs fail and that the
// harness did not break.
func checkDefect(t *testing.T, d defectCase, o runOutcome) {
	t.Helper()
	failed := map[string]bool{}
	var problems []string
	for _, c := range o.res.Checks {
		switch c.Status {
		case reports.StatusFail:
			for _, r := range c.Rules {
				failed[r] = true
			}
		case reports.StatusError:
			problems = append(problems, fmt.Sprintf("harness error in %s: %s", c.Name, checkWhy(c)))
		}
	}
	for _, e := range o.res.SuiteErrors {
		problems = append(problems, "suite error in "+e.Node+": "+firstLine(e.Message))
	}
	var missing, extra []string
	for _, r := range d.rules {
		if !failed[r] {
			missing = append(missing, r)
		}
	}
	for r := range failed {
		if !slices.Contains(d.rules, r) {
			extra = append(extra, r)
		}
	}
	slices.Sort(extra)
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("no failing check for %s (checks selected: %d, failed: %d)",
			strings.Join(missing, ", "), o.res.Totals.Total-o.res.Totals.Disabled, o.res.Totals.Fail))
	}
	if len(extra) > 0 {
		problems = append(problems, "unexpected failing rules "+strings.Join(extra, ", "))
	}
	if len(problems) > 0 {
		t.Errorf("defect %s (%s, must trip %s):\n  %s\n%s", d.name, d.profile, strings.Join(d.rules, ","), strings.Join(problems, "\n  "), tail(o.output))
	}
}

// slowUninstall is the reference profile with an uninstall that first
// sleeps, so the run can be interrupted while a tool command runs.
const slowUninstall = `
name: cnab-ref-slow
tool: cnab-ref
operations:
  push:
    command: '{{.Tool}} push --bundle {{.Bundle}} --ref {{.Reference}}'
    digest: {stdout: 'digest: (sha256:[0-9a-f]{64})'}
  pull:
    command: '{{.Tool}} pull --ref {{.Reference}} --out {{.WorkDir}}/bundle.json'
    bundle: '{{.WorkDir}}/bundle.json'
  copy:
    command: '{{.Tool}} copy --ref {{.Reference}} --to {{.Destination}}'
    digest: {stdout: 'digest: (sha256:[0-9a-f]{64})'}
  install:
    command: '{{.Tool}} install --installation {{.Installation}} --bundle {{.Bundle}} --state-dir {{.StateDir}}'
  uninstall:
    shell: true
    command: 'sleep 47.25; {{.Tool}} uninstall --installation {{.Installation}} --bundle {{.Bundle}} --state-dir {{.StateDir}}'
`

func testInterrupt(t *testing.T, runner, root, ref, probeBin string) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "slow.yaml")
	if err := os.WriteFile(prof, []byte(slowUninstall), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp") // the runner's TMPDIR: must be empty afterwards
	reportDir := filepath.Join(dir, "reports")
	for _, d := range []string{tmp, reportDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(runner, "run", "--tool", prof, "--tool-binary", ref, "--probe-binary", probeBin,
		"--profile", "smoke", "--report-dir", reportDir, "-ginkgo.no-color")
	cmd.Dir = root
	// The mutant leaves its containers behind: the teardown must remove them.
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "CNAB_REF_DEFECT=runtime-container-left")
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(2 * time.Minute)
	for !strings.Contains(out.String(), "sleep 47.25") {
		select {
		case err := <-done:
			t.Fatalf("the run ended before the slow uninstall (%v):\n%s", err, tail(out.String()))
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatalf("the slow uninstall never started:\n%s", tail(out.String()))
		case <-time.After(100 * time.Millisecond):
		}
	}
	time.Sleep(500 * time.Millisecond)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("the runner did not finish within a minute of SIGINT:\n%s", tail(out.String()))
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit after SIGINT: %v, want exit status 1", err)
	}
	if processRunning("47.25") {
		t.Error("the interrupted tool command is still running")
	}
	left, _ := os.ReadDir(tmp)
	for _, e := range left {
		t.Errorf("left in the runner's TMPDIR: %s", e.Name())
	}
	res, err := reports.Load(filepath.Join(reportDir, reports.ResultsFile))
	if err != nil {
		t.Fatalf("no results after SIGINT: %v\n%s", err, tail(out.String()))
	}
	interrupted := false
	for _, c := range res.Checks {
		interrupted = interrupted || (c.Status == reports.StatusError && strings.Contains(strings.ToLower(checkWhy(c)), "interrupt"))
	}
	if !interrupted {
		t.Errorf("no check reports the interrupt:\n%s", tail(out.String()))
	}
	// Containers of the run: their image comes from one of its registries.
	hosts := map[string]bool{}
	for _, c := range res.Checks {
		if c.Evidence == nil {
			continue
		}
		for _, cr := range c.Evidence.Commands {
			for _, h := range registryHost.FindAllString(cr.Command, -1) {
				hosts[h] = true
			}
		}
	}
	if len(hosts) == 0 {
		t.Fatal("no registry host in the recorded commands")
	}
	dc, err := docker.New(docker.ConfigFromEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	all, err := dc.ContainerList(ctx, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		for h := range hosts {
			if strings.HasPrefix(c.Image, h+"/") {
				t.Errorf("container %s (%s) of the interrupted run still exists", c.ID[:12], c.Image)
			}
		}
	}
	images, err := dc.ImageList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range images {
		for _, r := range append(im.RepoTags, im.RepoDigests...) {
			for h := range hosts {
				if strings.HasPrefix(r, h+"/") {
					t.Errorf("image %s of the interrupted run still exists", r)
				}
			}
		}
	}
}

var registryHost = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runWith runs the runner binary and reads the results it wrote. extraEnv
// is added to the runner's environment.
func runWith(runner, root, profile, toolBin, probeBin, defect string, extraEnv []string, profiles []string, filter string) runOutcome {
	dir, err := os.MkdirTemp("", "selftest-reports-")
	if err != nil {
		return runOutcome{err: err}
	}
	defer os.RemoveAll(dir)
	args := []string{"run", "--tool", profile, "--probe-binary", probeBin, "--profile", strings.Join(profiles, ","),
		"--report-dir", dir, "--quiet", "--timeout", "1m", "-ginkgo.no-color"}
	if toolBin != "" {
		args = append(args, "--tool-binary", toolBin)
	}
	if filter != "" {
		args = append(args, "-ginkgo.label-filter="+filter)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, runner, args...)
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(), "CNAB_REF_DEFECT="+defect), extraEnv...)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	err = cmd.Run()
	o := runOutcome{output: output.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		o.code = ee.ExitCode()
	} else if err != nil {
		o.err = fmt.Errorf("running %s: %w", runner, err)
		return o
	}
	if o.res, err = reports.Load(filepath.Join(dir, reports.ResultsFile)); err != nil {
		o.err = fmt.Errorf("runner wrote no readable results (exit %d): %w", o.code, err)
	}
	return o
}

// processRunning reports whether a process whose command line contains
// marker is running.
func processRunning(marker string) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(strings.ReplaceAll(string(b), "\x00", " "), marker) {
			return true
		}
	}
	return false
}

// parseDefects reads `cnab-ref defects`: name, profile, rules, summary,
// tab-separated.
func parseDefects(out string) ([]defectCase, error) {
	var ds []defectCase
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, fmt.Errorf("cnab-ref defects: cannot read line %q", line)
		}
		ds = append(ds, defectCase{name: f[0], profile: f[1], rules: strings.Split(f[2], ",")})
	}
	return ds, nil
}

func checkWhy(c reports.Check) string {
	if c.Failure != nil && c.Failure.Message != "" {
		return firstLine(c.Failure.Message)
	}
	return c.Reason
}

// tail keeps the end of the runner's output, where the summary is.
func tail(s string) string {
	const n = 6000
	if len(s) > n {
		return "...\n" + s[len(s)-n:]
	}
	return s
}

func dockerAvailable() error {
	c, err := docker.New(docker.ConfigFromEnv(nil))
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = c.Ping(ctx)
	return err
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// TestEveryCheckedRuleHasADefect keeps the promise that every check can be
// shown to fail: each rule ID a check judges is tripped by at least one
// reference-tool defect, which the matrix above then proves.
func TestEveryCheckedRuleHasADefect(t *testing.T) {
	tripped := map[string]bool{}
	for _, d := range defect.All() {
		for _, r := range d.Rules {
			tripped[r] = true
		}
	}
	var missing []string
	for _, c := range reports.EmbeddedCheckList().Checks {
		for _, r := range c.Rules {
			if !tripped[r] && !slices.Contains(missing, r) {
				missing = append(missing, r+" (check "+strconv.Quote(c.Name)+")")
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("rules judged by a check but tripped by no defect, so no test shows the check can fail:\n  %s", strings.Join(missing, "\n  "))
	}
}
