package specexamples

import (
	"strings"
)

// Block is one fenced code block labelled json.
type Block struct {
	File    string
	Line    int    // line of the opening fence, 1-based
	Lang    string // the info string's first word, as written
	Text    []byte // the content, with the fence's indentation removed
	Heading string // the nearest heading above
	Hint    Hint
}

// FirstLine is the markdown line of the block's first content line.
func (b Block) FirstLine() int { return b.Line + 1 }

// Hint is what a <!-- cnab-validate: ... --> comment asks for.
type Hint struct {
	Present  bool
	Skip     bool
	Kind     string
	Fragment bool
	Spec     string
	Unknown  []string // words the hint did not understand
}

const hintPrefix = "cnab-validate:"

// parseHint reads a hint comment line, or returns false.
func parseHint(line string) (Hint, bool) {
	s := strings.TrimSpace(line)
	if !strings.HasPrefix(s, "<!--") || !strings.HasSuffix(s, "-->") {
		return Hint{}, false
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "<!--"), "-->"))
	rest, ok := strings.CutPrefix(s, hintPrefix)
	if !ok {
		return Hint{}, false
	}
	h := Hint{Present: true}
	for _, w := range strings.Fields(rest) {
		k, v, _ := strings.Cut(w, "=")
		switch k {
		case "skip":
			h.Skip = true
		case "fragment":
			h.Fragment = true
		case "kind":
			h.Kind = v
		case "spec":
			h.Spec = v
		default:
			h.Unknown = append(h.Unknown, w)
		}
	}
	return h, true
}

// fence recognises an opening or closing code fence: up to any indentation
// (fences inside list items are indented), then three or more backticks or
// tildes.
func fence(line string) (indent int, marker string, info string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	indent = len(line) - len(t)
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return 0, "", "", false
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return 0, "", "", false
	}
	info = strings.TrimSpace(t[n:])
	if t[0] == '`' && strings.Contains(info, "`") {
		return 0, "", "", false // not a fence in CommonMark
	}
	return indent, t[:n], info, true
}

// Extract returns every fenced block whose info string says json, with its
// line, heading and hint. Blocks in other languages are skipped, but they
// do consume a pending hint, so a hint never jumps over a block.
func Extract(file string, md []byte) []Block {
	lines := strings.Split(strings.ReplaceAll(string(md), "\r\n", "\n"), "\n")
	var out []Block
	var heading string
	var pending Hint
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if h, ok := parseHint(line); ok {
			pending = h
			continue
		}
		if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, "#") {
			heading = strings.TrimSpace(strings.TrimLeft(t, "#"))
			continue
		}
		indent, marker, info, ok := fence(line)
		if !ok {
			continue
		}
		lang, _, _ := strings.Cut(info, " ")
		start := i
		var body []string
		for i++; i < len(lines); i++ {
			_, cm, cinfo, cok := fence(lines[i])
			if cok && cinfo == "" && cm[0] == marker[0] && len(cm) >= len(marker) {
				break
			}
			body = append(body, dedent(lines[i], indent))
		}
		hint := pending
		pending = Hint{}
		if !strings.EqualFold(lang, "json") {
			continue
		}
		out = append(out, Block{File: file, Line: start + 1, Lang: lang,
			Text: []byte(strings.Join(body, "\n")), Heading: heading, Hint: hint})
	}
	return out
}

// dedent removes up to n leading spaces, as CommonMark does for the content
// of an indented fence.
func dedent(s string, n int) string {
	i := 0
	for i < n && i < len(s) && s[i] == ' ' {
		i++
	}
	return s[i:]
}
