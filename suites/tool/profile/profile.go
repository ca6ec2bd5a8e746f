package profile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

// file is the YAML document. Field names are the profile's keys; unknown
// keys are errors.
type file struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Untested    bool              `yaml:"untested"` // written from the tool's docs, never run against it
	Tool        string            `yaml:"tool"`
	Env         map[string]string `yaml:"env"`
	Timeout     time.Duration     `yaml:"timeout"`
	Version     *versionSpec      `yaml:"version"`
	OptIn       optInSpec         `yaml:"optIn"`
	Operations  map[string]opSpec `yaml:"operations"`
}

type versionSpec struct {
	Command command `yaml:"command"`
	Shell   bool    `yaml:"shell"`
	Pattern string  `yaml:"pattern"`
}

type optInSpec struct {
	Privileged []string `yaml:"privileged"`
	DockerHost []string `yaml:"dockerHost"`
}

type opSpec struct {
	Command           command           `yaml:"command"`
	Shell             bool              `yaml:"shell"`
	Env               map[string]string `yaml:"env"`
	Timeout           time.Duration     `yaml:"timeout"`
	Digest            *digestSpec       `yaml:"digest"`
	Bundle            string            `yaml:"bundle"`
	RelocationMapping string            `yaml:"relocationMapping"`
	OptIn             *optInSpec        `yaml:"optIn"`
}

type digestSpec struct {
	Stdout string `yaml:"stdout"` // regular expression; first group (or whole match) is the digest
	File   string `yaml:"file"`   // template of a file holding the digest
}

// command is a command template, written as one string or a list of
// arguments.
type command struct {
	Line string
	Args []string
	set  bool
}

func (c *command) UnmarshalYAML(n *yaml.Node) error {
	c.set = true
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Decode(&c.Line)
	case yaml.SequenceNode:
		return n.Decode(&c.Args)
	}
	return fmt.Errorf("line %d: command: want a string or a list of arguments", n.Line)
}

// Which operations may name which result fields.
var (
	digestOps  = []tool.Operation{tool.Push, tool.Copy, tool.Import}
	bundleOps  = []tool.Operation{tool.Pull}
	relocOps   = []tool.Operation{tool.Pull, tool.Copy}
	runtimeOps = []tool.Operation{tool.Install, tool.Upgrade, tool.Invoke, tool.Uninstall}
)

// Tool is a loaded profile. It implements tool.Tool.
type Tool struct {
	path           string // as given to Load, for messages
	name           string
	untested       bool
	exe            string // resolved executable, or a bare name looked up in PATH at run time
	env            []tmplEnv
	defaultTimeout time.Duration
	stateDir       string
	version        *operation
	versionPattern *regexp.Regexp
	ops            map[tool.Operation]*operation
	optIn          optInSpec
}

type tmplEnv struct {
	key string
	val *template.Template
}

// operation is one compiled operation.
type operation struct {
	op       tool.Operation
	field    string // "operations.push", for messages
	shell    bool
	line     *template.Template   // string form
	args     []*template.Template // list form
	env      []tmplEnv
	timeout  time.Duration
	digestRe *regexp.Regexp
	digestF  *template.Template
	bundle   *template.Template
	reloc    *template.Template
	optIn    optInSpec
}

// Option changes how a profile is loaded.
type Option func(*Tool)

// WithBinary replaces the executable the profile names (its `tool` field).
// Empty keeps the profile's.
func WithBinary(path string) Option {
	return func(t *Tool) {
		if path != "" {
			t.exe = path
		}
	}
}

// WithDefaultTimeout is the per-operation timeout for operations whose
// profile names none (neither per operation nor at the top).
func WithDefaultTimeout(d time.Duration) Option {
	return func(t *Tool) {
		if d > 0 {
			t.defaultTimeout = d
		}
	}
}

// WithStateDir is the value of {{.StateDir}}: a directory kept for the whole
// run, where the tool keeps its claims.
func WithStateDir(dir string) Option { return func(t *Tool) { t.stateDir = dir } }

// DefaultTimeout applies when neither the profile nor WithDefaultTimeout set one.
const DefaultTimeout = 2 * time.Minute

// Load reads and validates a profile. Every error names the file and the
// field (and the line, for YAML errors).
func Load(path string, opts ...Option) (*Tool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tool profile: %w", err)
	}
	return Parse(path, data, opts...)
}

