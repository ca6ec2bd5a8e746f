package reports

import (
	"fmt"
	"io"
	"strings"
)

// MarkdownLimit caps the failing checks listed in summary.md, so the
// summary fits a pull-request comment (GitHub's limit is 65,536 characters).
const MarkdownLimit = 50

// WriteMarkdown writes summary.md: the verdict per profile, the failing and
// erroring checks with their rule IDs and messages, and the skips.
func WriteMarkdown(w io.Writer, r Results) error {
	var b strings.Builder
	overall := "NOT CERTIFIED"
	if r.Certified() {
		overall = "CERTIFIED"
	}
	fmt.Fprintf(&b, "## CNAB conformance: %s %s: %s\n\n", mdText(r.Tool.Name), mdText(r.Tool.Version), overall)
	fmt.Fprintf(&b, "Suite %s (conformance %s", mdText(r.Suite.Version), mdText(r.Suite.ConformanceVersion))
	if r.Suite.Commit != "" {
		fmt.Fprintf(&b, ", commit %s", shortCommit(r.Suite.Commit))
	}
	fmt.Fprintf(&b, "), spec %s, run `%s`, %s.\n\n", mdText(orDash(r.SpecVersion)), r.RunID, r.StartTime.UTC().Format("2006-01-02 15:04 MST"))

	b.WriteString("| Profile | Verdict | MUST passed | Pass | Fail | Error | Skip | Disabled | Not applicable |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, v := range r.Verdicts {
		word := "not certified"
		if v.Certified {
			word = "**certified**"
		}
		fmt.Fprintf(&b, "| %s | %s | %d/%d | %d | %d | %d | %d | %d | %d |\n", v.Profile, word, v.MustPassed, v.Must,
			v.Counts.Pass, v.Counts.Fail, v.Counts.Error, v.Counts.Skip, v.Counts.Disabled, v.Counts.NotApplicable)
	}
	if len(r.Verdicts) == 0 {
		b.WriteString("| (none) | not certified | 0/0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
	}
	b.WriteString("\n")

	if len(r.SuiteErrors) > 0 {
		b.WriteString("### Suite errors\n\n")
		for _, e := range r.SuiteErrors {
			fmt.Fprintf(&b, "- **%s**: %s\n", mdText(e.Node), mdText(headline(e.Message)))
		}
		b.WriteString("\n")
	}

	failing := r.Failing()
	if len(failing) > 0 {
		fmt.Fprintf(&b, "### Failing checks (%d)\n\n", len(failing))
		for i, c := range failing {
			if i == MarkdownLimit {
				fmt.Fprintf(&b, "- ... and %d more (see report.html)\n", len(failing)-MarkdownLimit)
				break
			}
			msg := c.Reason
			if c.Failure != nil && c.Failure.Message != "" {
				msg = c.Failure.Message
			}
			fmt.Fprintf(&b, "- **%s** %s `%s` %s: %s\n", c.Status, mdText(c.Profile), strings.Join(c.Rules, "`, `"), mdText(c.Name), mdText(headline(msg)))
		}
		b.WriteString("\n")
	}

	var skips []Check
	for _, c := range r.Checks {
		if c.Status == StatusSkip {
			skips = append(skips, c)
		}
	}
	if len(skips) > 0 {
		fmt.Fprintf(&b, "<details><summary>Skipped checks (%d)</summary>\n\n", len(skips))
		for i, c := range skips {
			if i == MarkdownLimit {
				fmt.Fprintf(&b, "- ... and %d more\n", len(skips)-MarkdownLimit)
				break
			}
			fmt.Fprintf(&b, "- %s `%s` %s: %s\n", mdText(c.Profile), strings.Join(c.Rules, "`, `"), mdText(c.Name), mdText(headline(c.Reason)))
		}
		b.WriteString("\n</details>\n\n")
	}
	if r.Totals.NotApplicable > 0 {
		fmt.Fprintf(&b, "Not applicable to spec %s: %s (their rules do not hold in that version). They were not run, and neither pass nor block.\n\n", mdText(orDash(r.SpecVersion)), plural(r.Totals.NotApplicable, "check"))
	}
	b.WriteString("A profile is certified only when every MUST check in it that applies to the spec version passed; a skip never counts as a pass. Full evidence: report.html and results.json.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdText keeps free text from breaking the Markdown around it: no line
// breaks, no table pipes, no raw HTML.
func mdText(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ", "|", "\\|", "<", "&lt;", ">", "&gt;", "`", "'").Replace(s)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "..."
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
