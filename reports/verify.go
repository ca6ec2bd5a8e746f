package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ProductFile is the submission's product description.
const ProductFile = "PRODUCT.yaml"

// Product is PRODUCT.yaml: who submits which tool, and which results.
type Product struct {
	Vendor           string   `yaml:"vendor" json:"vendor"`
	Name             string   `yaml:"name" json:"name"`
	Version          string   `yaml:"version" json:"version"`
	Type             string   `yaml:"type,omitempty" json:"type,omitempty"`
	Description      string   `yaml:"description,omitempty" json:"description,omitempty"`
	WebsiteURL       string   `yaml:"website_url" json:"website_url"`
	RepoURL          string   `yaml:"repo_url" json:"repo_url"`
	DocumentationURL string   `yaml:"documentation_url" json:"documentation_url"`
	ContactEmail     string   `yaml:"contact_email_address" json:"contact_email_address"`
	Profiles         []string `yaml:"profiles" json:"profiles"` // profiles claimed for certification
	SpecVersion      string   `yaml:"spec_version,omitempty" json:"spec_version,omitempty"`
	ResultsSHA256    string   `yaml:"results_sha256" json:"results_sha256"` // hex sha256 of results.json
}

// ProductTemplate returns a PRODUCT.yaml for a results file, with what the
// results say filled in and the rest left for the vendor.
func ProductTemplate(r Results, resultsJSON []byte) []byte {
	var profiles []string
	for _, v := range r.Verdicts {
		if v.Certified {
			profiles = append(profiles, v.Profile)
		}
	}
	if len(profiles) == 0 {
		profiles = BadgeProfiles(r)
	}
	p := Product{
		Vendor: "VENDOR", Name: r.Tool.Name, Version: r.Tool.Version, Type: "tool",
		Description: "ONE LINE ABOUT THE TOOL",
		WebsiteURL:  "https://example.com/", RepoURL: "https://example.com/repo", DocumentationURL: "https://example.com/docs",
		ContactEmail:  "conformance@example.com",
		Profiles:      profiles,
		SpecVersion:   r.SpecVersion,
		ResultsSHA256: SHA256(resultsJSON),
	}
	var buf bytes.Buffer
	buf.WriteString("# CNAB conformance submission. Replace the placeholders; keep results_sha256 as computed.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	_ = enc.Encode(p) // a struct of strings always encodes
	_ = enc.Close()
	return buf.Bytes()
}

// SHA256 is the hex digest recorded in PRODUCT.yaml.
func SHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Requirement is one numbered condition a submission must meet. The
// numbers are permanent: a verifier message names them, and VERIFY.md
// documents them.
type Requirement struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Requirements, in the order they are checked.
var Requirements = []Requirement{
	{"R1", "the submission folder holds PRODUCT.yaml, results.json, junit.xml and report.html"},
	{"R2", "the folder holds no other files than PRODUCT.yaml, README.md, results.json, junit.xml, report.html, summary.md and badge-*.svg"},
	{"R3", "PRODUCT.yaml is YAML and names vendor, name, version, website_url, repo_url, documentation_url, contact_email_address, profiles and results_sha256"},
	{"R4", "PRODUCT.yaml's URLs are absolute http(s) URLs, its contact is an e-mail address, and its profiles are profiles of the suite"},
	{"R5", "the sha256 of results.json equals PRODUCT.yaml's results_sha256"},
	{"R6", "results.json is valid against the results schema"},
	{"R7", "the suite version that produced the results is supported (conformance version and results schema major version)"},
	{"R8", "results.json is about the product: tool name and version (and spec version, when given) match PRODUCT.yaml"},
	{"R9", "every claimed profile was selected in the run and has a verdict"},
	{"R10", "every MUST check of the claimed profiles in the suite's check list is in results.json"},
	{"R11", "every MUST check of the claimed profiles passed, with no skip, disabled check or error, and the run had no suite error; a check may be NotApplicable only when the catalogue says its rule does not hold in the run's spec version"},
	{"R12", "the verdicts recorded in results.json agree with its checks, and each claimed profile is certified"},
	{"R13", "junit.xml agrees with results.json: same run, same checks, same outcomes"},
	{"R14", "report.html is the self-contained report of the same run"},
}

// Requirement outcomes.
const (
	ReqOK         = "ok"
	ReqFailed     = "failed"
	ReqNotChecked = "not checked" // an earlier requirement it depends on failed
)

// RequirementResult is the outcome of one requirement.
type RequirementResult struct {
	Requirement
	Status   string   `json:"status"`
	Messages []string `json:"messages,omitempty"`
}

// Verification is the outcome of checking one submission.
type Verification struct {
	Dir          string              `json:"dir"`
	Verified     bool                `json:"verified"`
	Requirements []RequirementResult `json:"requirements"`
}

// Failed returns the requirements that failed.
func (v Verification) Failed() []RequirementResult {
	var out []RequirementResult
	for _, r := range v.Requirements {
		if r.Status == ReqFailed {
			out = append(out, r)
		}
	}
	return out
}

// VerifyOptions configure VerifySubmission.
type VerifyOptions struct {
	// CheckList is the suite's golden check list; nil means the embedded one.
	CheckList *CheckList
}

var allowedExtra = regexp.MustCompile(`^(README\.md|summary\.md|badge-[a-z0-9][a-z0-9-]*\.svg)$`)

// VerifySubmission checks a certification submission folder against
// Requirements. The error is for a folder that cannot be read at all;
// every problem with its content is a failed requirement.
func VerifySubmission(dir string, opts VerifyOptions) (Verification, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return Verification{}, err
	}
	if !info.IsDir() {
		return Verification{}, fmt.Errorf("%s is not a directory", dir)
	}
	list := opts.CheckList
	if list == nil {
		l := EmbeddedCheckList()
		list = &l
	}
	v := &verifier{dir: dir, list: *list, out: map[string]*RequirementResult{}}
	for _, r := range Requirements {
		v.out[r.ID] = &RequirementResult{Requirement: r, Status: ReqOK}
	}
	v.run()
	res := Verification{Dir: dir, Verified: true}
	for _, r := range Requirements {
		rr := *v.out[r.ID]
		if rr.Status != ReqOK {
			res.Verified = false
		}
		res.Requirements = append(res.Requirements, rr)
	}
	return res, nil
}

