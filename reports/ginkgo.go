package reports

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// ModulePath is this project's Go module; the suite version is read from
// the build information of the binary that embeds it.
const ModulePath = "github.com/cnab-conformance/cnab-conformance"

// Harness errors. A check that fails because the harness broke (the tool
// could not be started at all, a registry would not start, a fixture could
// not be built) is an Error, not a Fail: it says nothing about the tool. The
// runner marks such failures by prefixing the failure message with
// HarnessPrefix (use HarnessFailure to build it) or by adding a report entry
// named HarnessErrorEntry.
const (
	HarnessPrefix     = "harness: "
	HarnessErrorEntry = "cnab-harness-error"
)

// HarnessFailure formats a failure message that FromGinkgo maps to Error:
// ginkgo.Fail(reports.HarnessFailure("cannot start %s: %v", tool, err)).
func HarnessFailure(format string, args ...any) string {
	return HarnessPrefix + fmt.Sprintf(format, args...)
}

// IsHarnessMessage reports whether a failure message carries the harness prefix.
func IsHarnessMessage(msg string) bool {
	return strings.HasPrefix(strings.TrimSpace(msg), strings.TrimSpace(HarnessPrefix))
}

// Label convention shared with the suites' Check helper: every check carries
// one label per rule ID, one for its level and one for its profile. Bare
// labels are accepted too: a catalogue ID is a rule, one of Profiles is a
// profile.
const (
	RuleLabelPrefix    = "rule:"
	LevelLabelPrefix   = "level:"
	ProfileLabelPrefix = "profile:"
)

// RunInfo is what the runner knows about the run that Ginkgo's report does
// not: the tool, registry and engine, and the secrets to redact.
type RunInfo struct {
	SpecVersion string
	Profiles    []string // profiles selected; empty means judge every profile that ran
	Tool        ToolInfo
	Registry    RegistryInfo
	Docker      *DockerInfo
	Notes       []string
	// Suite overrides the suite identity read from the build information
	// (tests set it to get stable output). ConformanceVersion defaults to
	// the embedded check list's.
	Suite SuiteInfo
	// RunID overrides the random run identifier.
	RunID string
	// Redactor removes secret values; nil still applies the pattern rules.
	Redactor *Redactor
	// SourceRoot, when set, makes code locations relative to it; otherwise
	// they keep their last two path elements (suites/registry_specs.go:42).
	SourceRoot string
	// OutputLimit caps the captured GinkgoWriter output kept per failed
	// check, in bytes (default 8 KiB, negative: none kept).
	OutputLimit int
}

// BuildSuiteInfo reads the suite's identity from the build information: the
// main module when this project is the main module, else the dependency
// on it (a tool author's own test binary).
func BuildSuiteInfo() SuiteInfo {
	s := SuiteInfo{Name: "cnab-conformance", Module: ModulePath, Version: "(devel)", GoVersion: runtime.Version(),
		GinkgoVersion: types.VERSION, ConformanceVersion: ConformanceVersion()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return s
	}
	if bi.Main.Path == ModulePath {
		if bi.Main.Version != "" {
			s.Version = bi.Main.Version
		}
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				s.Commit = kv.Value
			case "vcs.modified":
				s.Modified = kv.Value == "true"
			}
		}
		return s
	}
	for _, d := range bi.Deps {
		if d.Path == ModulePath {
			s.Version = d.Version
			if d.Replace != nil && d.Replace.Version != "" {
				s.Version = d.Replace.Version
			}
		}
	}
	return s
}

