package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

func init() {
	commands.Add(cli.Command{Name: "explain", Summary: "show a rule: text, level, versions, link, example and fix", Run: runExplain})
}

func runExplain(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("cnab-validate explain", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: cnab-validate explain RULE...\n\nShows each rule's text, level, spec versions, link, a breaking example and the fix.")
			return cli.ExitOK
		}
		fmt.Fprintf(stderr, "cnab-validate explain: %v\n", err)
		return cli.ExitUsage
	}
	if fl.NArg() == 0 {
		fmt.Fprintln(stderr, "Usage: cnab-validate explain RULE...   (cnab-validate rules lists the IDs)")
		return cli.ExitUsage
	}
	code := cli.ExitOK
	for i, id := range fl.Args() {
		r, ok := catalog.Lookup(strings.ToUpper(strings.TrimSpace(id)))
		if !ok {
			fmt.Fprintf(stderr, "cnab-validate explain: no rule %q%s\n", id, suggest(id))
			code = cli.ExitUsage
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		writeRule(stdout, r)
	}
	return code
}

func writeRule(w io.Writer, r catalog.Rule) {
	fmt.Fprintf(w, "%s  %s\n", r.ID, r.Title)
	fmt.Fprintf(w, "  level:    %s\n", r.Level)
	if r.Section != "" {
		fmt.Fprintf(w, "  section:  %s\n", r.Section)
	}
	if r.Versions != "" {
		fmt.Fprintf(w, "  versions: %s\n", r.Versions)
	}
	if len(r.Targets) > 0 {
		t := make([]string, len(r.Targets))
		for i, x := range r.Targets {
			t[i] = string(x)
		}
		fmt.Fprintf(w, "  targets:  %s\n", strings.Join(t, ", "))
	}
	if r.Schema {
		fmt.Fprintln(w, "  schema:   the published JSON schema enforces it")
	} else {
		fmt.Fprintln(w, "  schema:   not enforced by the published JSON schema")
	}
	if r.Link != "" {
		fmt.Fprintf(w, "  link:     %s\n", r.Link)
	}
	if r.Source != "" {
		fmt.Fprintf(w, "  source:   %s\n", r.Source)
	}
	fmt.Fprintf(w, "\n%s\n", wrap(r.Text, 78))
	if r.Example != "" {
		fmt.Fprintf(w, "\nExample that breaks it:\n  %s\n", r.Example)
	}
	if r.Fix != "" {
		fmt.Fprintf(w, "\nFix:\n%s\n", wrap(r.Fix, 78))
	}
}

func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		if n > 0 && n+1+len(word) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

// suggest names up to three IDs sharing the asked-for prefix.
func suggest(id string) string {
	p := strings.ToUpper(id)
	for len(p) > 0 {
		var m []string
		for _, r := range catalog.All() {
			if strings.HasPrefix(r.ID, p) {
				m = append(m, r.ID)
			}
		}
		if len(m) > 0 {
			sort.Strings(m)
			if len(m) > 3 {
				m = m[:3]
			}
			return " (did you mean " + strings.Join(m, ", ") + "?)"
		}
		p = p[:len(p)-1]
	}
	return ""
}
