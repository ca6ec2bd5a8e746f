package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
)

// parseCommand parses a command's flags wherever they stand among its
// arguments (cnab-validate bundles/ --format json). On -h it prints usage to
// stdout; on a bad flag, the error and usage to stderr. When ok is false the
// caller returns code.
func parseCommand(prog string, fl *flag.FlagSet, args []string, usage func(io.Writer), stdout, stderr io.Writer) (rest []string, code int, ok bool) {
	fl.SetOutput(io.Discard)
	rest, err := parseMixed(fl, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return nil, cli.ExitOK, false
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n\n", prog, err)
		usage(stderr)
		return nil, cli.ExitUsage, false
	}
	return rest, cli.ExitOK, true
}

// parseMixed parses flags that may come before, between or after the
// positional arguments; everything after "--" is positional.
func parseMixed(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for i, a := range args {
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			args = args[:i]
			break
		}
	}
	var rest []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		args = fl.Args()
		if len(args) == 0 {
			return append(rest, pos...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}