type verifier struct {
	dir  string
	list CheckList
	out  map[string]*RequirementResult

	product     *Product
	resultsRaw  []byte
	results     *Results
	junitRaw    []byte
	htmlRaw     []byte
	productRead bool
}

func (v *verifier) fail(id, format string, args ...any) {
	r := v.out[id]
	r.Status = ReqFailed
	r.Messages = append(r.Messages, fmt.Sprintf(format, args...))
}

func (v *verifier) skip(because string, ids ...string) {
	for _, id := range ids {
		if r := v.out[id]; r.Status == ReqOK {
			r.Status = ReqNotChecked
			r.Messages = append(r.Messages, "not checked: "+because)
		}
	}
}

func (v *verifier) read(name string) []byte {
	b, err := os.ReadFile(filepath.Join(v.dir, name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			v.fail("R1", "%s is missing", name)
		} else {
			v.fail("R1", "%s cannot be read: %v", name, err)
		}
		return nil
	}
	return b
}

func (v *verifier) run() {
	// R1, R2: files.
	productRaw := v.read(ProductFile)
	v.resultsRaw = v.read(ResultsFile)
	v.junitRaw = v.read(JUnitFile)
	v.htmlRaw = v.read(HTMLFile)
	entries, err := os.ReadDir(v.dir)
	if err != nil {
		v.fail("R2", "cannot list the folder: %v", err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
			v.fail("R2", "unexpected folder %s/", name)
		case name == ProductFile || name == ResultsFile || name == JUnitFile || name == HTMLFile || allowedExtra.MatchString(name):
		default:
			v.fail("R2", "unexpected file %s", name)
		}
	}

	// R3, R4: PRODUCT.yaml.
	if productRaw != nil {
		v.checkProduct(productRaw)
	} else {
		v.skip(ProductFile+" is missing", "R3", "R4", "R5", "R8", "R9", "R10", "R11", "R12")
	}

	// R5: the digest, before anything reads results.json's content.
	if v.product != nil && v.resultsRaw != nil {
		got := SHA256(v.resultsRaw)
		if want := strings.ToLower(strings.TrimSpace(v.product.ResultsSHA256)); want != got {
			v.fail("R5", "results.json has sha256 %s, PRODUCT.yaml records %s", got, orDash(want))
		}
	} else if v.resultsRaw == nil {
		v.skip("results.json is missing", "R5")
	} else {
		v.skip("PRODUCT.yaml is unusable", "R5")
	}

	// R6, R7: results.json itself.
	if v.resultsRaw == nil {
		v.skip("results.json is missing", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14")
		return
	}
	r, err := Parse(v.resultsRaw)
	if err != nil {
		var se *SchemaError
		if errors.As(err, &se) {
			for _, p := range limit(se.Problems, 10) {
				v.fail("R6", "%s", p)
			}
		} else {
			v.fail("R6", "%v", err)
		}
		v.skip("results.json is not valid", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14")
		return
	}
	v.results = &r
	if !slices.Contains(v.list.Supported, r.Suite.ConformanceVersion) {
		v.fail("R7", "results come from conformance version %s; supported: %s (suite %s)", r.Suite.ConformanceVersion, strings.Join(v.list.Supported, ", "), r.Suite.Version)
	}
	if major, _, _ := strings.Cut(r.SchemaVersion, "."); major != strings.Split(SchemaVersion, ".")[0] {
		v.fail("R7", "results schema %s is not supported (want %s.x)", r.SchemaVersion, major)
	}

	if v.product != nil {
		v.checkProductMatches(r)
	}
	v.checkJUnit(r)
	v.checkHTML(r)
}

func (v *verifier) checkProduct(raw []byte) {
	var p Product
	if err := yaml.Unmarshal(raw, &p); err != nil {
		v.fail("R3", "PRODUCT.yaml is not YAML: %v", err)
		v.skip("PRODUCT.yaml is unusable", "R4", "R8", "R9", "R10", "R11", "R12")
		return
	}
	required := []struct{ key, val string }{
		{"vendor", p.Vendor}, {"name", p.Name}, {"version", p.Version}, {"website_url", p.WebsiteURL},
		{"repo_url", p.RepoURL}, {"documentation_url", p.DocumentationURL}, {"contact_email_address", p.ContactEmail},
		{"results_sha256", p.ResultsSHA256},
	}
	for _, f := range required {
		if strings.TrimSpace(f.val) == "" {
			v.fail("R3", "PRODUCT.yaml lacks %s", f.key)
		}
	}
	if len(p.Profiles) == 0 {
		v.fail("R3", "PRODUCT.yaml lacks profiles (the profiles claimed for certification)")
	}
	for _, f := range []struct{ key, val string }{{"website_url", p.WebsiteURL}, {"repo_url", p.RepoURL}, {"documentation_url", p.DocumentationURL}} {
		if f.val == "" {
			continue
		}
		u, err := url.Parse(f.val)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.fail("R4", "%s %q is not an absolute http(s) URL", f.key, f.val)
		}
	}
	if p.ContactEmail != "" {
		if a, err := mail.ParseAddress(p.ContactEmail); err != nil || a.Name != "" || !strings.Contains(a.Address, ".") {
			v.fail("R4", "contact_email_address %q is not a plain e-mail address", p.ContactEmail)
		}
	}
	known := v.knownProfiles()
	for _, prof := range p.Profiles {
		if !slices.Contains(known, prof) {
			v.fail("R4", "profile %q is not a profile of the suite (known: %s)", prof, strings.Join(known, ", "))
		}
	}
	if p.ResultsSHA256 != "" && !regexp.MustCompile(`^[0-9a-fA-F]{64}$`).MatchString(strings.TrimSpace(p.ResultsSHA256)) {
		v.fail("R4", "results_sha256 %q is not a hex sha256", p.ResultsSHA256)
	}
	v.product = &p
}

func (v *verifier) knownProfiles() []string {
	known := slices.Clone(Profiles)
	for _, c := range v.list.Checks {
		if !slices.Contains(known, c.Profile) {
			known = append(known, c.Profile)
		}
	}
	return known
}

func (v *verifier) checkProductMatches(r Results) {
	p := v.product
	if p.Name != "" && p.Name != r.Tool.Name {
		v.fail("R8", "PRODUCT.yaml names %q, results.json tested %q", p.Name, r.Tool.Name)
	}
	if p.Version != "" && p.Version != r.Tool.Version {
		v.fail("R8", "PRODUCT.yaml has version %q, results.json tested version %q", p.Version, r.Tool.Version)
	}
	if p.SpecVersion != "" && p.SpecVersion != r.SpecVersion {
		v.fail("R8", "PRODUCT.yaml claims spec %q, results.json ran against %q", p.SpecVersion, r.SpecVersion)
	}

	for _, prof := range p.Profiles {
		if len(r.Profiles) > 0 && !slices.Contains(r.Profiles, prof) {
			v.fail("R9", "profile %s was not selected in the run (selected: %s)", prof, strings.Join(r.Profiles, ", "))
		} else if _, ok := r.Verdict(prof); !ok {
			v.fail("R9", "profile %s has no verdict in results.json", prof)
		}
	}

	// R10: completeness against the golden list, when the results come from it.
	if r.Suite.ConformanceVersion != v.list.ConformanceVersion {
		v.skip(fmt.Sprintf("the check list of conformance version %s is not built in", r.Suite.ConformanceVersion), "R10")
	} else {
		have := map[string]Check{}
		for _, c := range r.Checks {
			have[c.Name] = c
		}
		var missing []string
		for _, d := range v.list.Must(p.Profiles...) {
			if _, ok := have[d.Name]; !ok {
				missing = append(missing, d.Name)
			}
		}
		if len(missing) > 0 {
			v.fail("R10", "%s of the claimed profiles missing from results.json: %s", plural(len(missing), "MUST check"), strings.Join(limit(missing, 10), "; "))
		}
	}

	// R11: every MUST check of the claimed profiles passed, except those
	// whose rule does not hold in the spec version of the run; that claim is
	// checked against the catalogue, so an edited status does not pass.
	for _, c := range r.Checks {
		if c.Status == StatusNotApplicable && slices.Contains(p.Profiles, c.Profile) && c.Mandatory() {
			if CatalogueApplies(c.Rules, r.SpecVersion) {
				v.fail("R11", "check %q (%s) is NotApplicable, but its rule holds in spec version %s", c.Name, strings.Join(c.Rules, ", "), orDash(r.SpecVersion))
			}
			continue
		}
		if slices.Contains(p.Profiles, c.Profile) && c.Mandatory() && c.Status != StatusPass {
			msg := c.Reason
			if c.Failure != nil && c.Failure.Message != "" {
				msg = headline(c.Failure.Message)
			}
			v.fail("R11", "%s check %q (%s): %s", c.Status, c.Name, strings.Join(c.Rules, ", "), msg)
		}
	}
	for _, e := range r.SuiteErrors {
		v.fail("R11", "suite error in %s: %s", e.Node, headline(e.Message))
	}
	if r := v.out["R11"]; len(r.Messages) > 25 {
		n := len(r.Messages)
		r.Messages = append(r.Messages[:25], fmt.Sprintf("... and %d more", n-25))
	}

	// R12: the recorded verdicts are the ones the checks give.
	for _, prof := range p.Profiles {
		rec, ok := r.Verdict(prof)
		if !ok {
			continue // R9
		}
		want := Judge(prof, r.Checks, r.SuiteErrors)
		if rec.Certified != want.Certified || rec.Must != want.Must || rec.MustPassed != want.MustPassed || rec.Counts != want.Counts {
			v.fail("R12", "profile %s: recorded verdict (certified=%v, MUST %d/%d) does not follow from its checks (certified=%v, MUST %d/%d)",
				prof, rec.Certified, rec.MustPassed, rec.Must, want.Certified, want.MustPassed, want.Must)
		} else if !rec.Certified {
			v.fail("R12", "profile %s is not certified: %s", prof, strings.Join(rec.Reasons, "; "))
		}
	}
	var totals Counts
	for _, c := range r.Checks {
		totals.Add(c.Status)
	}
	if totals != r.Totals {
		v.fail("R12", "recorded totals %+v do not match the checks %+v", r.Totals, totals)
	}
}

func (v *verifier) checkJUnit(r Results) {
	if v.junitRaw == nil {
		v.skip("junit.xml is missing", "R13")
		return
	}
	j, err := ParseJUnit(v.junitRaw)
	if err != nil {
		v.fail("R13", "junit.xml: %v", err)
		return
	}
	cases := map[string]JUnitTestCase{}
	var dup []string
	otherRun := ""
	for _, ts := range j.TestSuites {
		if ts.Name == "suite" {
			continue
		}
		for _, p := range ts.Properties {
			if p.Name == "runId" && p.Value != r.RunID && otherRun == "" {
				otherRun = p.Value
				v.fail("R13", "junit.xml is from run %s, results.json from run %s", p.Value, r.RunID)
			}
		}
		for _, tc := range ts.TestCases {
			if _, ok := cases[tc.Name]; ok {
				dup = append(dup, tc.Name)
			}
			cases[tc.Name] = tc
		}
	}
	for _, d := range dup {
		v.fail("R13", "junit.xml lists %q twice", d)
	}
	var diffs []string
	for _, c := range r.Checks {
		tc, ok := cases[c.Name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%q is in results.json but not in junit.xml", c.Name))
			continue
		}
		delete(cases, c.Name)
		want := c.Status
		if want == StatusDisabled || want == StatusNotApplicable {
			want = StatusSkip
		}
		if got := tc.ElementStatus(); got != want {
			diffs = append(diffs, fmt.Sprintf("%q is %s in results.json but %s in junit.xml", c.Name, c.Status, got))
		} else if s := tc.CaseStatus(); s != c.Status {
			diffs = append(diffs, fmt.Sprintf("%q is %s in results.json but %s in junit.xml", c.Name, c.Status, s))
		}
	}
	extra := make([]string, 0, len(cases))
	for name := range cases {
		extra = append(extra, name)
	}
	sort.Strings(extra)
	for _, name := range extra {
		diffs = append(diffs, fmt.Sprintf("%q is in junit.xml but not in results.json", name))
	}
	for _, d := range limit(diffs, 20) {
		v.fail("R13", "%s", d)
	}
}

var (
	htmlRunMeta  = regexp.MustCompile(`<meta name="` + HTMLRunMeta + `" content="([^"]*)">`)
	htmlExternal = regexp.MustCompile(`(?i)<script|<link[^>]+stylesheet|\ssrc=["']?https?:|url\(\s*["']?https?:|@import`)
)

func (v *verifier) checkHTML(r Results) {
	if v.htmlRaw == nil {
		v.skip("report.html is missing", "R14")
		return
	}
	m := htmlRunMeta.FindSubmatch(v.htmlRaw)
	switch {
	case m == nil:
		v.fail("R14", "report.html carries no run ID (is it a cnab-conformance report?)")
	case string(m[1]) != r.RunID:
		v.fail("R14", "report.html is from run %s, results.json from run %s", m[1], r.RunID)
	}
	if loc := htmlExternal.Find(v.htmlRaw); loc != nil {
		v.fail("R14", "report.html is not self-contained: it has %q", loc)
	}
}

// WriteSubmission writes a certification submission for r into dir: the
// report files verification needs and PRODUCT.yaml, with results_sha256 set
// to the digest of the results.json written. The self-test uses it to
// check that a run of the reference tool verifies.
func WriteSubmission(dir string, r Results, p Product) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	raw, err := Marshal(r)
	if err != nil {
		return err
	}
	for _, f := range []struct{ name, format string }{{JUnitFile, "junit"}, {HTMLFile, "html"}} {
		if err := writeFile(filepath.Join(dir, f.name), func(w io.Writer) error { return Render(w, r, f.format, "") }); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ResultsFile), raw, 0o644); err != nil {
		return err
	}
	p.ResultsSHA256 = SHA256(raw)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ProductFile), buf.Bytes(), 0o644)
}