// Parse is Load for a profile already in memory; path names it in errors and
// anchors a relative `tool` path.
func Parse(path string, data []byte, opts ...Option) (*Tool, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %s", path, yamlMessage(err))
	}
	t := &Tool{path: path, name: f.Name, untested: f.Untested, defaultTimeout: DefaultTimeout, optIn: f.OptIn}
	errs := t.compile(&f)
	if len(errs) > 0 {
		for i, e := range errs {
			errs[i] = fmt.Errorf("%s: %w", path, e)
		}
		return nil, errors.Join(errs...)
	}
	t.exe = resolveExe(path, f.Tool)
	for _, o := range opts {
		o(t)
	}
	if t.exe == "" && usesTool(&f) {
		return nil, fmt.Errorf("%s: tool: required, the commands use {{.Tool}}", path)
	}
	if f.Timeout > 0 { // the profile's own default wins over the suite's
		t.defaultTimeout = f.Timeout
	}
	return t, nil
}

// usesTool reports whether a command names the {{.Tool}} variable.
func usesTool(f *file) bool {
	has := func(c command) bool {
		for _, a := range append([]string{c.Line}, c.Args...) {
			if strings.Contains(a, ".Tool") {
				return true
			}
		}
		return false
	}
	if f.Version != nil && has(f.Version.Command) {
		return true
	}
	for _, o := range f.Operations {
		if has(o.Command) {
			return true
		}
	}
	return false
}

// resolveExe makes a relative path with a separator relative to the profile
// file; a bare name stays a name for PATH lookup at run time.
func resolveExe(profilePath, exe string) string {
	if exe == "" || filepath.IsAbs(exe) || !strings.ContainsRune(exe, '/') {
		return exe
	}
	p := filepath.Join(filepath.Dir(profilePath), exe)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// yamlMessage rewrites yaml.v3's Go type names into profile field names.
func yamlMessage(err error) string {
	msg := err.Error()
	if te := (*yaml.TypeError)(nil); errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	r := strings.NewReplacer(
		"in type profile.file", "at the top level of the profile (known: "+knownKeys(file{})+")",
		"in type profile.opSpec", "in an operation (known: "+knownKeys(opSpec{})+")",
		"in type profile.versionSpec", "in version (known: "+knownKeys(versionSpec{})+")",
		"in type profile.optInSpec", "in optIn (known: "+knownKeys(optInSpec{})+")",
		"in type profile.digestSpec", "in digest (known: "+knownKeys(digestSpec{})+")",
		"yaml: unmarshal errors:\n  ", "",
	)
	return r.Replace(msg)
}

func (t *Tool) compile(f *file) []error {
	var errs []error
	add := func(field string, err error) { errs = append(errs, fmt.Errorf("%s: %w", field, err)) }
	if strings.TrimSpace(f.Name) == "" {
		add("name", errors.New("required"))
	}
	if len(f.Operations) == 0 {
		add("operations", errors.New("declare at least one operation"))
	}
	t.env = compileEnv("env", f.Env, add)
	if f.Version != nil {
		v := &operation{field: "version", shell: f.Version.Shell, timeout: 30 * time.Second}
		if err := compileCommand(v, f.Version.Command); err != nil {
			add("version.command", err)
		}
		if f.Version.Pattern != "" {
			re, err := regexp.Compile(f.Version.Pattern)
			if err != nil {
				add("version.pattern", fmt.Errorf("bad regular expression: %w", err))
			}
			t.versionPattern = re
		}
		t.version = v
	}
	t.ops = map[tool.Operation]*operation{}
	names := make([]string, 0, len(f.Operations))
	for n := range f.Operations {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		spec := f.Operations[n]
		field := "operations." + n
		op := tool.Operation(n)
		if !slices.Contains(tool.Operations, op) {
			add(field, fmt.Errorf("unknown operation %q (known: %s)", n, opNames()))
			continue
		}
		o := &operation{op: op, field: field, shell: spec.Shell, timeout: spec.Timeout}
		if err := compileCommand(o, spec.Command); err != nil {
			add(field+".command", err)
		}
		o.env = compileEnv(field+".env", spec.Env, add)
		if spec.Timeout < 0 {
			add(field+".timeout", errors.New("must be positive"))
		}
		if d := spec.Digest; d != nil {
			switch {
			case !slices.Contains(digestOps, op):
				add(field+".digest", fmt.Errorf("does not apply to %s (only to %s)", op, joinOps(digestOps)))
			case (d.Stdout == "") == (d.File == ""):
				add(field+".digest", errors.New("set exactly one of stdout (a regular expression) or file"))
			case d.Stdout != "":
				re, err := regexp.Compile(d.Stdout)
				if err != nil {
					add(field+".digest.stdout", fmt.Errorf("bad regular expression: %w", err))
				}
				o.digestRe = re
			default:
				tm, err := parseTemplate(field+".digest.file", d.File)
				if err != nil {
					add(field+".digest.file", err)
				}
				o.digestF = tm
			}
		}
		if spec.Bundle != "" {
			if !slices.Contains(bundleOps, op) {
				add(field+".bundle", fmt.Errorf("does not apply to %s (only to %s)", op, joinOps(bundleOps)))
			} else if tm, err := parseTemplate(field+".bundle", spec.Bundle); err != nil {
				add(field+".bundle", err)
			} else {
				o.bundle = tm
			}
		}
		if spec.RelocationMapping != "" {
			if !slices.Contains(relocOps, op) {
				add(field+".relocationMapping", fmt.Errorf("does not apply to %s (only to %s)", op, joinOps(relocOps)))
			} else if tm, err := parseTemplate(field+".relocationMapping", spec.RelocationMapping); err != nil {
				add(field+".relocationMapping", err)
			} else {
				o.reloc = tm
			}
		}
		o.optIn = f.OptIn
		if spec.OptIn != nil {
			if !slices.Contains(runtimeOps, op) {
				add(field+".optIn", fmt.Errorf("does not apply to %s (only to %s)", op, joinOps(runtimeOps)))
			}
			o.optIn = *spec.OptIn
		}
		t.ops[op] = o
	}
	return errs
}

func compileEnv(field string, env map[string]string, add func(string, error)) []tmplEnv {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []tmplEnv
	for _, k := range keys {
		if k == "" || strings.ContainsAny(k, "= \t\n") {
			add(field, fmt.Errorf("bad variable name %q", k))
			continue
		}
		tm, err := parseTemplate(field+"."+k, env[k])
		if err != nil {
			add(field+"."+k, err)
			continue
		}
		out = append(out, tmplEnv{k, tm})
	}
	return out
}

func compileCommand(o *operation, c command) error {
	if !c.set || (strings.TrimSpace(c.Line) == "" && len(c.Args) == 0) {
		return errors.New("required")
	}
	if len(c.Args) > 0 {
		if o.shell {
			return errors.New("shell: true needs the command as one string")
		}
		for i, a := range c.Args {
			tm, err := parseTemplate(fmt.Sprintf("%s.command[%d]", o.field, i), a)
			if err != nil {
				return fmt.Errorf("argument %d: %w", i, err)
			}
			o.args = append(o.args, tm)
		}
		return nil
	}
	tm, err := parseTemplate(o.field+".command", c.Line)
	if err != nil {
		return err
	}
	if !o.shell {
		// Split now, on a rendering with every variable set, so quoting
		// mistakes show at load time rather than in the middle of a run.
		var b strings.Builder
		if err := tm.Execute(&b, placeholders(sampleRequest(), "/state", "tool", "unix:///docker.sock")); err != nil {
			return err
		}
		if _, err := splitWords(b.String()); err != nil {
			return err
		}
	}
	o.line = tm
	return nil
}

func opNames() string {
	return joinOps(tool.Operations)
}

func joinOps(ops []tool.Operation) string {
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = string(o)
	}
	return strings.Join(s, ", ")
}