// FromGinkgo builds the results of a run from Ginkgo's report (as
// ReportAfterSuite receives it, or as decoded from --json-report).
//
// States map to outcomes as follows: passed is Pass; failed and timed out
// are Fail; panicked, interrupted and aborted are Error, and so is any
// failure marked as a harness failure; skipped with a message (Skip() was
// called, or an earlier spec of an ordered container failed) is Skip with
// the message as reason; skipped without a message is NotApplicable when
// the spec's sem-ver constraints exclude the spec version of the run
// (info.SpecVersion, else the report's sem-ver filter), else Disabled
// (filtered out by the user), or Error when the spec was selected but never
// ran because suite setup failed or the run was interrupted; pending is
// Disabled.
func FromGinkgo(report types.Report, info RunInfo) Results {
	suite := info.Suite
	if suite.Version == "" {
		suite = BuildSuiteInfo()
	}
	if suite.ConformanceVersion == "" {
		suite.ConformanceVersion = ConformanceVersion()
	}
	res := Results{
		SchemaVersion: SchemaVersion,
		RunID:         info.RunID,
		Suite:         suite,
		SpecVersion:   info.SpecVersion,
		Profiles:      SortProfiles(info.Profiles),
		LabelFilter:   report.SuiteConfig.LabelFilter,
		Tool:          info.Tool,
		Registry:      info.Registry,
		Docker:        info.Docker,
		Host:          HostInfo{OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU()},
		StartTime:     report.StartTime.UTC(),
		EndTime:       report.EndTime.UTC(),
		Notes:         slices.Clone(info.Notes),
		Checks:        []Check{},
	}
	if res.RunID == "" {
		res.RunID = newRunID()
	}
	if res.Profiles == nil {
		res.Profiles = []string{}
	}
	if res.EndTime.IsZero() || res.EndTime.Before(res.StartTime) {
		// ReportAfterSuite runs before Ginkgo stamps the end time.
		res.EndTime = time.Now().UTC()
	}
	m := mapper{info: info}

	// Why a selected spec may never have run.
	var notRun string
	for _, sr := range report.SpecReports {
		if sr.LeafNodeType.Is(types.NodeTypesForSuiteLevelNodes) && sr.State.Is(types.SpecStateFailureStates) {
			res.SuiteErrors = append(res.SuiteErrors, m.suiteError(sr))
			if sr.LeafNodeType.Is(types.NodeTypeBeforeSuite | types.NodeTypeSynchronizedBeforeSuite) {
				notRun = "not run: suite setup (" + sr.LeafNodeType.String() + ") failed"
			}
		}
	}
	for _, reason := range report.SpecialSuiteFailureReasons {
		res.SuiteErrors = append(res.SuiteErrors, SuiteError{Node: "suite", Message: reason, Harness: true})
		if notRun == "" {
			notRun = "not run: " + reason
		}
	}
	var labelFilter types.LabelFilter
	if report.SuiteConfig.LabelFilter != "" {
		labelFilter, _ = types.ParseLabelFilter(report.SuiteConfig.LabelFilter)
	}
	// The spec version the run claims, which decides what applies; a
	// report without one (decoded from --json-report) falls back to the
	// sem-ver filter Ginkgo applied.
	version := SpecSemVer(info.SpecVersion)
	if version == "" && strings.TrimSpace(info.SpecVersion) == "" {
		version = SpecSemVer(report.SuiteConfig.SemVerFilter)
	}
	semverFilter, _ := types.ParseSemVerFilter(report.SuiteConfig.SemVerFilter)

	for _, sr := range report.SpecReports {
		if !sr.LeafNodeType.Is(types.NodeTypeIt) {
			continue
		}
		c := m.check(sr)
		if c.Status == StatusDisabled && sr.State == types.SpecStateSkipped {
			constraints := slices.Concat(report.SuiteSemVerConstraints, sr.SemVerConstraints())
			if applies, known := appliesTo(constraints, version); known && !applies {
				// Not the user's doing: the rule does not hold in this
				// spec version, whatever else filtered the spec.
				c.Status, c.Reason = StatusNotApplicable, notApplicableReason(version, constraints)
			} else if notRun != "" {
				selected := labelFilter == nil || labelFilter(append(slices.Clone(report.SuiteLabels), sr.Labels()...))
				selected = selected && (semverFilter == nil || len(constraints) == 0 || semverFilter("", constraints))
				if selected {
					c.Status, c.Reason = StatusError, notRun
				}
			}
		}
		res.Checks = append(res.Checks, c)
	}
	uniqueNames(res.Checks)
	res.Finish()
	red := info.Redactor
	if red == nil {
		red = NewRedactor()
	}
	red.Results(&res)
	return res
}

