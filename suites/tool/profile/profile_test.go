package profile

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cnab-conformance/cnab-conformance/internal/testutil"
	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

// minimal is a valid profile the error cases below break one field at a time.
const minimal = `
name: t
operations:
  push:
    command: 'echo {{.Bundle}}'
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown operation", `
name: t
operations:
  deploy: {command: 'x'}`, []string{"p.yaml", "operations.deploy", `unknown operation "deploy"`, "push, pull"}},
		{"unknown variable", `
name: t
operations:
  push: {command: 'x {{.Bundel}}'}`, []string{"p.yaml", "operations.push.command", "unknown variable .Bundel", ".Bundle"}},
		{"unknown variable in env", `
name: t
env: {A: '{{.Nope}}'}
operations:
  push: {command: 'x'}`, []string{"env.A", "unknown variable .Nope"}},
		{"unknown variable in file template", `
name: t
operations:
  pull: {command: 'x', bundle: '{{.Out}}/b.json'}`, []string{"operations.pull.bundle", "unknown variable .Out"}},
		{"method call", `
name: t
operations:
  push: {command: 'x {{.Bundle.Foo}}'}`, []string{"operations.push.command"}},
		{"bad template", `
name: t
operations:
  push: {command: 'x {{.Bundle'}`, []string{"operations.push.command", "bad template"}},
		{"bad digest regexp", `
name: t
operations:
  push: {command: 'x', digest: {stdout: 'digest: (sha256'}}`, []string{"operations.push.digest.stdout", "bad regular expression"}},
		{"bad version regexp", `
name: t
version: {command: 'x', pattern: '('}
operations:
  push: {command: 'x'}`, []string{"version.pattern", "bad regular expression"}},
		{"digest on install", `
name: t
operations:
  install: {command: 'x', digest: {stdout: 'x'}}`, []string{"operations.install.digest", "does not apply to install"}},
		{"digest both ways", `
name: t
operations:
  push: {command: 'x', digest: {stdout: 'x', file: 'y'}}`, []string{"operations.push.digest", "exactly one"}},
		{"bundle on push", `
name: t
operations:
  push: {command: 'x', bundle: 'y'}`, []string{"operations.push.bundle", "does not apply to push"}},
		{"opt-in on push", `
name: t
operations:
  push: {command: 'x', optIn: {privileged: [--p]}}`, []string{"operations.push.optIn", "does not apply to push"}},
		{"unknown top-level key", `
name: t
comand: x
operations:
  push: {command: 'x'}`, []string{"p.yaml", "line 3", "comand", "top level", "operations"}},
		{"unknown operation key", `
name: t
operations:
  push: {command: 'x', timeuot: 3s}`, []string{"line 4", "timeuot", "in an operation", "timeout"}},
		{"unknown digest key", `
name: t
operations:
  push: {command: 'x', digest: {regexp: 'x'}}`, []string{"regexp", "in digest", "stdout"}},
		{"missing command", `
name: t
operations:
  push: {timeout: 3s}`, []string{"operations.push.command", "required"}},
		{"missing name", `
operations:
  push: {command: 'x'}`, []string{"name: required"}},
		{"no operations", `
name: t`, []string{"operations: declare at least one"}},
		{"unterminated quote", `
name: t
operations:
  push: {command: "x 'abc"}`, []string{"operations.push.command", "unterminated single quote"}},
		{"shell with list", `
name: t
operations:
  push: {command: [a, b], shell: true}`, []string{"operations.push.command", "shell: true needs"}},
		{"bad duration", `
name: t
operations:
  push: {command: x, timeout: soon}`, []string{"p.yaml", "soon"}},
		{"not yaml", "name: [", []string{"p.yaml"}},
		{"tool variable without tool", `
