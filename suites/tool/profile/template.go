package profile

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

// vars is what a template sees. Field names are the template variables.
type vars struct {
	Bundle       string
	Reference    string
	Destination  string
	Installation string
	Action       string
	Parameters   string
	Credentials  string
	OutputDir    string
	Archive      string
	WorkDir      string
	StateDir     string
	DockerHost   string
	Tool         string
}

// Variables lists the template variables, as written in a template.
func Variables() []string {
	t := reflect.TypeFor[vars]()
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = "." + t.Field(i).Name
	}
	return out
}

func knownVar(name string) bool {
	_, ok := reflect.TypeFor[vars]().FieldByName(name)
	return ok
}

// knownKeys lists the YAML keys of a struct, for error messages.
func knownKeys(v any) string {
	t := reflect.TypeOf(v)
	var out []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func newVars(req tool.Request, stateDir, exe, dockerHost string) vars {
	return vars{
		Bundle: req.Bundle, Reference: req.Reference, Destination: req.Destination,
		Installation: req.Installation, Action: req.Action, Parameters: req.Parameters,
		Credentials: req.Credentials, OutputDir: req.OutputDir, Archive: req.Archive,
		WorkDir: req.WorkDir, StateDir: stateDir, DockerHost: dockerHost, Tool: exe,
	}
}

// sampleRequest has every field set; used to dry-run templates at load time.
func sampleRequest() tool.Request {
	return tool.Request{Bundle: "/b/bundle.json", Reference: "127.0.0.1:1/r:t", Destination: "127.0.0.1:2/r:t",
		Installation: "i", Action: "a", Parameters: "/p.json", Credentials: "/c.json", OutputDir: "/o",
		Archive: "/a.tgz", WorkDir: "/w"}
}

// Placeholders: while a command line is rendered, every non-empty variable
// prints as a token that cannot occur in a profile (NUL-delimited), so the
// line can be split into arguments before the real values go in. Empty
// variables stay empty, so {{if .X}} still tests the real value.
const tokenMark = "\x00"

func token(name string) string { return tokenMark + name + tokenMark }

func placeholders(req tool.Request, stateDir, exe, dockerHost string) vars {
	real := newVars(req, stateDir, exe, dockerHost)
	var ph vars
	rv, pv := reflect.ValueOf(real), reflect.ValueOf(&ph).Elem()
	for i := range rv.NumField() {
		if rv.Field(i).String() != "" {
			pv.Field(i).SetString(token(rv.Type().Field(i).Name))
		}
	}
	return ph
}

// substitute replaces the tokens in s with the real values, each passed
// through quote (identity for argv, shell quoting for shell commands).
func substitute(s string, real vars, quote func(string) string) (string, error) {
	if !strings.Contains(s, tokenMark) {
		return s, nil
	}
	rv := reflect.ValueOf(real)
	var b strings.Builder
	for {
		i := strings.Index(s, tokenMark)
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		rest := s[i+1:]
		j := strings.Index(rest, tokenMark)
		if j < 0 {
			return "", errors.New("a template function split a variable's value")
		}
		f := rv.FieldByName(rest[:j])
		if !f.IsValid() {
			return "", fmt.Errorf("a template function changed the variable %q", rest[:j])
		}
		b.WriteString(quote(f.String()))
		s = rest[j+1:]
	}
}

// parseTemplate parses a template and rejects references to unknown
// variables and to functions outside text/template's built-ins, so a typo is
// a load error, not a failure halfway through a run.
func parseTemplate(name, text string) (*template.Template, error) {
	tm, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("bad template: %s", strings.TrimPrefix(err.Error(), "template: "))
	}
	var bad []string
	for _, t := range tm.Templates() {
		if t.Tree == nil {
			continue
		}
		walk(t.Tree.Root, func(n parse.Node) {
			switch n := n.(type) {
			case *parse.FieldNode:
				if !knownVar(n.Ident[0]) {
					bad = append(bad, "."+n.Ident[0])
				}
			case *parse.VariableNode:
				if n.Ident[0] == "$" && len(n.Ident) > 1 && !knownVar(n.Ident[1]) {
					bad = append(bad, "$."+n.Ident[1])
				}
			case *parse.ChainNode:
				bad = append(bad, n.String())
			}
		})
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("unknown variable %s (known: %s)", strings.Join(bad, ", "), strings.Join(Variables(), " "))
	}
	return tm, nil
}

// walk visits every node of a template tree.
func walk(n parse.Node, fn func(parse.Node)) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			walk(c, fn)
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			walk(c, fn)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, fn)
		}
	case *parse.ChainNode:
		walk(n.Node, fn)
	case *parse.IfNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.TemplateNode:
		walk(n.Pipe, fn)
	}
}

// splitWords splits a command line into arguments the way a POSIX shell
// splits words: blanks separate, single quotes keep everything literal,
// double quotes keep blanks (and \" \\ \$ \` escape), a backslash outside
// quotes escapes the next character. An empty quoted word stays an argument;
// nothing else is interpreted (no variables, globs or redirections).
func splitWords(s string) ([]string, error) {
	var (
		words  []string
		cur    strings.Builder
		inWord bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			inWord = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inWord = true
			i++
			for ; ; i++ {
				if i >= len(s) {
					return nil, errors.New("unterminated double quote")
				}
				if s[i] == '"' {
					break
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
		case c == '\\':
			inWord = true
			if i+1 >= len(s) {
				return nil, errors.New("trailing backslash")
			}
			i++
			cur.WriteByte(s[i])
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// shellQuote makes s one single-quoted POSIX shell word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// displayQuote quotes an argument for the command line shown in reports,
// only when it needs it.
func displayQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`;&|<>()*?[]{}#~!") {
		return s
	}
	return shellQuote(s)
}

func identity(s string) string { return s }