type mapper struct{ info RunInfo }

func (m mapper) check(sr types.SpecReport) Check {
	c := Check{
		Name:     sr.FullText(),
		Location: m.location(sr.LeafNodeLocation),
		Start:    sr.StartTime.UTC(),
		Duration: sr.RunTime,
	}
	c.Rules, c.Level, c.Profile = ParseLabels(sr.Labels())
	harness := false
	for _, e := range sr.ReportEntries {
		switch e.Name {
		case EvidenceEntry:
			if ev, ok := evidenceOf(e); ok {
				c.Evidence = MergeEvidence(c.Evidence, ev)
			}
		case HarnessErrorEntry:
			harness = true
		}
	}
	msg := sr.Failure.Message
	if sr.State == types.SpecStatePanicked && sr.Failure.ForwardedPanic != "" {
		msg = strings.TrimSpace("panic: " + sr.Failure.ForwardedPanic + "\n" + msg)
	}
	harness = harness || IsHarnessMessage(msg)

	switch {
	case sr.State == types.SpecStatePassed:
		c.Status = StatusPass
	case sr.State == types.SpecStatePending:
		c.Status, c.Reason = StatusDisabled, "pending"
	case sr.State == types.SpecStateSkipped && msg == "":
		c.Status, c.Reason = StatusDisabled, "filtered out"
		c.Start, c.Duration = time.Time{}, 0
	case sr.State == types.SpecStateSkipped && harness:
		c.Status, c.Reason = StatusError, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(msg), strings.TrimSpace(HarnessPrefix)))
	case sr.State == types.SpecStateSkipped:
		c.Status, c.Reason = StatusSkip, strings.TrimSpace(msg)
	case sr.State.Is(types.SpecStatePanicked | types.SpecStateInterrupted | types.SpecStateAborted):
		c.Status, c.Reason = StatusError, sr.State.String()
	case harness:
		c.Status, c.Reason = StatusError, "harness failure"
	default: // failed, timed out
		c.Status = StatusFail
	}
	if c.Status == StatusFail || c.Status == StatusError {
		if msg != "" || sr.Failure.Location.FileName != "" {
			f := &Failure{Message: strings.TrimSpace(msg), Location: m.location(sr.Failure.Location)}
			if sr.Failure.FailureNodeContext != types.FailureNodeIsLeafNode && sr.Failure.FailureNodeType != types.NodeTypeInvalid {
				f.Node = sr.Failure.FailureNodeType.String()
			}
			for _, af := range sr.AdditionalFailures {
				f.Additional = append(f.Additional, strings.TrimSpace(af.State.String()+": "+af.Failure.Message))
			}
			c.Failure = f
		}
		c.Output = m.output(sr.CapturedGinkgoWriterOutput + sr.CapturedStdOutErr)
	}
	return c
}

func (m mapper) suiteError(sr types.SpecReport) SuiteError {
	msg := strings.TrimSpace(sr.Failure.Message)
	if sr.Failure.ForwardedPanic != "" {
		msg = strings.TrimSpace("panic: " + sr.Failure.ForwardedPanic + "\n" + msg)
	}
	if msg == "" {
		msg = sr.State.String()
	}
	harness := IsHarnessMessage(msg) || sr.State.Is(types.SpecStatePanicked|types.SpecStateInterrupted|types.SpecStateAborted)
	for _, e := range sr.ReportEntries {
		harness = harness || e.Name == HarnessErrorEntry
	}
	return SuiteError{Node: sr.LeafNodeType.String(), Message: msg, Location: m.location(sr.Failure.Location), Harness: harness}
}

// location renders a code location without this machine's directories.
func (m mapper) location(cl types.CodeLocation) string {
	if cl.FileName == "" {
		return ""
	}
	file := filepath.ToSlash(cl.FileName)
	if m.info.SourceRoot != "" {
		if rel, err := filepath.Rel(m.info.SourceRoot, cl.FileName); err == nil && !strings.HasPrefix(rel, "..") {
			file = filepath.ToSlash(rel)
		} else {
			file = lastElems(file, 2)
		}
	} else {
		file = lastElems(file, 2)
	}
	return fmt.Sprintf("%s:%d", file, cl.LineNumber)
}

