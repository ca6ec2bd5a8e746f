// Package cli is the small subcommand dispatcher both binaries share: each
// subcommand lives in its own file of the cmd package and registers itself.
// Exit codes follow the project's convention: 0 success, 1 the check found
// problems, 2 usage or I/O error.
package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes shared by every command.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
)

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string // one line for the command list
	// Run gets the arguments after the subcommand name and returns the exit code.
	Run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// Set is a program's subcommands.
type Set struct {
	Program string
	About   string // a paragraph printed above the command list
	cmds    map[string]Command
	// Default runs when the first argument is not a subcommand name (for
	// cnab-validate, linting paths is the default action). Nil means print help.
	Default func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// Add registers a subcommand.
func (s *Set) Add(c Command) {
	if s.cmds == nil {
		s.cmds = map[string]Command{}
	}
	if _, dup := s.cmds[c.Name]; dup {
		panic("cli: duplicate subcommand " + c.Name)
	}
	s.cmds[c.Name] = c
}

// Main dispatches os.Args and exits.
func (s *Set) Main() {
	os.Exit(s.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Run dispatches args and returns the exit code.
func (s *Set) Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			if len(args) > 1 {
				if c, ok := s.cmds[args[1]]; ok {
					return c.Run([]string{"-h"}, stdin, stdout, stderr)
				}
			}
			s.Usage(stdout)
			return ExitOK
		}
		if c, ok := s.cmds[args[0]]; ok {
			return c.Run(args[1:], stdin, stdout, stderr)
		}
	}
	if s.Default != nil {
		return s.Default(args, stdin, stdout, stderr)
	}
	if len(args) == 0 {
		s.Usage(stderr)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n\n", s.Program, args[0])
	s.Usage(stderr)
	return ExitUsage
}

// Usage prints the about text and the command list.
func (s *Set) Usage(w io.Writer) {
	fmt.Fprintln(w, strings.TrimSpace(s.About))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(s.cmds))
	for n := range s.cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, s.cmds[n].Summary)
	}
	fmt.Fprintf(w, "\nRun '%s COMMAND -h' for a command's flags.\n", s.Program)
}
