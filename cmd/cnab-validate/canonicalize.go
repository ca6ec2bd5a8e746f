package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
)

func init() {
	commands.Add(cli.Command{Name: "canonicalize", Summary: "write a document's canonical JSON form (OLPC for <= 1.1, RFC 8785 for 1.2+)", Run: runCanonicalize})
}

const canonicalizeUsage = `Usage: cnab-validate canonicalize [--spec V | --mode olpc|jcs] [--check] [-o OUT] FILE|-

Writes the canonical JSON form of FILE (or stdin): OLPC canonical JSON for
spec versions up to 1.1 (integers only), RFC 8785 (JCS) for 1.2 and later.
Without --spec or --mode the version comes from the document's schemaVersion.
Duplicate keys, and fractions in OLPC mode, are errors.
--check writes nothing and exits 1 when FILE is not already canonical.
Exit status: 0 done (or canonical), 1 the document cannot be canonicalized
(or is not canonical, with --check), 2 usage or I/O error.

Flags:`

func runCanonicalize(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cnab-validate canonicalize", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	spec := fl.String("spec", "", "spec version whose canonical form to write ("+specNames()+")")
	modeName := fl.String("mode", "", "canonical form: olpc or jcs (instead of --spec)")
	out := fl.String("o", "", "write to this file instead of stdout")
	check := fl.Bool("check", false, "only check: exit 1 when the input is not canonical")
	maxSize := fl.String("max-size", "10MiB", "largest input read")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, canonicalizeUsage)
		fl.SetOutput(w)
		fl.PrintDefaults()
	}
	rest, code, ok := parseCommand("cnab-validate canonicalize", fl, args, usage, stdout, stderr)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "cnab-validate canonicalize: give exactly one FILE (or - for stdin)")
		return cli.ExitUsage
	}
	if *spec != "" && *modeName != "" {
		fmt.Fprintln(stderr, "cnab-validate canonicalize: give --spec or --mode, not both")
		return cli.ExitUsage
	}
	limit, err := parseSize(*maxSize)
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate canonicalize: --max-size: %v\n", err)
		return cli.ExitUsage
	}
	name := rest[0]
	data, err := readLimited(name, stdin, limit)
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate canonicalize: %v\n", err)
		return cli.ExitUsage
	}
	var mode canonical.Mode
	switch {
	case *modeName != "":
		mode, err = canonical.ParseMode(*modeName)
	case *spec != "":
		mode, err = canonical.ModeForSpec(*spec)
	default:
		mode, err = modeFromDocument(data)
	}
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate canonicalize: %s: %v\n", name, err)
		return cli.ExitUsage
	}
	canon, err := canonical.Canonicalize(data, mode)
	if err != nil {
		var ce *canonical.Error
		if errors.As(err, &ce) {
			line, col := lineCol(data, ce.Offset)
			fmt.Fprintf(stderr, "%s:%d:%d: error %s: cannot write %s canonical JSON: %s\n", name, line, col, canonicalRule(ce), mode, ce.Msg)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return cli.ExitFindings
	}
	if *check {
		if off := canonical.FirstDifference(data, canon); off >= 0 {
			line, col := lineCol(data, off)
			fmt.Fprintf(stdout, "%s:%d:%d: error B-101-01: not %s canonical JSON from here on (run cnab-validate canonicalize to fix)\n", name, line, col, mode)
			return cli.ExitFindings
		}
		return cli.ExitOK
	}
	if *out == "" {
		if _, err := stdout.Write(canon); err != nil {
			fmt.Fprintf(stderr, "cnab-validate canonicalize: %v\n", err)
			return cli.ExitUsage
		}
		return cli.ExitOK
	}
	if err := os.WriteFile(*out, canon, 0o644); err != nil {
		fmt.Fprintf(stderr, "cnab-validate canonicalize: %v\n", err)
		return cli.ExitUsage
	}
	return cli.ExitOK
}

// canonicalRule names the catalogue rule a canonicalisation error breaks.
func canonicalRule(e *canonical.Error) string {
	switch {
	case errors.Is(e, canonical.ErrDuplicateKey):
		return "V-04"
	case errors.Is(e, canonical.ErrNumber):
		return "F-104-07"
	case errors.Is(e, canonical.ErrDepth):
		return "V-05"
	case errors.Is(e, canonical.ErrEncoding):
		return "V-02"
	}
	return "V-01"
}

// modeFromDocument picks the mode from the document's schemaVersion.
func modeFromDocument(data []byte) (canonical.Mode, error) {
	var doc struct {
		SchemaVersion string `json:"schemaVersion"`
	}
	_ = json.Unmarshal(data, &doc) // a broken document fails in Canonicalize with a position
	if doc.SchemaVersion == "" {
		return 0, errors.New("no schemaVersion in the document: give --spec or --mode")
	}
	m, err := canonical.ModeForSpec(doc.SchemaVersion)
	if err != nil {
		return 0, fmt.Errorf("%v: give --spec or --mode", err)
	}
	return m, nil
}

// readLimited reads a file, or stdin for "-", refusing more than limit bytes.
func readLimited(name string, stdin io.Reader, limit int64) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes (see --max-size)", name, limit)
	}
	return data, nil
}

// lineCol turns a byte offset into a 1-based line and column (in bytes).
func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	return line, off - bytes.LastIndexByte(data[:off], '\n')
}
