package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// Enforcement names, as the coverage table prints them.
const (
	BySchema      = "schema"
	ByValidator   = "validator"
	BySuite       = "suite"
	NotTestable   = "not testable" // informative text: nothing to check
	NotCovered    = "not covered"  // normative, but nothing checks it yet
	ValidatorPend = "pending"      // the validator's rule list was not available
)

// CoverageInput is what coverage is computed from.
type CoverageInput struct {
	Rules []catalog.Rule
	// ValidatorRules are the rule IDs the validator can report; nil means
	// unknown, and the validator column says "pending" rather than guess.
	ValidatorRules []string
	// Checks are the suite's declared checks (the golden check list).
	Checks []CheckDecl
}

// RuleCoverage is one row of the coverage table.
type RuleCoverage struct {
	ID         string   `json:"id"`
	Level      string   `json:"level"`
	Section    string   `json:"section"`
	Title      string   `json:"title"`
	Link       string   `json:"link,omitempty"`
	Schema     bool     `json:"schema"`
	Validator  string   `json:"validator"` // "yes", "no" or "pending"
	Checks     []string `json:"checks"`    // names of the suite checks that name the rule
	Profiles   []string `json:"profiles"`  // their profiles
	EnforcedBy []string `json:"enforcedBy"`
	Mandatory  bool     `json:"mandatory"`
}

// SectionCoverage summarises one spec section.
type SectionCoverage struct {
	Section     string `json:"section"`
	Title       string `json:"title"`
	Rules       int    `json:"rules"`
	Must        int    `json:"must"`        // MUST, MUST NOT and REQUIRED rules
	MustCovered int    `json:"mustCovered"` // of those, enforced by schema, validator or suite
	MustSchema  int    `json:"mustSchema"`
	MustValid   int    `json:"mustValidator"`
	MustSuite   int    `json:"mustSuite"`
}

// Coverage is the spec coverage of the project.
type Coverage struct {
	ValidatorKnown bool              `json:"validatorKnown"`
	Sections       []SectionCoverage `json:"sections"`
	Total          SectionCoverage   `json:"total"`
	Rules          []RuleCoverage    `json:"rules"`
	Checks         []CheckDecl       `json:"checks"`
	UnknownRules   []string          `json:"unknownRules,omitempty"` // named by a check, not in the catalogue
}

// sectionTitles name the spec documents (and the project's own families).
var sectionTitles = map[string]string{
	"100": "Overview", "101": "Bundle definition (bundle.json)", "102": "Invocation images", "103": "Bundle runtime",
	"104": "Bundle formats", "201": "Bundles in OCI registries", "300": "Security", "301": "Security: metadata repositories",
	"302": "Security: signing workflow", "303": "Security: verification", "400": "Claims", "500": "Dependencies",
	"801": "Extension: middleware", "802": "Extension: credential sets", "804": "Extension: well-known custom actions",
	"805": "Extension: air-gapped environments", "810": "Extension: parameter sources",
	"history": "Breaking changes (spec history)", "community": "Community practice", "validator": "Validator input",
}

// SectionTitle returns the display title of a catalogue section.
func SectionTitle(s string) string {
	if t, ok := sectionTitles[s]; ok {
		return t
	}
	return s
}

// ComputeCoverage joins the catalogue with the schema, the validator and the
// suite's checks.
func ComputeCoverage(in CoverageInput) Coverage {
	cov := Coverage{ValidatorKnown: in.ValidatorRules != nil, Checks: slices.Clone(in.Checks)}
	checksByRule := map[string][]CheckDecl{}
	known := map[string]bool{}
	for _, r := range in.Rules {
		known[r.ID] = true
	}
	for _, c := range in.Checks {
		for _, id := range c.Rules {
			checksByRule[id] = append(checksByRule[id], c)
			if !known[id] && !slices.Contains(cov.UnknownRules, id) {
				cov.UnknownRules = append(cov.UnknownRules, id)
			}
		}
	}
	sort.Strings(cov.UnknownRules)
	sections := map[string]*SectionCoverage{}
	var order []string
	for _, r := range in.Rules {
		rc := RuleCoverage{ID: r.ID, Level: string(r.Level), Section: r.Section, Title: r.Title, Link: r.Link,
			Schema: r.Schema, Mandatory: r.Level.Mandatory(), Checks: []string{}, Profiles: []string{}}
		switch {
		case in.ValidatorRules == nil:
			rc.Validator = ValidatorPend
		case slices.Contains(in.ValidatorRules, r.ID):
			rc.Validator = "yes"
		default:
			rc.Validator = "no"
		}
		for _, c := range checksByRule[r.ID] {
			rc.Checks = append(rc.Checks, c.Name)
			if !slices.Contains(rc.Profiles, c.Profile) {
				rc.Profiles = append(rc.Profiles, c.Profile)
			}
		}
		rc.Profiles = SortProfiles(rc.Profiles)
		if rc.Schema {
			rc.EnforcedBy = append(rc.EnforcedBy, BySchema)
		}
		if rc.Validator == "yes" {
			rc.EnforcedBy = append(rc.EnforcedBy, ByValidator)
		}
		if len(rc.Checks) > 0 {
			rc.EnforcedBy = append(rc.EnforcedBy, BySuite)
		}
		if len(rc.EnforcedBy) == 0 {
			if r.Level == catalog.Informative {
				rc.EnforcedBy = []string{NotTestable}
			} else {
				rc.EnforcedBy = []string{NotCovered}
			}
		}
		cov.Rules = append(cov.Rules, rc)

		s, ok := sections[r.Section]
		if !ok {
			s = &SectionCoverage{Section: r.Section, Title: SectionTitle(r.Section)}
			sections[r.Section] = s
			order = append(order, r.Section)
		}
		for _, t := range []*SectionCoverage{s, &cov.Total} {
			t.Rules++
			if !rc.Mandatory {
				continue
			}
			t.Must++
			if rc.Schema || rc.Validator == "yes" || len(rc.Checks) > 0 {
				t.MustCovered++
			}
			if rc.Schema {
				t.MustSchema++
			}
			if rc.Validator == "yes" {
				t.MustValid++
			}
			if len(rc.Checks) > 0 {
				t.MustSuite++
			}
		}
	}
	sort.Slice(order, func(i, j int) bool { return sectionLess(order[i], order[j]) })
	for _, s := range order {
		cov.Sections = append(cov.Sections, *sections[s])
	}
	cov.Total.Section = "total"
	return cov
}

