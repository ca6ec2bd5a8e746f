package reports

import (
	"fmt"
	"html"
	"io"
	"unicode/utf8"
)

// Badge colours (the shields.io palette, so badges sit well next to others).
const (
	badgeGreen = "#4c1"
	badgeRed   = "#e05d44"
	badgeGrey  = "#9f9f9f"
	badgeLabel = "#555"
)

// BadgeFile is the file name of a profile's badge.
func BadgeFile(profile string) string { return "badge-" + profile + ".svg" }

// WriteBadge writes a flat SVG badge for one profile: "cnab <profile>" on the
// left, "certified", "not certified" or "not run" on the right.
func WriteBadge(w io.Writer, r Results, profile string) error {
	right, colour := "not run", badgeGrey
	if v, ok := r.Verdict(profile); ok {
		right, colour = "not certified", badgeRed
		if v.Certified {
			right, colour = "certified", badgeGreen
		}
	}
	left := "cnab " + profile
	// Verdana 11px averages about 7 px per character; 10 px padding each side.
	lw, rw := textWidth(left)+20, textWidth(right)+20
	tw := lw + rw
	title := html.EscapeString(fmt.Sprintf("%s: %s (%s %s)", left, right, r.Tool.Name, r.Tool.Version))
	l, rt := html.EscapeString(left), html.EscapeString(right)
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%[1]d" height="20" role="img" aria-label="%[2]s">
  <title>%[2]s</title>
  <linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
  <clipPath id="r"><rect width="%[1]d" height="20" rx="3" fill="#fff"/></clipPath>
  <g clip-path="url(#r)">
    <rect width="%[3]d" height="20" fill="%[6]s"/>
    <rect x="%[3]d" width="%[4]d" height="20" fill="%[5]s"/>
    <rect width="%[1]d" height="20" fill="url(#s)"/>
  </g>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
    <text x="%[7]d" y="15" fill="#010101" fill-opacity=".3">%[9]s</text>
    <text x="%[7]d" y="14">%[9]s</text>
    <text x="%[8]d" y="15" fill="#010101" fill-opacity=".3">%[10]s</text>
    <text x="%[8]d" y="14">%[10]s</text>
  </g>
</svg>
`, tw, title, lw, rw, colour, badgeLabel, lw/2, lw+rw/2, l, rt)
	return err
}

func textWidth(s string) int { return utf8.RuneCountInString(s) * 7 }