// Name is the tool's name from the profile.
func (t *Tool) Name() string { return t.name }

// Untested reports whether the profile says it was never run against the tool.
func (t *Tool) Untested() bool { return t.untested }

// Path is the profile file.
func (t *Tool) Path() string { return t.path }

// Supports reports whether the profile declares op.
func (t *Tool) Supports(op tool.Operation) bool {
	_, ok := t.ops[op]
	return ok
}

// CanOptIn reports whether the profile declares arguments for the requested
// kinds of access.
func (t *Tool) CanOptIn(privileged, dockerHost bool) bool {
	can := func(pick func(optInSpec) []string) bool {
		if len(pick(t.optIn)) > 0 {
			return true
		}
		for _, o := range t.ops {
			if len(pick(o.optIn)) > 0 {
				return true
			}
		}
		return false
	}
	if privileged && !can(func(o optInSpec) []string { return o.Privileged }) {
		return false
	}
	if dockerHost && !can(func(o optInSpec) []string { return o.DockerHost }) {
		return false
	}
	return true
}

// Timeout is the timeout an operation runs with when the request names none.
func (t *Tool) Timeout(op tool.Operation) time.Duration {
	if o, ok := t.ops[op]; ok && o.timeout > 0 {
		return o.timeout
	}
	return t.defaultTimeout
}

var _ tool.Tool = (*Tool)(nil)
