// Package tool is how the suites drive a CNAB tool. A Tool runs one
// operation (push, install, ...) with the inputs the suite prepared and says
// what happened. The YAML tool profile adapter implements it for any CLI;
// tool authors who prefer Go implement it directly.
package tool

import (
	"context"
	"time"
)

// Operation is one thing a CNAB tool can be asked to do.
type Operation string

// The operations a profile may declare. One it does not declare is skipped
// with that reason, never passed.
const (
	Push      Operation = "push"
	Pull      Operation = "pull"
	Copy      Operation = "copy"
	Install   Operation = "install"
	Upgrade   Operation = "upgrade"
	Invoke    Operation = "invoke"
	Uninstall Operation = "uninstall"
	Export    Operation = "export"
	Import    Operation = "import"
)

// Operations lists every operation in lifecycle order.
var Operations = []Operation{Push, Pull, Copy, Install, Upgrade, Invoke, Uninstall, Export, Import}

// Request holds what the suite fills in for one operation. Empty fields do
// not apply to the operation. Parameters and Credentials are paths to JSON
// files holding one object, name -> value (strings as JSON strings, other
// types as their JSON value).
type Request struct {
	Bundle       string // path of a bundle.json
	Reference    string // OCI reference the operation reads or writes
	Destination  string // OCI reference copied to (copy)
	Installation string // installation name
	Action       string // custom action name (invoke)
	Parameters   string // path of the parameters file
	Credentials  string // path of the credentials file
	OutputDir    string // where the tool writes outputs and pulled files
	Archive      string // thick bundle path (export, import)
	WorkDir      string // private scratch directory for this operation
	Env          []string
	// Opt-in access: the tool is asked, through its profile's declared
	// arguments, to run the invocation image privileged or with access to
	// the Docker host. A profile without such arguments cannot opt in.
	Privileged       bool
	DockerHostAccess bool
	Timeout          time.Duration // 0: the profile's or the suite's default
}

// Result is what came back from the tool. ExitCode is -1 when the process
// did not exit on its own (killed at its timeout).
type Result struct {
	Command           string // the command line as run, for reports
	ExitCode          int
	Stdout            string
	Stderr            string
	Duration          time.Duration
	TimedOut          bool
	Digest            string // digest the tool reported (push, copy)
	PulledBundle      string // path of the bundle.json the tool produced (pull)
	RelocationMapping string // path of the relocation mapping it produced, if any
}

// OK reports whether the operation succeeded.
func (r Result) OK() bool { return r.ExitCode == 0 && !r.TimedOut }

// Tool is a CNAB tool under test.
type Tool interface {
	// Name is the tool's display name.
	Name() string
	// Version is what the tool says its version is.
	Version(ctx context.Context) (string, error)
	// Supports reports whether the tool declares the operation.
	Supports(op Operation) bool
	// CanOptIn reports whether the tool has a way to request privileged
	// mode (privileged) or Docker host access (dockerHost).
	CanOptIn(privileged, dockerHost bool) bool
	// Run performs op. A non-nil error means the harness could not run the
	// tool at all (missing binary, bad template); a tool that ran and
	// failed is reported through Result.
	Run(ctx context.Context, op Operation, req Request) (Result, error)
}
