package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/output"
	"github.com/cnab-conformance/cnab-conformance/validator/specexamples"
)

func init() {
	commands.Add(cli.Command{Name: "spec-examples", Summary: "check the json examples in the spec's markdown files", Run: runSpecExamples})
}

const specExamplesUsage = `Usage: cnab-validate spec-examples [--spec V | --schema-dir DIR] [--format F] [--warnings] DIR|FILE.md...

Extracts every fenced json block from the markdown files (folders are
searched recursively), works out which CNAB document kind each one shows,
validates it and reports file:line for blocks that are not JSON or not valid.
Hint comments before a block steer it:
  <!-- cnab-validate: skip -->                  a deliberate placeholder
  <!-- cnab-validate: kind=KIND -->             validate as this kind
  <!-- cnab-validate: kind=bundle fragment -->  part of a bundle
  <!-- cnab-validate: spec=VERSION -->          validate against this version
Exit status: 0 every block is fine, 1 problems found, 2 usage or I/O error.

Flags:`

func runSpecExamples(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cnab-validate spec-examples", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	spec := fl.String("spec", "", "validate against this spec version instead of each example's schemaVersion ("+specNames()+")")
	format := fl.String("format", "text", "output format: "+strings.Join(output.Formats, ", "))
	schemaDir := fl.String("schema-dir", "", "validate against the schemas in this folder (a spec checkout's schema/) instead of the embedded ones")
	warnings := fl.Bool("warnings", false, "report warnings too (by default only errors: examples illustrate shapes)")
	verbose := fl.Bool("v", false, "print how each block was checked")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, specExamplesUsage)
		fl.SetOutput(w)
		fl.PrintDefaults()
	}
	rest, code, ok := parseCommand("cnab-validate spec-examples", fl, args, usage, stdout, stderr)
	if !ok {
		return code
	}
	if len(rest) == 0 {
		fmt.Fprintln(stderr, "cnab-validate spec-examples: give a folder or markdown files")
		return cli.ExitUsage
	}
	if *spec != "" && !validator.Spec(*spec).Known() {
		fmt.Fprintf(stderr, "cnab-validate spec-examples: unknown spec version %q (known: %s)\n", *spec, specNames())
		return cli.ExitUsage
	}
	w, err := output.New(*format, stdout, output.Options{FailOn: validator.Error})
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate spec-examples: --format: %v\n", err)
		return cli.ExitUsage
	}
	opts := specexamples.Options{Spec: validator.Spec(*spec), IncludeWarnings: *warnings, SchemaDir: *schemaDir}
	var results []specexamples.Result
	for _, p := range rest {
		st, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(stderr, "cnab-validate spec-examples: %v\n", err)
			return cli.ExitUsage
		}
		var rs []specexamples.Result
		if st.IsDir() {
			rs, err = specexamples.CheckDir(p, opts)
		} else {
			var md []byte
			if md, err = os.ReadFile(p); err == nil {
				rs, err = specexamples.CheckMarkdown(p, md, opts)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "cnab-validate spec-examples: %v\n", err)
			return cli.ExitUsage
		}
		results = append(results, rs...)
	}
	// One result per markdown file, findings in line order.
	code = cli.ExitOK
	counts := map[specexamples.Mode]int{}
	var order []string
	byFile := map[string][]validator.Finding{}
	for _, r := range results {
		counts[r.Mode]++
		if *verbose {
			fmt.Fprintf(stderr, "%s:%d: %s %s\n", r.Block.File, r.Block.Line, r.Mode, r.Kind)
		}
		if _, seen := byFile[r.Block.File]; !seen {
			order = append(order, r.Block.File)
			byFile[r.Block.File] = nil
		}
		byFile[r.Block.File] = append(byFile[r.Block.File], r.Findings...)
	}
	for _, f := range order {
		fs := byFile[f]
		validator.SortFindings(fs)
		if err := w.Write(validator.Result{File: f, Findings: fs}); err != nil {
			fmt.Fprintf(stderr, "cnab-validate spec-examples: %v\n", err)
			return cli.ExitUsage
		}
		for _, x := range fs {
			if x.Severity >= validator.Error || (*warnings && x.Severity >= validator.Warning) {
				code = cli.ExitFindings
			}
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "cnab-validate spec-examples: %v\n", err)
		return cli.ExitUsage
	}
	fmt.Fprintf(stderr, "%d json block(s): %d document(s), %d bundle fragment(s), %d syntax-only, %d skipped, %d not JSON\n",
		len(results), counts[specexamples.Document], counts[specexamples.Fragment], counts[specexamples.SyntaxOnly],
		counts[specexamples.Skipped], counts[specexamples.NotJSON])
	return code
}
