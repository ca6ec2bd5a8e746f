package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites"
)

func init() {
	commands.Add(cli.Command{
		Name:    "run",
		Summary: "run the conformance suites against a tool (exit 0 only when every selected MUST check that applies to the spec version passed)",
		Run:     runSuites,
	})
}

const runUsage = `usage: cnab-conformance run --tool PROFILE [flags] [-ginkgo.FLAG ...]

Drives the tool described by PROFILE (a YAML tool profile, see
fixtures/adapters/reference.yaml) through the selected profiles against two
local registries and the Docker engine, prints each check and the tool
commands it runs, writes results.json, junit.xml, report.html, summary.md,
badges and Ginkgo's own JSON and JUnit reports into the report dir, and exits
0 only when every selected MUST check that applies to the spec version passed
(1 otherwise, 2 on usage errors). Without Ginkgo filters, exit 0 means every
selected profile is certified. Checks whose rules do not hold in --spec are
NotApplicable: not run, and they do not block. Checks filtered out with
-ginkgo.label-filter, -ginkgo.focus and the like are Disabled: the exit status
judges what was selected, but such a run is never certified.

Ginkgo's flags pass through with their -ginkgo. prefix, for example
  -ginkgo.label-filter='G-201-06 || registry'   -ginkgo.focus=promote
  -ginkgo.sem-ver-filter=1.1.0   -ginkgo.json-report=FILE   -ginkgo.dry-run

Flags:
`

// runnerT is the minimal GinkgoTestingT: the verdict comes from the results,
// so it only records that Ginkgo saw a failure.
type runnerT struct{ failed bool }

func (t *runnerT) Fail() { t.failed = true }

func runSuites(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cnab-conformance run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, runUsage)
		fs.PrintDefaults()
	}
	def := suites.NewConfig()
	var (
		toolProfile = fs.String("tool", "", "tool profile (YAML) of the tool under test (required)")
		toolBinary  = fs.String("tool-binary", "", "executable to use instead of the one the profile names")
		profiles    = fs.String("profile", strings.Join(def.Profiles, ","), "comma-separated profiles to run: "+strings.Join(suites.AllProfiles, ", "))
		spec        = fs.String("spec", def.SpecVersion, "CNAB Core spec version to check against (1.0.0, 1.1.0, 1.2.0, main)")
		registry    = fs.String("registry", def.Registry, "'embedded' (two in-process recording registries) or HOST[:PORT] of an external registry")
		reportDir   = fs.String("report-dir", def.ReportDir, "directory for the reports ('none': write nothing)")
		timeout     = fs.Duration("timeout", def.Timeout, "default timeout of one tool command")
		privileged  = fs.String("docker-privileged", def.DockerPrivileged, "'record' (judge the privileged flag from the request and clear it before the engine sees it) or 'pass'")
		dockerHost  = fs.String("docker-host", "", "real Docker engine (default: $DOCKER_HOST or the default socket)")
		probeBinary = fs.String("probe-binary", "", "prebuilt static probe program (default: bin/cnab-probe if present, else built)")
		keepGoing   = fs.Bool("keep-going", false, "keep running a lifecycle after one of its checks fails")
		quiet       = fs.Bool("quiet", false, "one character per check instead of check-by-check progress")
	)
	ours, ginkgoArgs, err := splitGinkgoArgs(args)
	if err != nil {
		fmt.Fprintln(stderr, "cnab-conformance run:", err)
		return cli.ExitUsage
	}
	if err := fs.Parse(ours); err != nil {
		if err == flag.ErrHelp {
			return cli.ExitOK
		}
		return cli.ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cnab-conformance run: unexpected arguments %q\n", fs.Args())
		return cli.ExitUsage
	}
	if *toolProfile == "" {
		fmt.Fprintln(stderr, "cnab-conformance run: --tool PROFILE is required (try --tool fixtures/adapters/reference.yaml)")
		return cli.ExitUsage
	}
	// Ginkgo bound its flags to the process flag set; parse ours into it
	// without letting a typo exit the process.
	flag.CommandLine.Init("cnab-conformance run", flag.ContinueOnError)
	flag.CommandLine.SetOutput(stderr)
	if err := flag.CommandLine.Parse(ginkgoArgs); err != nil {
		return cli.ExitUsage
	}

	cfg := suites.Config{
		ToolProfile:      *toolProfile,
		ToolBinary:       *toolBinary,
		Profiles:         runSplitList(*profiles),
		SpecVersion:      *spec,
		Registry:         *registry,
		ReportDir:        *reportDir,
		Timeout:          *timeout,
		DockerHost:       *dockerHost,
		DockerPrivileged: *privileged,
		ProbeBinary:      *probeBinary,
		KeepGoing:        *keepGoing,
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(stderr, "cnab-conformance run:", err)
		return cli.ExitUsage
	}
	if _, err := os.Stat(cfg.ToolProfile); err != nil {
		fmt.Fprintln(stderr, "cnab-conformance run: tool profile:", err)
		return cli.ExitUsage
	}

	sc, rc := ginkgo.GinkgoConfiguration()
	if !*quiet && !rc.Succinct && !rc.Verbose && !rc.VeryVerbose {
		rc.Verbose = true // check by check, streaming the tool commands
	}
	sc.FailOnEmpty = true
	start := time.Now()
	t := &runnerT{}
	out := suites.Run(t, &cfg, sc, rc)
	if out.DryRun {
		n := 0
		for _, sr := range out.Report.SpecReports {
			if sr.LeafNodeType == types.NodeTypeIt {
				n++
			}
		}
		fmt.Fprintf(stdout, "\ndry run: %d checks listed, none run, no results written\n", n)
		return cli.ExitOK
	}
	printSummary(stdout, cfg, out, time.Since(start))
	if !out.Passed {
		return cli.ExitFindings
	}
	return cli.ExitOK
}

