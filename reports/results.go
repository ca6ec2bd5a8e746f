package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// SchemaVersion is the version of the results.json format (results.schema.json).
// A change that removes or renames a field, or changes a field's meaning,
// bumps the major version; adding an optional field bumps the minor version.
//
// 1.1.0 added the NotApplicable status and the notApplicable count.
const SchemaVersion = "1.1.0"

// Status is the outcome of one check.
type Status string

// The outcomes, as the design defines them.
const (
	StatusPass     Status = "Pass"
	StatusFail     Status = "Fail"     // the tool broke a rule
	StatusSkip     Status = "Skip"     // the tool does not declare the capability; Reason says why
	StatusDisabled Status = "Disabled" // the user turned the check off (filtered out)
	StatusError    Status = "Error"    // the harness itself broke; says nothing about the tool
	// StatusNotApplicable: the check's rule does not hold in the spec
	// version the run checked against (its sem-ver constraint excludes it),
	// so it was not run. It is not a pass, but it does not block the
	// certification of that spec version either.
	StatusNotApplicable Status = "NotApplicable"
)

// Statuses lists every status in report order (worst first).
var Statuses = []Status{StatusFail, StatusError, StatusSkip, StatusDisabled, StatusNotApplicable, StatusPass}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Profiles are the suite's profiles in report order. Checks of other
// profiles (a tool author's own) sort after these, by name.
var Profiles = []string{"smoke", "registry", "runtime", "archive"}

// Results is one conformance run: the content of results.json.
type Results struct {
	SchemaVersion string        `json:"schemaVersion"`
	RunID         string        `json:"runId"` // also stamped into report.html, so a submission's files can be matched
	Suite         SuiteInfo     `json:"suite"`
	SpecVersion   string        `json:"specVersion"`
	Profiles      []string      `json:"profiles"` // profiles selected for the run
	LabelFilter   string        `json:"labelFilter,omitempty"`
	Tool          ToolInfo      `json:"tool"`
	Registry      RegistryInfo  `json:"registry"`
	Docker        *DockerInfo   `json:"docker,omitempty"` // nil when no runtime profile ran
	Host          HostInfo      `json:"host"`
	StartTime     time.Time     `json:"startTime"`
	EndTime       time.Time     `json:"endTime"`
	Verdicts      []Verdict     `json:"verdicts"`
	Totals        Counts        `json:"totals"`
	SuiteErrors   []SuiteError  `json:"suiteErrors,omitempty"`
	Checks        []Check       `json:"checks"`
	Notes         []string      `json:"notes,omitempty"` // run-wide notes (e.g. privileged flag neutralised)
	Duration      time.Duration `json:"duration"`        // nanoseconds
}

// SuiteInfo identifies the suite that produced the results.
type SuiteInfo struct {
	Name               string `json:"name"`
	Module             string `json:"module"`
	Version            string `json:"version"` // module version, "(devel)" for a local build
	Commit             string `json:"commit,omitempty"`
	Modified           bool   `json:"modified,omitempty"` // built from a work tree with uncommitted changes
	GoVersion          string `json:"goVersion,omitempty"`
	GinkgoVersion      string `json:"ginkgoVersion,omitempty"`
	ConformanceVersion string `json:"conformanceVersion"` // version of the check list (conformance.yaml)
}

// ToolInfo is the tool under test.
type ToolInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Profile string `json:"profile,omitempty"` // the tool profile (adapter) used, e.g. "reference"
}

// RegistryInfo is the registry the registry checks ran against.
type RegistryInfo struct {
	Kind     string `json:"kind"` // e.g. "distribution (embedded)" or "external"
	Version  string `json:"version,omitempty"`
	External bool   `json:"external,omitempty"`
	Host     string `json:"host,omitempty"` // only for an external registry
}

// DockerInfo is the engine the runtime checks ran against.
type DockerInfo struct {
	Version        string `json:"version"`
	APIVersion     string `json:"apiVersion,omitempty"`
	OS             string `json:"os,omitempty"`
	PrivilegedMode string `json:"privilegedMode,omitempty"` // "pass" (forwarded) or "record" (judged from the request, neutralised before forwarding)
}

// HostInfo is the machine the suite ran on.
type HostInfo struct {
	OS   string `json:"os"`
	Arch string `json:"arch"`
	CPUs int    `json:"cpus,omitempty"`
}

// Check is the outcome of one spec.
type Check struct {
	Name     string        `json:"name"` // stable: container texts and the spec text, no labels or node types
	Rules    []string      `json:"rules"`
	Level    string        `json:"level"` // RFC 2119 level of the first rule
	Profile  string        `json:"profile"`
	Status   Status        `json:"status"`
	Reason   string        `json:"reason,omitempty"`   // for Skip, Disabled and Error
	Location string        `json:"location,omitempty"` // where the check is declared (file:line)
	Start    time.Time     `json:"startTime,omitzero"`
	Duration time.Duration `json:"duration"` // nanoseconds
	Failure  *Failure      `json:"failure,omitempty"`
	Evidence *Evidence     `json:"evidence,omitempty"`
	Output   string        `json:"output,omitempty"` // GinkgoWriter output excerpt, for Fail and Error only
}