name: t
operations:
  push: {command: '{{.Tool}} push'}`, []string{"p.yaml", "tool: required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if _, err := Parse("p.yaml", []byte(minimal)); err != nil {
		t.Fatalf("the minimal profile must load: %v", err)
	}
}

// argsProfile prints each argument in brackets on its own line.
const argsProfile = `
name: args
tool: /bin/sh
operations:
  install:
    command: >-
      {{.Tool}} -c 'printf "[%s]\n" "$@"' argv0 --installation {{.Installation}}
      {{if .Bundle}}--bundle {{.Bundle}}{{else}}--ref {{.Reference}}{{end}}
      {{if .Parameters}}--params {{.Parameters}}{{end}} "quoted arg" ''
  upgrade:
    command: ['{{.Tool}}', '-c', 'printf "[%s]\n" "$@"', 'argv0', '{{.Installation}}', '{{if .Parameters}}--params={{.Parameters}}{{end}}', 'x']
  invoke:
    shell: true
    command: 'printf "[%s]\n" {{.Installation}} {{.Action}}'
  uninstall:
    command: '{{.Tool}} -c ''printf "[%s]\n" "$@"'' argv0 {{.Installation}}'
optIn:
  privileged: [--privileged]
`

func TestCommandLines(t *testing.T) {
	p, err := Parse("args.yaml", []byte(argsProfile))
	if err != nil {
		t.Fatal(err)
	}
	tricky := "a b'c\"$(exit 7);`false`"
	tests := []struct {
		name string
		op   tool.Operation
		req  tool.Request
		want string
	}{
		{"conditionals and quoting", tool.Install, tool.Request{Installation: "inst 1", Reference: "r:1"},
			"[--installation]\n[inst 1]\n[--ref]\n[r:1]\n[quoted arg]\n[]\n"},
		{"other branch", tool.Install, tool.Request{Installation: "i", Bundle: "/b/bundle.json", Parameters: "/p.json"},
			"[--installation]\n[i]\n[--bundle]\n[/b/bundle.json]\n[--params]\n[/p.json]\n[quoted arg]\n[]\n"},
		{"value cannot inject", tool.Install, tool.Request{Installation: tricky, Reference: "r"},
			"[--installation]\n[" + tricky + "]\n[--ref]\n[r]\n[quoted arg]\n[]\n"},
		{"list form drops empty elements", tool.Upgrade, tool.Request{Installation: "i j"},
			"[i j]\n[x]\n"},
		{"list form", tool.Upgrade, tool.Request{Installation: "i", Parameters: "/p q.json"},
			"[i]\n[--params=/p q.json]\n[x]\n"},
		{"shell quotes variables", tool.Invoke, tool.Request{Installation: tricky, Action: "it's"},
			"[" + tricky + "]\n[it's]\n"},
		{"opt-in arguments", tool.Uninstall, tool.Request{Installation: "i", Privileged: true},
			"[i]\n[--privileged]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.WorkDir = t.TempDir()
			res, err := p.Run(context.Background(), tc.op, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != 0 || res.Stdout != tc.want {
				t.Errorf("exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s\ncommand: %s", res.ExitCode, res.Stdout, tc.want, res.Stderr, res.Command)
			}
			if line, err := p.CommandLine(tc.op, tc.req); err != nil || line != res.Command || line == "" {
				t.Errorf("CommandLine = %q, %v; the run reported %q", line, err, res.Command)
			}
		})
	}
}

func TestOptIn(t *testing.T) {
	p, err := Parse("args.yaml", []byte(argsProfile))
	if err != nil {
		t.Fatal(err)
	}
	if !p.CanOptIn(true, false) || p.CanOptIn(false, true) || p.CanOptIn(true, true) || !p.CanOptIn(false, false) {
		t.Error("CanOptIn does not follow the declared arguments")
	}
	_, err = p.Run(context.Background(), tool.Install, tool.Request{Installation: "i", DockerHostAccess: true, WorkDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "Docker host access") {
		t.Errorf("asking for an undeclared opt-in: %v", err)
	}
}

func TestResults(t *testing.T) {
	dir := t.TempDir()
	const d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	prof := `
name: results
tool: /bin/sh
version:
  command: '{{.Tool}} -c "echo tool version 1.2.3; echo more"'
  pattern: 'version (\S+)'
env:
  FROM_PROFILE: '{{.StateDir}}/x'
