package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

func init() {
	commands.Add(cli.Command{Name: "rules", Summary: "list every rule of the catalogue", Run: runRules})
}

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cnab-validate rules", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	format := fl.String("format", "text", "output format: text or json")
	prefix := fl.String("prefix", "", "only rules of this family (B, C, D, V, BC, ...)")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "Usage: cnab-validate rules [--format text|json] [--prefix FAMILY]\n\nLists every rule: ID, level, spec section and title.\n\nFlags:")
		fl.SetOutput(w)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return cli.ExitOK
		}
		fmt.Fprintf(stderr, "cnab-validate rules: %v\n\n", err)
		usage(stderr)
		return cli.ExitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "cnab-validate rules: unexpected argument %q\n", fl.Arg(0))
		return cli.ExitUsage
	}
	var rules []catalog.Rule
	for _, r := range catalog.All() {
		if *prefix == "" || strings.EqualFold(catalog.Prefix(r.ID), *prefix) {
			rules = append(rules, r)
		}
	}
	switch *format {
	case "json":
		type row struct {
			ID       string   `json:"id"`
			Level    string   `json:"level"`
			Section  string   `json:"section"`
			Title    string   `json:"title"`
			Versions string   `json:"versions"`
			Targets  []string `json:"targets"`
			Schema   bool     `json:"schema"`
			Link     string   `json:"link,omitempty"`
		}
		out := make([]row, 0, len(rules))
		for _, r := range rules {
			t := make([]string, len(r.Targets))
			for i, x := range r.Targets {
				t[i] = string(x)
			}
			out = append(out, row{r.ID, string(r.Level), r.Section, r.Title, r.Versions, t, r.Schema, r.Link})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Rules []row `json:"rules"`
		}{out}); err != nil {
			fmt.Fprintf(stderr, "cnab-validate rules: %v\n", err)
			return cli.ExitUsage
		}
	case "text":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLEVEL\tSECTION\tTITLE")
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Level, r.Section, r.Title)
		}
		tw.Flush()
	default:
		fmt.Fprintf(stderr, "cnab-validate rules: unknown format %q (want text or json)\n", *format)
		return cli.ExitUsage
	}
	return cli.ExitOK
}
