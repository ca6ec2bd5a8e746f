package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/reports"
)

func init() {
	commands.Add(cli.Command{
		Name:    "report",
		Summary: "re-render a results.json as HTML, JUnit, Markdown, JSON, badges or a PRODUCT.yaml template",
		Run:     runReport,
	})
}

const reportUsage = `usage: cnab-conformance report RESULTS [--format FORMAT] [--profile P] [--out DIR] [--require-certified]

Re-renders the reports of a run from its results.json, so an old run can be
re-published with the current renderer. RESULTS is validated against the
results schema first.

Without --format, every format is written into --out (required then):
results.json, junit.xml, report.html, summary.md and badge-<profile>.svg.
With --format, that one format is written to standard output, or into --out.

Formats: html, junit, markdown, json, badge (needs --profile, unless the run
judged one profile), product (a PRODUCT.yaml template for a certification
submission, with the tool, the certified profiles and the sha256 of RESULTS
filled in; see 'cnab-conformance verify').

--require-certified prints each profile's verdict on standard error and exits 1
unless every judged profile is certified (a CI gate; with no --format and no
--out it only checks).

Exit status: 0 written (and certified, with --require-certified), 1 not
certified (--require-certified only), 2 usage error, unreadable or invalid
RESULTS.

Flags:
`

func runReport(args []string, _ io.Reader, stdout, stderr io.Writer) (code int) {
	fs := flag.NewFlagSet("cnab-conformance report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, reportUsage); fs.PrintDefaults() }
	format := fs.String("format", "", "one format: html, junit, markdown, json, badge or product (default: all into --out)")
	profile := fs.String("profile", "", "profile of the badge")
	out := fs.String("out", "", "write into this `directory` instead of standard output")
	require := fs.Bool("require-certified", false, "print each profile's verdict on standard error and exit 1 unless every judged profile is certified")
	pos, stop := parseInterspersed(fs, args)
	if stop >= 0 {
		return stop
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "cnab-conformance report: want exactly one RESULTS file")
		fs.Usage()
		return cli.ExitUsage
	}
	src := pos[0]
	raw, err := os.ReadFile(src)
	if err != nil {
		fmt.Fprintln(stderr, "cnab-conformance report:", err)
		return cli.ExitUsage
	}
	res, err := reports.Parse(raw)
	if err != nil {
		fmt.Fprintf(stderr, "cnab-conformance report: %s: %v\n", src, err)
		return cli.ExitUsage
	}

	if *require {
		// Exit 1 unless certified, after writing whatever was asked for.
		defer func() {
			if code == cli.ExitOK && !printVerdicts(stderr, res) {
				code = cli.ExitFindings
			}
		}()
		if *format == "" && *out == "" {
			return cli.ExitOK
		}
	}
	if *format == "" {
		if *out == "" {
			fmt.Fprintln(stderr, "cnab-conformance report: writing every format needs --out DIR (or pick one with --format)")
			return cli.ExitUsage
		}
		if err := reports.WriteAll(*out, res); err != nil {
			fmt.Fprintln(stderr, "cnab-conformance report:", err)
			return cli.ExitUsage
		}
		fmt.Fprintf(stdout, "wrote the reports of run %s into %s\n", res.RunID, *out)
		return cli.ExitOK
	}

	if *format == "product" {
		return emit(stdout, stderr, *out, reports.ProductFile, reports.ProductTemplate(res, raw))
	}
	if !slices.Contains(reports.Formats, *format) {
		fmt.Fprintf(stderr, "cnab-conformance report: unknown format %q (want %s or product)\n", *format, strings.Join(reports.Formats, ", "))
		return cli.ExitUsage
	}
	profiles := []string{*profile}
	if *format == "badge" && *profile == "" {
		profiles = reports.BadgeProfiles(res)
		if len(profiles) == 0 {
			fmt.Fprintln(stderr, "cnab-conformance report: the run judged no profile; name one with --profile")
			return cli.ExitUsage
		}
		if len(profiles) > 1 && *out == "" {
			fmt.Fprintf(stderr, "cnab-conformance report: the run judged %s: pick one with --profile, or write all with --out\n", strings.Join(profiles, ", "))
			return cli.ExitUsage
		}
	}
	for _, p := range profiles {
		var buf bytes.Buffer
		if err := reports.Render(&buf, res, *format, p); err != nil {
			fmt.Fprintln(stderr, "cnab-conformance report:", err)
			return cli.ExitUsage
		}
		if c := emit(stdout, stderr, *out, reports.FileFor(*format, p), buf.Bytes()); c != cli.ExitOK {
			return c
		}
	}
	return cli.ExitOK
}

// printVerdicts prints one line per judged profile and reports whether the
// run is certified (every judged profile, and at least one).
func printVerdicts(w io.Writer, r reports.Results) bool {
	for _, v := range r.Verdicts {
		if v.Certified {
			fmt.Fprintf(w, "%s: certified (MUST %d/%d)\n", v.Profile, v.MustPassed, v.Must)
		} else {
			fmt.Fprintf(w, "%s: NOT CERTIFIED (MUST %d/%d): %s\n", v.Profile, v.MustPassed, v.Must, strings.Join(v.Reasons, "; "))
		}
	}
	if len(r.Verdicts) == 0 {
		fmt.Fprintln(w, "no profile was judged: NOT CERTIFIED")
	}
	return r.Certified()
}

// emit writes data to stdout, or to dir/name when dir is set.
func emit(stdout, stderr io.Writer, dir, name string, data []byte) int {
	if dir == "" {
		if _, err := stdout.Write(data); err != nil {
			fmt.Fprintln(stderr, "cnab-conformance report:", err)
			return cli.ExitUsage
		}
		return cli.ExitOK
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "cnab-conformance report:", err)
		return cli.ExitUsage
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fmt.Fprintln(stderr, "cnab-conformance report:", err)
		return cli.ExitUsage
	}
	fmt.Fprintln(stdout, "wrote", path)
	return cli.ExitOK
}

// parseInterspersed parses flags that may come after positional arguments
// ("report results.json --format html"). It returns the positional
// arguments, and an exit code >= 0 when the command should stop (help or a
// flag error).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, cli.ExitOK
			}
			return nil, cli.ExitUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, -1
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), -1
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
