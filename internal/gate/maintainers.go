package gate

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Maintainer is one row of the active maintainer table.
type Maintainer struct {
	Name        string `json:"name"`
	Handle      string `json:"handle"` // GitHub login, without the @
	Affiliation string `json:"affiliation"`
}

// ParseError says what is wrong with an input file and on which line.
type ParseError struct {
	File string
	Line int // 1-based; 0 when the problem is the file as a whole
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// maintainersHeading is the section whose first table lists the active
// maintainers. Emeritus maintainers sit in a later section and never count.
const maintainersHeading = "## maintainers"

// ParseMaintainers reads the active maintainer table from MAINTAINERS.md:
// the first Markdown table under the "## Maintainers" heading, with the
// columns Name, GitHub and Affiliation in any order. An empty table is valid
// (no one can approve yet); a missing section or a malformed row is an error
// that names its line.
func ParseMaintainers(file string, r io.Reader) ([]Maintainer, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var (
		line       int
		inSection  bool
		sawSection bool
		cols       map[string]int // column name -> index, once the header is read
		sawDivider bool
		tableDone  bool
		out        []Maintainer
		seen       = map[string]int{}
	)
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(text, "#") {
			if inSection && strings.HasPrefix(text, "## ") {
				break // next section: the table is over
			}
			if strings.EqualFold(text, maintainersHeading) {
				inSection, sawSection = true, true
			}
			continue
		}
		if !inSection || tableDone {
			continue
		}
		if !strings.HasPrefix(text, "|") {
			if cols != nil && text != "" {
				tableDone = true // prose after the table ends it
			}
			continue
		}
		cells := splitRow(text)
		switch {
		case cols == nil:
			cols = map[string]int{}
			for i, c := range cells {
				name := strings.ToLower(c)
				if _, dup := cols[name]; dup {
					return nil, &ParseError{file, line, fmt.Sprintf("maintainer table header names the %q column twice", c)}
				}
				cols[name] = i
			}
			for _, want := range []string{"name", "github", "affiliation"} {
				if _, ok := cols[want]; !ok {
					return nil, &ParseError{file, line, fmt.Sprintf("maintainer table header lacks the %q column (want Name | GitHub | Affiliation)", want)}
				}
			}
		case !sawDivider:
			if !isDivider(cells) {
				return nil, &ParseError{file, line, "maintainer table header must be followed by a |---| divider row"}
			}
			sawDivider = true
		default:
			if len(cells) != len(cols) {
				return nil, &ParseError{file, line, fmt.Sprintf("maintainer row has %d cells, the header has %d", len(cells), len(cols))}
			}
			m := Maintainer{
				Name:        cells[cols["name"]],
				Handle:      strings.TrimPrefix(cells[cols["github"]], "@"),
				Affiliation: cells[cols["affiliation"]],
			}
			if m.Handle == "" || !validLogin(m.Handle) {
				return nil, &ParseError{file, line, fmt.Sprintf("maintainer row has an invalid GitHub handle %q", cells[cols["github"]])}
			}
			if m.Name == "" {
				return nil, &ParseError{file, line, "maintainer row has an empty name"}
			}
			key := strings.ToLower(m.Handle)
			if prev, dup := seen[key]; dup {
				return nil, &ParseError{file, line, fmt.Sprintf("maintainer %q is listed twice (first on line %d)", m.Handle, prev)}
			}
			seen[key] = line
			out = append(out, m)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{file, line, err.Error()}
	}
	if !sawSection {
		return nil, &ParseError{file, 0, `no "## Maintainers" section`}
	}
	if cols == nil || !sawDivider {
		return nil, &ParseError{file, 0, `the "## Maintainers" section has no table (want | Name | GitHub | Affiliation |)`}
	}
	return out, nil
}

func splitRow(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	parts := strings.Split(row, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func isDivider(cells []string) bool {
	for _, c := range cells {
		c = strings.Trim(c, ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return true
}

// validLogin follows GitHub's rules: alphanumerics and single hyphens, not
// at either end, at most 39 characters.
func validLogin(s string) bool {
	if len(s) == 0 || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