operations:
  push:
    command: ['{{.Tool}}', '-c', 'echo "pushed"; echo "digest: ` + d + `"; echo "$FROM_PROFILE $FROM_OP $FROM_REQ" >&2']
    env: {FROM_OP: op}
    digest: {stdout: 'digest: (sha256:[0-9a-f]{64})'}
  copy:
    command: ['{{.Tool}}', '-c', 'printf "%s\n" ` + d + ` > digest.txt']
    digest: {file: 'digest.txt'}
  pull:
    command: ['{{.Tool}}', '-c', 'echo {} > {{.WorkDir}}/bundle.json']
    bundle: '{{.WorkDir}}/bundle.json'
    relocationMapping: '{{.WorkDir}}/missing.json'
`
	p, err := Parse(filepath.Join(dir, "r.yaml"), []byte(prof), WithStateDir("/state"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := p.Run(ctx, tool.Push, tool.Request{WorkDir: dir, Env: []string{"FROM_REQ=req"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Digest != d {
		t.Errorf("digest from stdout = %q", res.Digest)
	}
	if got := strings.TrimSpace(res.Stderr); got != "/state/x op req" {
		t.Errorf("environment seen by the tool = %q", got)
	}
	res, err = p.Run(ctx, tool.Copy, tool.Request{WorkDir: dir})
	if err != nil || res.Digest != d {
		t.Errorf("digest from file = %q, %v", res.Digest, err)
	}
	res, err = p.Run(ctx, tool.Pull, tool.Request{WorkDir: dir})
	if err != nil || res.PulledBundle != filepath.Join(dir, "bundle.json") || res.RelocationMapping != "" {
		t.Errorf("pull result = %+v, %v", res, err)
	}
	if v, err := p.Version(ctx); err != nil || v != "1.2.3" {
		t.Errorf("version = %q, %v", v, err)
	}
	if !p.Supports(tool.Push) || p.Supports(tool.Install) {
		t.Error("Supports does not follow the declared operations")
	}
	if _, err := p.Run(ctx, tool.Install, tool.Request{WorkDir: dir}); err == nil {
		t.Error("running an undeclared operation must be an error")
	}
}

func TestFailures(t *testing.T) {
	prof := `
name: bad
timeout: 400ms
operations:
  install: {command: ['/bin/sh', '-c', 'echo starting; echo oops >&2; sleep 30']}
  upgrade: {command: ['/bin/sh', '-c', 'sleep 30 & sleep 30 & wait'], timeout: 300ms}
  invoke: {command: ['/bin/sh', '-c', 'echo before; kill -SEGV $$']}
  uninstall: {command: ['/bin/sh', '-c', 'exit 3']}
  push: {command: 'no-such-cnab-tool-anywhere push'}
  pull: {command: ['/bin/sh', '-c', 'trap "" TERM; sleep 30'], timeout: 200ms}
