// Package profile is the YAML tool profile adapter: it lets any CNAB tool
// with a command line plug into the suites without Go code. A profile names
// the tool, how to print its version, and per operation a command template
// with the variables the suite fills in, how long it may take, and how to
// read its result (exit code; a digest from stdout by pattern or from a
// file; a pulled bundle and a relocation mapping from files). Load validates
// a profile strictly and names the file and field of every problem; the
// loaded *Tool implements suites/tool.Tool.
//
// A profile looks like this (see fixtures/adapters/reference.yaml):
//
//	name: cnab-ref
//	tool: ../../bin/cnab-ref        # relative to this file, or a name in PATH
//	version:
//	  command: '{{.Tool}} version'
//	  pattern: 'cnab-ref (\S+)'     # optional; first group is the version
//	env:                            # added to every command (templates)
//	  CNAB_REF_STATE: '{{.StateDir}}'
//	timeout: 2m                     # default per operation
//	optIn:                          # arguments that request extra access
//	  privileged: [--privileged]
//	  dockerHost: [--mount-docker-socket]
//	operations:
//	  push:
//	    command: '{{.Tool}} push --bundle {{.Bundle}} --ref {{.Reference}}'
//	    digest: {stdout: 'digest: (sha256:[0-9a-f]{64})'}
//	  pull:
//	    command: '{{.Tool}} pull --ref {{.Reference}} --out {{.OutputDir}}/bundle.json'
//	    bundle: '{{.OutputDir}}/bundle.json'
//
// Operations: push, pull, copy, install, upgrade, invoke, uninstall, export,
// import. Variables: {{.Bundle}} {{.Reference}} {{.Destination}}
// {{.Installation}} {{.Action}} {{.Parameters}} {{.Credentials}}
// {{.OutputDir}} {{.Archive}} {{.WorkDir}}, plus {{.StateDir}} (a directory
// kept for the whole run, for the tool's own state), {{.DockerHost}} (the
// recording proxy) and {{.Tool}} (the tool's executable). A variable that
// does not apply to an operation is empty; {{if .Parameters}}--params
// {{.Parameters}}{{end}} leaves the flag out.
//
// Commands are split into arguments like a shell would split them (spaces,
// single and double quotes, backslash) BEFORE the variables are filled in,
// so a path with spaces stays one argument and a value can never inject
// another one; no shell runs unless the operation says `shell: true`, in
// which case every variable expands to a single-quoted shell word. A command
// may also be written as a YAML list, one argument per element (an element
// that renders empty is dropped).
//
// Every command runs in its own process group with the suite's environment
// plus the profile's and the suite's additions; at its timeout the whole
// group is sent SIGTERM, then SIGKILL, and the result says it timed out.
package profile
