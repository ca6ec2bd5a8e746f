package schemadiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Flip is a corpus document whose verdict differs between the two sides.
type Flip struct {
	File   string `json:"file"`
	Before string `json:"before"` // "valid" or "invalid"
	After  string `json:"after"`
	Rule   string `json:"rule"` // rule ID of the finding that makes the invalid side invalid
	// Message is that finding's text, with its pointer, for the text and
	// markdown reports.
	Message string `json:"-"`
}

// Report is the outcome of a diff, as written by the diff command.
type Report struct {
	Old     string   `json:"-"`
	New     string   `json:"-"`
	Changes []Change `json:"changes"`
	Flips   []Flip   `json:"flips"`
}

// Breaking reports whether any change is breaking or any document went
// from valid to invalid.
func (r *Report) Breaking() bool { return r.AtLeast(Breaking) }

// AtLeast reports whether any change is of class c or more harmful
// (breaking > silent-removal > relaxing > additive); a document that went
// from valid to invalid counts as breaking.
func (r *Report) AtLeast(c Class) bool {
	for _, ch := range r.Changes {
		if ch.Class.rank() >= c.rank() {
			return true
		}
	}
	for _, f := range r.Flips {
		if f.Before == Valid && f.After == Invalid {
			return true
		}
	}
	return false
}

// ParseClass reads a class name.
func ParseClass(s string) (Class, error) {
	for _, c := range classOrder {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown change class %q (want breaking, silent-removal, relaxing or additive)", s)
}

// Count returns the number of changes of a class.
func (r *Report) Count(c Class) int {
	n := 0
	for _, ch := range r.Changes {
		if ch.Class == c {
			n++
		}
	}
	return n
}

// Formats the report can be written in.
var Formats = []string{"text", "json", "markdown"}

// Write writes the report in format text, json or markdown.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		out := *r
		if out.Changes == nil {
			out.Changes = []Change{}
		}
		if out.Flips == nil {
			out.Flips = []Flip{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // "->" in details stays readable
		return enc.Encode(out)
	case "text", "":
		return r.writeText(w)
	case "markdown", "md":
		return r.writeMarkdown(w)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

var classOrder = []Class{Breaking, SilentRemoval, Relaxing, Additive}

func (r *Report) summary() string {
	parts := []string{}
	for _, c := range classOrder {
		parts = append(parts, fmt.Sprintf("%d %s", r.Count(c), c))
	}
	return strings.Join(parts, ", ")
}

func (r *Report) writeText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("%s -> %s: %d change(s): %s\n", r.Old, r.New, len(r.Changes), r.summary())
	for _, c := range r.Changes {
		ew.printf("%-14s %s: %s: %s\n", c.Class, c.Pointer, c.Change, c.Detail)
	}
	if len(r.Flips) > 0 {
		ew.printf("\n%d document(s) change verdict:\n", len(r.Flips))
		for _, f := range r.Flips {
			ew.printf("%s: %s -> %s: %s %s\n", f.File, f.Before, f.After, f.Rule, f.Message)
		}
	}
	return ew.err
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func (r *Report) writeMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	verdict := "No breaking change."
	if r.Breaking() {
		verdict = "**Breaking**: this change needs the `breaking-change` label."
	} else if n := r.Count(SilentRemoval); n > 0 {
		verdict = fmt.Sprintf("No breaking change, but **%d silent removal(s)**: documents that use the removed properties still validate, and what those properties meant is gone.", n)
	}
	ew.printf("### Schema diff `%s` -> `%s`\n\n%s %d change(s): %s.\n\n", r.Old, r.New, verdict, len(r.Changes), r.summary())
	if len(r.Changes) > 0 {
		ew.printf("| class | schema pointer | change | detail |\n|---|---|---|---|\n")
		for _, c := range r.Changes {
			ew.printf("| %s | `%s` | %s | %s |\n", c.Class, mdEscape(c.Pointer), mdEscape(c.Change), mdEscape(c.Detail))
		}
		ew.printf("\n")
	}
	if len(r.Flips) > 0 {
		ew.printf("#### Documents whose verdict flips\n\n| file | before | after | rule | finding |\n|---|---|---|---|---|\n")
		for _, f := range r.Flips {
			ew.printf("| `%s` | %s | %s | %s | %s |\n", mdEscape(f.File), f.Before, f.After, f.Rule, mdEscape(f.Message))
		}
		ew.printf("\n")
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
