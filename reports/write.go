package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File names WriteAll writes.
const (
	ResultsFile  = "results.json"
	JUnitFile    = "junit.xml"
	HTMLFile     = "report.html"
	MarkdownFile = "summary.md"
)

// Formats are the names accepted by Render ("badge" needs a profile).
var Formats = []string{"json", "junit", "html", "markdown", "badge"}

// FileFor returns the file name of a format.
func FileFor(format, profile string) string {
	switch format {
	case "json":
		return ResultsFile
	case "junit":
		return JUnitFile
	case "html":
		return HTMLFile
	case "markdown":
		return MarkdownFile
	case "badge":
		return BadgeFile(profile)
	}
	return ""
}

// Render writes one format. profile is used by the badge only.
func Render(w io.Writer, r Results, format, profile string) error {
	switch format {
	case "json":
		b, err := Marshal(r)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	case "junit":
		return WriteJUnit(w, r)
	case "html":
		return WriteHTML(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	case "badge":
		if profile == "" {
			return errors.New("the badge format needs a profile")
		}
		return WriteBadge(w, r, profile)
	}
	return fmt.Errorf("unknown format %q (want json, junit, html, markdown or badge)", format)
}

// BadgeProfiles are the profiles that get a badge: every judged profile.
func BadgeProfiles(r Results) []string {
	var out []string
	for _, v := range r.Verdicts {
		out = append(out, v.Profile)
	}
	return out
}

// WriteAll writes every format into dir (created if needed): results.json,
// junit.xml, report.html, summary.md and badge-<profile>.svg per judged
// profile. It writes each file it can and returns every error, so one
// broken writer does not cost the others. Each file is written to a
// temporary name and renamed, so a reader never sees half a file.
func WriteAll(dir string, r Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	var errs []error
	type job struct{ format, profile string }
	jobs := []job{{"json", ""}, {"junit", ""}, {"html", ""}, {"markdown", ""}}
	for _, p := range BadgeProfiles(r) {
		jobs = append(jobs, job{"badge", p})
	}
	for _, j := range jobs {
		if err := writeFile(filepath.Join(dir, FileFor(j.format, j.profile)), func(w io.Writer) error {
			return Render(w, r, j.format, j.profile)
		}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func writeFile(path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("reports: %w", err)
	}
	return nil
}
