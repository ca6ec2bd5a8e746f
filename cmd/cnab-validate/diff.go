package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/schemadiff"
	"github.com/cnab-conformance/cnab-conformance/validator/schemas"
)

func init() {
	commands.Add(cli.Command{Name: "diff", Summary: "compare two schema sets: breaking changes, and corpus documents that flip", Run: runDiff})
}

const diffUsage = `Usage: cnab-validate diff [--corpus DIR] [--format text|json|markdown] [--fail-on CLASS] OLD NEW

Compares two CNAB schema sets change by change and classifies each change:
breaking, silent-removal, relaxing or additive. OLD and NEW are each a
schema folder (a spec checkout's schema/, or the checkout itself) or a spec
version whose schemas cnab-validate embeds:
  %s
With --corpus, every *.json document under DIR is validated under both sides
and the documents whose verdict flips are listed with the finding that
flipped them.
Exit status: 1 when anything is breaking (or a valid document becomes
invalid; --fail-on silent-removal also counts silent removals), 0 otherwise,
2 usage or I/O error.

Flags:`

// diffSide is one side of a diff: its schemas and how to validate under it.
type diffSide struct {
	name string
	set  *schemadiff.Set
	opts validator.Options
}

func runDiff(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cnab-validate diff", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	corpus := fl.String("corpus", "", "validate every document under this folder with both sides and list verdict flips")
	format := fl.String("format", "text", "output format: "+strings.Join(schemadiff.Formats, ", "))
	failOn := fl.String("fail-on", "breaking", "exit 1 when a change is of this class or worse: breaking, silent-removal, relaxing, additive")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, diffUsage+"\n", specNames())
		fl.SetOutput(w)
		fl.PrintDefaults()
	}
	rest, code, ok := parseCommand("cnab-validate diff", fl, args, usage, stdout, stderr)
	if !ok {
		return code
	}
	if len(rest) != 2 {
		fmt.Fprintln(stderr, "cnab-validate diff: give exactly two schema sets, OLD and NEW")
		usage(stderr)
		return cli.ExitUsage
	}
	switch *format {
	case "text", "json", "markdown", "md":
	default:
		fmt.Fprintf(stderr, "cnab-validate diff: --format: unknown format %q (want %s)\n", *format, strings.Join(schemadiff.Formats, ", "))
		return cli.ExitUsage
	}
	threshold, err := schemadiff.ParseClass(*failOn)
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate diff: --fail-on: %v\n", err)
		return cli.ExitUsage
	}
	old, err := loadSide(rest[0])
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate diff: OLD: %v\n", err)
		return cli.ExitUsage
	}
	new, err := loadSide(rest[1])
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate diff: NEW: %v\n", err)
		return cli.ExitUsage
	}
	rep := &schemadiff.Report{Old: old.name, New: new.name, Changes: schemadiff.Compare(old.set, new.set)}
	if *corpus != "" {
		if st, err := os.Stat(*corpus); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "cnab-validate diff: --corpus %s is not a folder\n", *corpus)
			return cli.ExitUsage
		}
		sides := map[string]validator.Options{"old": old.opts, "new": new.opts}
		check := func(file string, data []byte, side string) ([]schemadiff.Finding, error) {
			res, err := validator.Validate(file, data, sides[side])
			if err != nil {
				return nil, err
			}
			out := make([]schemadiff.Finding, len(res.Findings))
			for i, f := range res.Findings {
				out[i] = schemadiff.Finding{Rule: f.Rule, Pointer: f.Pointer, Message: f.Message, Error: f.Severity == validator.Error}
			}
			return out, nil
		}
		rep.Flips, err = schemadiff.Corpus(*corpus, "old", "new", check)
		if err != nil {
			fmt.Fprintf(stderr, "cnab-validate diff: --corpus: %v\n", err)
			return cli.ExitUsage
		}
	}
	if err := rep.Write(stdout, *format); err != nil {
		fmt.Fprintf(stderr, "cnab-validate diff: %v\n", err)
		return cli.ExitUsage
	}
	if rep.AtLeast(threshold) {
		return cli.ExitFindings
	}
	return cli.ExitOK
}

// loadSide reads a schema folder, or the embedded schemas of a spec version.
// A folder wins over a version name, so a checkout named "main" still works.
func loadSide(arg string) (*diffSide, error) {
	if st, err := os.Stat(arg); err == nil && st.IsDir() {
		dir := arg
		if !hasJSON(dir) && hasJSON(filepath.Join(dir, "schema")) {
			dir = filepath.Join(dir, "schema") // a spec repository checkout
		}
		set, err := schemadiff.LoadDir(dir)
		if err != nil {
			return nil, err
		}
		return &diffSide{name: arg, set: set, opts: validator.Options{SchemaDir: dir}}, nil
	}
	spec := validator.Spec(arg)
	if !spec.Known() {
		return nil, fmt.Errorf("%q is neither a folder nor a known spec version (%s)", arg, specNames())
	}
	fsys, err := schemas.Dir(arg)
	if err != nil {
		return nil, err
	}
	set, err := schemadiff.LoadFS(fsys, arg)
	if err != nil {
		return nil, err
	}
	return &diffSide{name: arg, set: set, opts: validator.Options{Spec: spec}}, nil
}

func hasJSON(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	return len(m) > 0
}
