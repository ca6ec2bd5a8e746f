// Command cnab-validate lints CNAB documents against the spec versions.
// Each subcommand is one file of this package; the linting itself lives in
// the validator package.
package main

import "github.com/cnab-conformance/cnab-conformance/internal/cli"

var commands = cli.Set{
	Program: "cnab-validate",
	About: `cnab-validate checks CNAB documents (bundle.json, claims, claim results,
dependencies, parameter sources, relocation mappings, status outputs, thick
bundle archives and bundles in an OCI registry) against the CNAB spec
versions, and reports every finding with its rule ID, location and fix.

Usage: cnab-validate [flags] PATH...    (lint; PATH may be a file, a folder or -)

Documents are checked as under development unless --canonical asks for the
release checks of signed or registry-bound bundles: canonical JSON (B-101-01)
is then required, and a missing contentDigest (B-101-14) is an error instead
of a warning.`,
}

func main() { commands.Main() }