func lastElems(p string, n int) string {
	parts := strings.Split(path.Clean(p), "/")
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return strings.Join(parts, "/")
}

// output keeps the tail of the captured output: the end is where it broke.
func (m mapper) output(s string) string {
	limit := m.info.OutputLimit
	if limit == 0 {
		limit = 8 << 10
	}
	s = strings.TrimSpace(s)
	if limit < 0 || s == "" {
		return ""
	}
	if len(s) > limit {
		s = "[... " + fmt.Sprint(len(s)-limit) + " bytes cut]\n" + s[len(s)-limit:]
	}
	return s
}

// ParseLabels reads a check's rule IDs, level and profile from its labels.
// The level is the catalogue level of the first rule, falling back to a
// level label when the rule is not in the catalogue.
func ParseLabels(labels []string) (rules []string, level, profile string) {
	rules = []string{}
	for _, l := range labels {
		switch {
		case strings.HasPrefix(l, RuleLabelPrefix):
			rules = appendUnique(rules, strings.TrimSpace(strings.TrimPrefix(l, RuleLabelPrefix)))
		case strings.HasPrefix(l, LevelLabelPrefix):
			level = strings.TrimSpace(strings.TrimPrefix(l, LevelLabelPrefix))
		case strings.HasPrefix(l, ProfileLabelPrefix):
			profile = strings.TrimSpace(strings.TrimPrefix(l, ProfileLabelPrefix))
		case slices.Contains(Profiles, l) && profile == "":
			profile = l
		default:
			if _, ok := catalog.Lookup(l); ok {
				rules = appendUnique(rules, l)
			}
		}
	}
	if len(rules) > 0 {
		if r, ok := catalog.Lookup(rules[0]); ok {
			level = string(r.Level)
		}
	}
	// Ginkgo labels cannot hold spaces well in filters; the suites may write
	// "MUST-NOT" or "MUST_NOT" for "MUST NOT".
	level = strings.NewReplacer("_", " ", "-", " ").Replace(level)
	return rules, level, profile
}

func appendUnique(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// evidenceOf decodes a report entry's value: the Evidence itself in the
// same process, JSON when the report crossed a process boundary.
func evidenceOf(e types.ReportEntry) (Evidence, bool) {
	switch v := e.GetRawValue().(type) {
	case Evidence:
		return v, true
	case *Evidence:
		if v != nil {
			return *v, true
		}
		return Evidence{}, false
	}
	data := []byte(e.Value.AsJSON)
	if len(data) == 0 {
		var err error
		if data, err = json.Marshal(e.GetRawValue()); err != nil {
			return Evidence{}, false
		}
	}
	var ev Evidence
	if err := json.Unmarshal(data, &ev); err != nil {
		return Evidence{}, false
	}
	return ev, true
}

// MergeEvidence adds b to a (which may be nil) and returns the result: lists
// are concatenated in order; a later probe observation replaces an earlier one.
func MergeEvidence(a *Evidence, b Evidence) *Evidence {
	if a == nil {
		a = &Evidence{}
	}
	a.Commands = append(a.Commands, b.Commands...)
	a.RegistryRequests = append(a.RegistryRequests, b.RegistryRequests...)
	a.ContainerCreates = append(a.ContainerCreates, b.ContainerCreates...)
	if len(b.Probe) > 0 {
		a.Probe = b.Probe
	}
	a.Notes = append(a.Notes, b.Notes...)
	return a
}

// uniqueNames keeps check names unique (a report joins on them) by
// numbering repeats; the golden check list test catches them earlier.
func uniqueNames(cs []Check) {
	seen := map[string]int{}
	for i := range cs {
		seen[cs[i].Name]++
		if n := seen[cs[i].Name]; n > 1 {
			cs[i].Name = fmt.Sprintf("%s (#%d)", cs[i].Name, n)
		}
	}
}

func newRunID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