// sectionLess puts numbered spec sections first, in number order, then the
// project's own families by name.
func sectionLess(a, b string) bool {
	na, nb := isNumber(a), isNumber(b)
	if na != nb {
		return na
	}
	if na && len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func percent(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%d%%", (n*100+d/2)/d)
}

// WriteCoverageMarkdown writes docs/coverage.md. The output depends only on
// its input (no dates), so a test can tell when the file is stale.
func WriteCoverageMarkdown(w io.Writer, c Coverage, regenerate string) error {
	var b strings.Builder
	b.WriteString("# Spec coverage\n\n")
	fmt.Fprintf(&b, "<!-- Generated by `%s`. Do not edit: a test fails when this file is stale. -->\n\n", regenerate)
	b.WriteString("Every rule of the catalogue (`validator/catalog`) and what enforces it: the published JSON schema, " +
		"a validator rule (`cnab-validate`), a conformance suite check (`cnab-conformance run`, listed in `reports/conformance.yaml`), " +
		"or nothing yet. Informative rules are not testable. A normative rule that nothing enforces is **not covered**.\n\n")
	if !c.ValidatorKnown {
		b.WriteString("> The validator column is **pending**: the validator's list of rule IDs was not available when this file was generated.\n\n")
	}

	b.WriteString("## MUST coverage per section\n\n")
	b.WriteString("MUST rules are those at level MUST, MUST NOT or REQUIRED. A rule can be enforced by more than one layer.\n\n")
	b.WriteString("| Section | Rules | MUST rules | MUST covered | by schema | by validator | by suite | MUST not covered |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|\n")
	row := func(s SectionCoverage, bold bool) {
		name := s.Section + " " + s.Title
		if s.Section == s.Title || s.Title == "" {
			name = s.Section
		}
		f := "| %s | %d | %d | %d (%s) | %d | %s | %d | %d |\n"
		if bold {
			f = "| **%s** | **%d** | **%d** | **%d (%s)** | **%d** | **%s** | **%d** | **%d** |\n"
		}
		valid := fmt.Sprint(s.MustValid)
		if !c.ValidatorKnown {
			valid = ValidatorPend
		}
		fmt.Fprintf(&b, f, mdText(name), s.Rules, s.Must, s.MustCovered, percent(s.MustCovered, s.Must), s.MustSchema, valid, s.MustSuite, s.Must-s.MustCovered)
	}
	for _, s := range c.Sections {
		row(s, false)
	}
	row(c.Total, true)
	b.WriteString("\n")

	b.WriteString("## Rules\n\n")
	b.WriteString("| Rule | Level | Section | Title | Schema | Validator | Suite checks | Enforced by |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range c.Rules {
		id := r.ID
		if r.Link != "" {
			id = "[" + r.ID + "](" + r.Link + ")"
		}
		schema := ""
		if r.Schema {
			schema = "yes"
		}
		suite := ""
		if len(r.Checks) > 0 {
			suite = fmt.Sprintf("%d (%s)", len(r.Checks), strings.Join(r.Profiles, ", "))
		}
		enf := strings.Join(r.EnforcedBy, ", ")
		if r.Mandatory && enf == NotCovered {
			enf = "**" + enf + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", id, r.Level, r.Section, mdText(r.Title), schema, r.Validator, suite, enf)
	}
	b.WriteString("\n")

	b.WriteString("## Suite checks\n\n")
	fmt.Fprintf(&b, "The %d checks of the conformance suite, by profile, with the rules each one checks.\n\n", len(c.Checks))
	checks := slices.Clone(c.Checks)
	(&CheckList{Checks: checks}).Sort()
	b.WriteString("| Profile | Check | Level | Rules |\n|---|---|---|---|\n")
	for _, ch := range checks {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", ch.Profile, mdText(ch.Name), ch.Level, strings.Join(ch.Rules, ", "))
	}
	if len(c.UnknownRules) > 0 {
		fmt.Fprintf(&b, "\nChecks name rule IDs that are not in the catalogue: %s.\n", strings.Join(c.UnknownRules, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCoverageJSON writes the coverage as indented JSON.
func WriteCoverageJSON(w io.Writer, c Coverage) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}
