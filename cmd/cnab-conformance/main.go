// Command cnab-conformance runs the CNAB conformance suites against a tool,
// renders and verifies their results, and gates merges on maintainer
// approvals. Each subcommand is one file of this package.
package main

import "github.com/cnab-conformance/cnab-conformance/internal/cli"

var commands = cli.Set{
	Program: "cnab-conformance",
	About: `cnab-conformance checks that a CNAB tool follows the CNAB specification: it
drives the tool through push, promote, pull, install, upgrade, invoke and
uninstall against local registries and the Docker engine, and reports every
check by its rule ID. It also re-renders and verifies results, prints the
rule catalogue and its coverage, and runs the LGTM+2 merge gate.`,
}

func main() { commands.Main() }