// Mandatory reports whether the check's level makes it a certification requirement.
func (c Check) Mandatory() bool { return catalog.Level(c.Level).Mandatory() }

// Failure is why a check failed or errored.
type Failure struct {
	Message    string   `json:"message"`
	Location   string   `json:"location,omitempty"` // file:line of the failing assertion
	Node       string   `json:"node,omitempty"`     // Ginkgo node the failure happened in, when not the check itself
	Additional []string `json:"additional,omitempty"`
}

// SuiteError is a failure outside any check: suite setup or teardown, an
// interrupt, a timeout. Any suite error blocks certification.
type SuiteError struct {
	Node     string `json:"node"` // e.g. "BeforeSuite", "AfterSuite", "suite"
	Message  string `json:"message"`
	Location string `json:"location,omitempty"`
	Harness  bool   `json:"harness,omitempty"` // the harness broke (as opposed to the tool)
}

// Counts tallies checks by status.
type Counts struct {
	Total    int `json:"total"`
	Pass     int `json:"pass"`
	Fail     int `json:"fail"`
	Skip     int `json:"skip"`
	Disabled int `json:"disabled"`
	Error    int `json:"error"`
	// NotApplicable counts checks whose rule does not hold in the run's
	// spec version (schema 1.1.0; absent from older results, read as 0).
	NotApplicable int `json:"notApplicable"`
}

// Add counts one check of status s.
func (c *Counts) Add(s Status) {
	c.Total++
	switch s {
	case StatusPass:
		c.Pass++
	case StatusFail:
		c.Fail++
	case StatusSkip:
		c.Skip++
	case StatusDisabled:
		c.Disabled++
	case StatusError:
		c.Error++
	case StatusNotApplicable:
		c.NotApplicable++
	}
}

// Of returns the count for status s.
func (c Counts) Of(s Status) int {
	switch s {
	case StatusPass:
		return c.Pass
	case StatusFail:
		return c.Fail
	case StatusSkip:
		return c.Skip
	case StatusDisabled:
		return c.Disabled
	case StatusError:
		return c.Error
	case StatusNotApplicable:
		return c.NotApplicable
	}
	return 0
}

// Verdict is the certification outcome of one profile.
type Verdict struct {
	Profile    string   `json:"profile"`
	Certified  bool     `json:"certified"`
	Must       int      `json:"must"`       // MUST-level checks in the profile that apply to the spec version
	MustPassed int      `json:"mustPassed"` // of those, how many passed
	Counts     Counts   `json:"counts"`     // every check of the profile
	Reasons    []string `json:"reasons,omitempty"`
}

// Verdict returns the verdict of profile p, and false when p was not judged.
func (r Results) Verdict(p string) (Verdict, bool) {
	for _, v := range r.Verdicts {
		if v.Profile == p {
			return v, true
		}
	}
	return Verdict{}, false
}

// Certified reports whether every judged profile is certified (and at least one was).
func (r Results) Certified() bool {
	if len(r.Verdicts) == 0 {
		return false
	}
	for _, v := range r.Verdicts {
		if !v.Certified {
			return false
		}
	}
	return true
}

// Failing returns the checks that failed or errored, in report order.
func (r Results) Failing() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == StatusFail || c.Status == StatusError {
			out = append(out, c)
		}
	}
	return out
}

// Judge computes the verdict of one profile from the checks: certified only
// when the profile has MUST checks that apply to the spec version, every one
// of them passed, and the run had no suite error. Skip, Disabled and Error
// all block, so a skip never reads as a pass. NotApplicable checks (the rule
// does not hold in the spec version checked) neither pass nor block: they
// are left out of Must and counted apart.
func Judge(profile string, checks []Check, suiteErrors []SuiteError) Verdict {
	v := Verdict{Profile: profile}
	var failed, skipped, disabled, errored []string
	notApplicable := 0
	for _, c := range checks {
		if c.Profile != profile {
			continue
		}
		v.Counts.Add(c.Status)
		if !c.Mandatory() {
			continue
		}
		if c.Status == StatusNotApplicable {
			notApplicable++
			continue
		}
		v.Must++
		switch c.Status {
		case StatusPass:
			v.MustPassed++
		case StatusFail:
			failed = append(failed, c.Name)
		case StatusSkip:
			skipped = append(skipped, c.Name)
		case StatusDisabled:
			disabled = append(disabled, c.Name)
		default:
			errored = append(errored, c.Name)
		}
	}
	add := func(names []string, what string) {
		if len(names) > 0 {
			v.Reasons = append(v.Reasons, fmt.Sprintf("%s %s: %s", plural(len(names), "MUST check"), what, strings.Join(limit(names, 5), "; ")))
		}
	}
	add(failed, "failed")
	add(errored, "errored (harness)")
	add(skipped, "skipped")
	add(disabled, "disabled")
	if v.Must == 0 {
		if notApplicable > 0 {
			v.Reasons = append(v.Reasons, fmt.Sprintf("no MUST check of this profile applies to the spec version (%s)", plural(notApplicable, "MUST check")+" not applicable"))
		} else {
			v.Reasons = append(v.Reasons, "no MUST check of this profile is in the run")
		}
	}
	for _, e := range suiteErrors {
		v.Reasons = append(v.Reasons, fmt.Sprintf("suite error in %s: %s", e.Node, headline(e.Message)))
	}
	v.Certified = len(v.Reasons) == 0
	return v
}

