package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/reports"
)

func init() {
	commands.Add(cli.Command{
		Name:    "verify",
		Summary: "check a certification submission folder against the numbered requirements R1..R14",
		Run:     runVerify,
	})
}

func verifyUsage() string {
	var b strings.Builder
	b.WriteString(`usage: cnab-conformance verify [--format text|json] [--check-list FILE] DIR

Checks a certification submission: DIR holds PRODUCT.yaml, results.json,
junit.xml and report.html (optionally README.md, summary.md, badge-*.svg).
Every failed requirement is reported with its number:

`)
	for _, r := range reports.Requirements {
		fmt.Fprintf(&b, "  %-4s %s\n", r.ID, r.Title)
	}
	b.WriteString(`
Write PRODUCT.yaml from the template 'cnab-conformance report results.json
--format product' prints. See reports/VERIFY.md for the details.

Exit status: 0 verified, 1 a requirement failed or could not be checked,
2 usage error or DIR cannot be read.

Flags:
`)
	return b.String()
}

func runVerify(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cnab-conformance verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, verifyUsage()); fs.PrintDefaults() }
	format := fs.String("format", "text", "output format: text or json")
	listFile := fs.String("check-list", "", "the suite's check list (`conformance.yaml`) to verify against (default: the one built in)")
	pos, code := parseInterspersed(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "cnab-conformance verify: want exactly one submission DIR")
		fs.Usage()
		return cli.ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "cnab-conformance verify: unknown format %q (want text or json)\n", *format)
		return cli.ExitUsage
	}
	var opts reports.VerifyOptions
	if *listFile != "" {
		data, err := os.ReadFile(*listFile)
		if err != nil {
			fmt.Fprintln(stderr, "cnab-conformance verify:", err)
			return cli.ExitUsage
		}
		l, err := reports.ParseCheckList(data)
		if err != nil {
			fmt.Fprintf(stderr, "cnab-conformance verify: %s: %v\n", *listFile, err)
			return cli.ExitUsage
		}
		opts.CheckList = &l
	}
	v, err := reports.VerifySubmission(pos[0], opts)
	if err != nil {
		fmt.Fprintln(stderr, "cnab-conformance verify:", err)
		return cli.ExitUsage
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			fmt.Fprintln(stderr, "cnab-conformance verify:", err)
			return cli.ExitUsage
		}
	} else {
		printVerification(stdout, v)
	}
	if !v.Verified {
		return cli.ExitFindings
	}
	return cli.ExitOK
}

func printVerification(w io.Writer, v reports.Verification) {
	fmt.Fprintf(w, "Verifying the submission in %s\n\n", v.Dir)
	var failed, notChecked []string
	for _, r := range v.Requirements {
		mark := "ok"
		switch r.Status {
		case reports.ReqFailed:
			mark = "FAILED"
			failed = append(failed, r.ID)
		case reports.ReqNotChecked:
			mark = "not checked"
			notChecked = append(notChecked, r.ID)
		}
		fmt.Fprintf(w, "  %-4s %-11s %s\n", r.ID, mark, r.Title)
		for _, m := range r.Messages {
			fmt.Fprintf(w, "                   %s: %s\n", r.ID, m)
		}
	}
	fmt.Fprintln(w)
	if v.Verified {
		fmt.Fprintf(w, "VERIFIED: all %d requirements are met.\n", len(v.Requirements))
		return
	}
	fmt.Fprintf(w, "NOT VERIFIED: %d failed (%s)", len(failed), strings.Join(failed, ", "))
	if len(notChecked) > 0 {
		fmt.Fprintf(w, ", %d not checked (%s)", len(notChecked), strings.Join(notChecked, ", "))
	}
	fmt.Fprintln(w, ".")
}