// splitGinkgoArgs separates -ginkgo.* flags (and their values) from ours.
func splitGinkgoArgs(args []string) (ours, gk []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name := strings.TrimLeft(a, "-")
		if !strings.HasPrefix(a, "-") || !strings.HasPrefix(name, "ginkgo.") {
			ours = append(ours, a)
			continue
		}
		gk = append(gk, a)
		if strings.Contains(name, "=") {
			continue
		}
		f := flag.CommandLine.Lookup(name)
		if f == nil {
			return nil, nil, fmt.Errorf("unknown Ginkgo flag %s", a)
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 >= len(args) {
			return nil, nil, fmt.Errorf("flag %s needs a value", a)
		}
		i++
		gk = append(gk, args[i])
	}
	return ours, gk, nil
}

func runSplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// printSummary is the closing block: verdict per profile, the checks that
// did not pass, where the reports are, how long it took.
func printSummary(w io.Writer, cfg suites.Config, out suites.Outcome, took time.Duration) {
	r := out.Results
	fmt.Fprintf(w, "\n=== CNAB conformance: %s %s, spec %s ===\n", r.Tool.Name, r.Tool.Version, cfg.SpecVersion)
	fmt.Fprintf(w, "checks: %d pass, %d fail, %d skip, %d disabled, %d error, %d not applicable to spec %s\n",
		r.Totals.Pass, r.Totals.Fail, r.Totals.Skip, r.Totals.Disabled, r.Totals.Error, r.Totals.NotApplicable, cfg.SpecVersion)
	for _, v := range r.Verdicts {
		state := "not certified"
		if v.Certified {
			state = "certified"
		}
		fmt.Fprintf(w, "  %-9s %d/%d MUST checks passed: %s\n", v.Profile, v.MustPassed, v.Must, state)
	}
	var notPassed []reports.Check
	for _, c := range r.Checks {
		if c.Status == reports.StatusFail || c.Status == reports.StatusError || c.Status == reports.StatusSkip {
			notPassed = append(notPassed, c)
		}
	}
	if len(notPassed) > 0 {
		fmt.Fprintln(w, "not passed:")
		for _, c := range notPassed {
			why := c.Reason
			if c.Failure != nil && c.Failure.Message != "" {
				why = c.Failure.Message
			}
			fmt.Fprintf(w, "  %-5s %-8s [%s] %s: %s\n", c.Status, c.Level, strings.Join(c.Rules, ","), c.Name, runFirstLine(why))
		}
	}
	for _, e := range r.SuiteErrors {
		fmt.Fprintf(w, "  suite error in %s: %s\n", e.Node, runFirstLine(e.Message))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if cfg.ReportDir != "none" {
		fmt.Fprintf(w, "reports: %s\n", cfg.ReportDir)
	}
	if out.Passed {
		if !r.Certified() {
			// Only the user's own filters get here (see suites.judge).
			fmt.Fprintf(w, "PASS, PARTIAL RUN: every selected MUST check passed, but %d check(s) were filtered out (Disabled), so this run is not a certification: see the verdicts above (%s)\n",
				r.Totals.Disabled, took.Round(100*time.Millisecond))
			return
		}
		fmt.Fprintf(w, "PASS: every selected MUST check passed; certified for spec %s (%s)\n", cfg.SpecVersion, took.Round(100*time.Millisecond))
		return
	}
	fmt.Fprintf(w, "FAIL (%s):\n", took.Round(100*time.Millisecond))
	for _, reason := range out.Reasons {
		fmt.Fprintf(w, "  %s\n", runFirstLine(reason))
	}
}

func runFirstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
