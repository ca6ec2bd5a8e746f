package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

func init() {
	commands.Add(cli.Command{
		Name:    "rules",
		Summary: "list the rule catalogue and what enforces each rule; --coverage for the spec coverage (docs/coverage.md)",
		Run:     runRules,
	})
}

// coverageCommand regenerates docs/coverage.md; a test fails when the file
// differs from what it prints.
const coverageCommand = "go run ./cmd/cnab-conformance rules --coverage --format markdown --out docs/coverage.md"

const rulesUsage = `usage: cnab-conformance rules [--coverage] [--format text|markdown|json] [--out FILE]

Lists every rule of the catalogue with its level, spec section and what
enforces it: the published JSON schema, a validator rule, conformance suite
checks (from the suite's check list, reports/conformance.yaml), or nothing
(informative rules are not testable).

--coverage adds the MUST coverage per spec section and the list of suite
checks; docs/coverage.md is its Markdown output:
  ` + coverageCommand + `

Exit status: 0 printed, 2 usage or I/O error.

Flags:
`

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cnab-conformance rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, rulesUsage); fs.PrintDefaults() }
	coverage := fs.Bool("coverage", false, "add the MUST coverage per section and the suite's checks")
	format := fs.String("format", "", "text, markdown or json (default: markdown with --coverage, else text)")
	out := fs.String("out", "", "write to this `file` instead of standard output")
	pos, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "cnab-conformance rules: unexpected arguments %q\n", pos)
		return cli.ExitUsage
	}
	if *format == "" {
		*format = "text"
		if *coverage {
			*format = "markdown"
		}
	}
	cov := currentCoverage()
	var buf bytes.Buffer
	var err error
	switch {
	case *format == "json" && *coverage:
		err = reports.WriteCoverageJSON(&buf, cov)
	case *format == "json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(cov.Rules)
	case *format == "markdown" && *coverage:
		err = reports.WriteCoverageMarkdown(&buf, cov, coverageCommand)
	case *format == "markdown":
		writeRulesMarkdown(&buf, cov)
	case *format == "text":
		writeRulesText(&buf, cov, *coverage)
	default:
		fmt.Fprintf(stderr, "cnab-conformance rules: unknown format %q (want text, markdown or json)\n", *format)
		return cli.ExitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, "cnab-conformance rules:", err)
		return cli.ExitUsage
	}
	if *out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return cli.ExitUsage
		}
		return cli.ExitOK
	}
	if dir := filepath.Dir(*out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintln(stderr, "cnab-conformance rules:", err)
			return cli.ExitUsage
		}
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "cnab-conformance rules:", err)
		return cli.ExitUsage
	}
	return cli.ExitOK
}

// currentCoverage joins the catalogue, the validator's rule list and the
// suite's check list as built into this binary.
func currentCoverage() reports.Coverage {
	return reports.ComputeCoverage(reports.CoverageInput{
		Rules:          catalog.All(),
		ValidatorRules: validator.RuleIDs(),
		Checks:         reports.EmbeddedCheckList().Checks,
	})
}

func writeRulesText(w io.Writer, cov reports.Coverage, withSections bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tLEVEL\tSECTION\tENFORCED BY\tTITLE")
	for _, r := range cov.Rules {
		enf := strings.Join(r.EnforcedBy, ",")
		if len(r.Checks) > 0 {
			enf = strings.Replace(enf, reports.BySuite, fmt.Sprintf("suite(%d)", len(r.Checks)), 1)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Level, r.Section, enf, r.Title)
	}
	tw.Flush()
	if !withSections {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SECTION\tRULES\tMUST\tCOVERED\tSCHEMA\tVALIDATOR\tSUITE\t")
	for _, s := range append(cov.Sections, cov.Total) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", s.Section, s.Rules, s.Must, s.MustCovered, s.MustSchema, s.MustValid, s.MustSuite)
	}
	tw.Flush()
}

func writeRulesMarkdown(w io.Writer, cov reports.Coverage) {
	fmt.Fprintln(w, "| Rule | Level | Section | Title | Enforced by |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, r := range cov.Rules {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", r.ID, r.Level, r.Section, strings.ReplaceAll(r.Title, "|", "\\|"), strings.Join(r.EnforcedBy, ", "))
	}
}