`
	p, err := Parse("bad.yaml", []byte(prof))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := func(op tool.Operation) (tool.Result, error, time.Duration) {
		start := time.Now()
		res, err := p.Run(ctx, op, tool.Request{WorkDir: t.TempDir()})
		return res, err, time.Since(start)
	}
	t.Run("hung tool is killed at its timeout with command and output", func(t *testing.T) {
		res, err, took := run(tool.Install)
		if err != nil {
			t.Fatal(err)
		}
		if !res.TimedOut || res.ExitCode != -1 || res.OK() {
			t.Errorf("result = %+v", res)
		}
		if took > 5*time.Second {
			t.Errorf("took %s", took)
		}
		if !strings.Contains(res.Stdout, "starting") || !strings.Contains(res.Stderr, "oops") || !strings.Contains(res.Stderr, "timeout") {
			t.Errorf("output not kept: %q %q", res.Stdout, res.Stderr)
		}
		if !strings.Contains(res.Command, "sleep 30") {
			t.Errorf("command = %q", res.Command)
		}
	})
	t.Run("the whole process group is killed", func(t *testing.T) {
		res, _, took := run(tool.Upgrade)
		if !res.TimedOut || took > 5*time.Second {
			t.Errorf("timed out %v after %s", res.TimedOut, took)
		}
	})
	t.Run("a tool ignoring SIGTERM gets SIGKILL", func(t *testing.T) {
		res, _, took := run(tool.Pull)
		if !res.TimedOut || took > killGrace+3*time.Second {
			t.Errorf("timed out %v after %s", res.TimedOut, took)
		}
	})
	t.Run("crash is a result, not an error", func(t *testing.T) {
		res, err, _ := run(tool.Invoke)
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode != 128+11 || res.TimedOut || !strings.Contains(res.Stderr, "signal") {
			t.Errorf("result = %+v", res)
		}
	})
	t.Run("non-zero exit", func(t *testing.T) {
		res, err, _ := run(tool.Uninstall)
		if err != nil || res.ExitCode != 3 || res.OK() {
			t.Errorf("result = %+v, %v", res, err)
		}
	})
	t.Run("missing executable is a harness error", func(t *testing.T) {
		_, err, _ := run(tool.Push)
		if err == nil || !strings.Contains(err.Error(), "no-such-cnab-tool-anywhere") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("canceled context stops the tool", func(t *testing.T) {
		cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := p.Run(cctx, tool.Install, tool.Request{WorkDir: t.TempDir(), Timeout: time.Minute})
		if err == nil || !strings.Contains(err.Error(), "interrupted") || time.Since(start) > 5*time.Second {
			t.Errorf("err = %v after %s", err, time.Since(start))
		}
	})
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`a b  c`, []string{"a", "b", "c"}},
		{`a 'b c' "d e"`, []string{"a", "b c", "d e"}},
		{`a '' ""`, []string{"a", "", ""}},
		{`a\ b "x\"y" 'x\y'`, []string{"a b", `x"y`, `x\y`}},
		{`pre'mid'post`, []string{"premidpost"}},
		{"", nil},
	}
	for _, tc := range tests {
		got, err := splitWords(tc.in)
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("splitWords(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`'a`, `"a`, `a\`} {
		if _, err := splitWords(bad); err == nil {
			t.Errorf("splitWords(%q) succeeded", bad)
		}
	}
}

// TestShippedProfiles loads every profile in fixtures/adapters.
func TestShippedProfiles(t *testing.T) {
	root := repoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, "fixtures", "adapters", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no profiles in fixtures/adapters")
	}
	for _, f := range files {
		p, err := Load(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if filepath.Base(f) == "reference.yaml" {
			for _, op := range tool.Operations {
				if !p.Supports(op) {
					t.Errorf("reference profile does not declare %s", op)
				}
			}
			if !p.CanOptIn(true, true) || p.Untested() {
				t.Error("reference profile: opt-in arguments missing or marked untested")
			}
			if want := filepath.Join(root, "bin", "cnab-ref"); p.exe != want {
				t.Errorf("tool resolves to %s, want %s", p.exe, want)
			}
		}
	}
}

func repoRoot(t *testing.T) string { return testutil.RepoRoot(t) }

func TestTimeoutPrecedence(t *testing.T) {
	const prof = `
name: t
%s
operations:
  push: {command: x, timeout: 5s}
  pull: {command: x}
`
	for _, tc := range []struct {
		name, top       string
		suite           time.Duration
		wantPush, wantP time.Duration
	}{
		{"built-in default", "", 0, 5 * time.Second, DefaultTimeout},
		{"suite default", "", time.Minute, 5 * time.Second, time.Minute},
		{"profile default wins over the suite's", "timeout: 3m", time.Minute, 5 * time.Second, 3 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte(fmt.Sprintf(prof, tc.top)), WithDefaultTimeout(tc.suite))
			if err != nil {
				t.Fatal(err)
			}
			if p.Timeout(tool.Push) != tc.wantPush || p.Timeout(tool.Pull) != tc.wantP {
				t.Errorf("push %s pull %s", p.Timeout(tool.Push), p.Timeout(tool.Pull))
			}
		})
	}
}