// Finish fills in what is derived from the checks: check order, verdicts
// for the selected profiles (or every profile with a check that ran or was
// skipped, when none was selected) and totals.
func (r *Results) Finish() {
	r.Checks = slices.Clone(r.Checks) // sorted below; never reorder a caller's slice
	sortChecks(r.Checks)
	profiles := r.Profiles
	if len(profiles) == 0 {
		seen := map[string]bool{}
		for _, c := range r.Checks {
			if c.Status != StatusDisabled && c.Status != StatusNotApplicable && c.Profile != "" && !seen[c.Profile] {
				seen[c.Profile] = true
				profiles = append(profiles, c.Profile)
			}
		}
	}
	profiles = SortProfiles(profiles)
	r.Verdicts = make([]Verdict, 0, len(profiles)) // never reuse: results are copied by value
	for _, p := range profiles {
		r.Verdicts = append(r.Verdicts, Judge(p, r.Checks, r.SuiteErrors))
	}
	r.Totals = Counts{}
	for _, c := range r.Checks {
		r.Totals.Add(c.Status)
	}
	if !r.EndTime.IsZero() && !r.StartTime.IsZero() {
		r.Duration = r.EndTime.Sub(r.StartTime)
	}
}

// SortProfiles returns profiles without duplicates, the suite's own in
// Profiles order first, then the rest by name.
func SortProfiles(profiles []string) []string {
	out := slices.Clone(profiles)
	slices.SortFunc(out, func(a, b string) int { return compareProfiles(a, b) })
	return slices.Compact(out)
}

func profileRank(p string) int {
	if i := slices.Index(Profiles, p); i >= 0 {
		return i
	}
	return len(Profiles)
}

func compareProfiles(a, b string) int {
	if ra, rb := profileRank(a), profileRank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

// sortChecks orders checks by profile, then where they are declared, then
// name: stable across runs whatever order Ginkgo ran them in.
func sortChecks(cs []Check) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if c := compareProfiles(a.Profile, b.Profile); c != 0 {
			return c < 0
		}
		fa, la := splitLocation(a.Location)
		fb, lb := splitLocation(b.Location)
		if fa != fb {
			return fa < fb
		}
		if la != lb {
			return la < lb
		}
		return a.Name < b.Name
	})
}

func splitLocation(loc string) (string, int) {
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return loc, 0
	}
	n := 0
	for _, ch := range loc[i+1:] {
		if ch < '0' || ch > '9' {
			return loc, 0
		}
		n = n*10 + int(ch-'0')
	}
	return loc[:i], n
}

// Marshal encodes results as indented JSON with a final newline, the form
// written to results.json.
func Marshal(r Results) ([]byte, error) {
	// Lists the schema requires are written as [], never null.
	if r.Profiles == nil {
		r.Profiles = []string{}
	}
	if r.Verdicts == nil {
		r.Verdicts = []Verdict{}
	}
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	for i := range r.Checks {
		if r.Checks[i].Rules == nil {
			r.Checks = slices.Clone(r.Checks)
			for j := range r.Checks {
				if r.Checks[j].Rules == nil {
					r.Checks[j].Rules = []string{}
				}
			}
			break
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode results: %w", err)
	}
	return buf.Bytes(), nil
}

// Parse validates data against the results schema and decodes it.
func Parse(data []byte) (Results, error) {
	if err := ValidateJSON(data); err != nil {
		return Results{}, err
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return Results{}, fmt.Errorf("decode results: %w", err)
	}
	return r, nil
}

// Load reads and parses a results.json file.
func Load(path string) (Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Results{}, err
	}
	r, err := Parse(data)
	if err != nil {
		return Results{}, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// limit keeps the first n names and says how many more there were.
func limit(names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	return append(slices.Clone(names[:n]), fmt.Sprintf("and %d more", len(names)-n))
}

// headline condenses a message for one-line lists: whitespace (line
// breaks included, since checks often start with a short "what:" line)
// collapsed, cut at 200 characters.
func headline(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + " ..."
	}
	return s
}
