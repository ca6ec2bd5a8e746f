package profile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"text/template"
	"time"

	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

// outputLimit caps what is kept of each output stream; the rest is counted
// and dropped so a chatty tool cannot exhaust memory.
const outputLimit = 4 << 20

// killGrace is how long a timed-out command's process group has between
// SIGTERM and SIGKILL.
const killGrace = 2 * time.Second

// invocation is a command ready to run.
type invocation struct {
	argv    []string
	env     []string
	dir     string
	display string
	timeout time.Duration
}

func (t *Tool) dockerHost(req tool.Request) string {
	for i := len(req.Env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(req.Env[i], "DOCKER_HOST="); ok {
			return v
		}
	}
	return os.Getenv("DOCKER_HOST")
}

// prepare renders op's command for req.
func (t *Tool) prepare(o *operation, req tool.Request) (invocation, error) {
	dh := t.dockerHost(req)
	real := newVars(req, t.stateDir, t.exe, dh)
	inv := invocation{dir: req.WorkDir, timeout: req.Timeout}
	if inv.timeout <= 0 {
		inv.timeout = o.timeout
	}
	if inv.timeout <= 0 {
		inv.timeout = t.defaultTimeout
	}
	var extra []string
	if req.Privileged {
		if len(o.optIn.Privileged) == 0 {
			return inv, fmt.Errorf("%s: the profile declares no argument for privileged mode", o.field)
		}
		extra = append(extra, o.optIn.Privileged...)
	}
	if req.DockerHostAccess {
		if len(o.optIn.DockerHost) == 0 {
			return inv, fmt.Errorf("%s: the profile declares no argument for Docker host access", o.field)
		}
		extra = append(extra, o.optIn.DockerHost...)
	}
	ph := placeholders(req, t.stateDir, t.exe, dh)
	switch {
	case o.shell:
		var b strings.Builder
		if err := o.line.Execute(&b, ph); err != nil {
			return inv, fmt.Errorf("%s.command: %w", o.field, err)
		}
		script, err := substitute(b.String(), real, shellQuote)
		if err != nil {
			return inv, fmt.Errorf("%s.command: %w", o.field, err)
		}
		for _, a := range extra {
			script += " " + shellQuote(a)
		}
		inv.argv = []string{"/bin/sh", "-c", script}
		inv.display = script
	case o.line != nil:
		var b strings.Builder
		if err := o.line.Execute(&b, ph); err != nil {
			return inv, fmt.Errorf("%s.command: %w", o.field, err)
		}
		words, err := splitWords(b.String())
		if err != nil {
			return inv, fmt.Errorf("%s.command: %w", o.field, err)
		}
		for _, w := range words {
			v, err := substitute(w, real, identity)
			if err != nil {
				return inv, fmt.Errorf("%s.command: %w", o.field, err)
			}
			inv.argv = append(inv.argv, v)
		}
	default:
		for i, tm := range o.args {
			var b strings.Builder
			if err := tm.Execute(&b, ph); err != nil {
				return inv, fmt.Errorf("%s.command[%d]: %w", o.field, i, err)
			}
			if b.Len() == 0 {
				continue
			}
			v, err := substitute(b.String(), real, identity)
			if err != nil {
				return inv, fmt.Errorf("%s.command[%d]: %w", o.field, i, err)
			}
			inv.argv = append(inv.argv, v)
		}
	}
	if !o.shell {
		inv.argv = append(inv.argv, extra...)
		if len(inv.argv) == 0 {
			return inv, fmt.Errorf("%s.command: renders to nothing", o.field)
		}
		q := make([]string, len(inv.argv))
		for i, a := range inv.argv {
			q[i] = displayQuote(a)
		}
		inv.display = strings.Join(q, " ")
	}
	inv.env = os.Environ()
	for _, list := range [][]tmplEnv{t.env, o.env} {
		for _, e := range list {
			v, err := render(e.val, real)
			if err != nil {
				return inv, fmt.Errorf("%s: env %s: %w", o.field, e.key, err)
			}
			inv.env = append(inv.env, e.key+"="+v)
		}
	}
	inv.env = append(inv.env, req.Env...)
	return inv, nil
}

func render(tm *template.Template, v vars) (string, error) {
	var b strings.Builder
	if err := tm.Execute(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// CommandLine is the command op would run for req, for progress output.
func (t *Tool) CommandLine(op tool.Operation, req tool.Request) (string, error) {
	o, ok := t.ops[op]
	if !ok {
		return "", fmt.Errorf("the profile does not declare %s", op)
	}
	inv, err := t.prepare(o, req)
	return inv.display, err
}

// Run performs op. The error is for the harness (the operation is not
// declared, a template failed, the executable cannot be started); a tool
// that ran and failed, crashed or hung is described by the Result.
func (t *Tool) Run(ctx context.Context, op tool.Operation, req tool.Request) (tool.Result, error) {
	o, ok := t.ops[op]
	if !ok {
		return tool.Result{ExitCode: -1}, fmt.Errorf("%s: the profile does not declare %s", t.path, op)
	}
	inv, err := t.prepare(o, req)
	if err != nil {
		return tool.Result{ExitCode: -1, Command: inv.display}, fmt.Errorf("%s: %w", t.path, err)
	}
	res, err := execute(ctx, inv)
	if err != nil {
		return res, fmt.Errorf("%s: %s: %w", t.path, o.field, err)
	}
	real := newVars(req, t.stateDir, t.exe, t.dockerHost(req))
	if err := t.readResult(o, req, real, &res); err != nil {
		return res, fmt.Errorf("%s: %w", t.path, err)
	}
	return res, nil
}

// readResult fills in what the profile says to read back. Files the tool
// did not write are left empty: the specs judge that.
func (t *Tool) readResult(o *operation, req tool.Request, real vars, res *tool.Result) error {
	path := func(tm *template.Template, field string) (string, error) {
		p, err := render(tm, real)
		if err != nil {
			return "", fmt.Errorf("%s.%s: %w", o.field, field, err)
		}
		if p != "" && !filepath.IsAbs(p) && req.WorkDir != "" {
			p = filepath.Join(req.WorkDir, p)
		}
		return p, nil
	}
	switch {
	case o.digestRe != nil:
		if m := o.digestRe.FindStringSubmatch(res.Stdout); m != nil {
			res.Digest = m[0]
			if len(m) > 1 {
				res.Digest = m[1]
			}
		}
	case o.digestF != nil:
		p, err := path(o.digestF, "digest.file")
		if err != nil {
			return err
		}
		if b, err := os.ReadFile(p); err == nil {
			res.Digest = strings.TrimSpace(string(b))
		}
	}
	if o.bundle != nil {
		p, err := path(o.bundle, "bundle")
		if err != nil {
			return err
		}
		res.PulledBundle = p
	}
	if o.reloc != nil {
		p, err := path(o.reloc, "relocationMapping")
		if err != nil {
			return err
		}
		if _, err := os.Stat(p); err == nil {
			res.RelocationMapping = p
		}
	}
	return nil
}

// Version runs the profile's version command.
func (t *Tool) Version(ctx context.Context) (string, error) {
	if t.version == nil {
		return "unknown", nil
	}
	inv, err := t.prepare(t.version, tool.Request{})
	if err != nil {
		return "", fmt.Errorf("%s: %w", t.path, err)
	}
	res, err := execute(ctx, inv)
	if err != nil {
		return "", fmt.Errorf("%s: version: %w", t.path, err)
	}
	if !res.OK() {
		return "", fmt.Errorf("%s: version: %s exited with %d: %s", t.path, res.Command, res.ExitCode, strings.TrimSpace(res.Stderr))
	}
	out := strings.TrimSpace(res.Stdout)
	if t.versionPattern != nil {
		m := t.versionPattern.FindStringSubmatch(out)
		if m == nil {
			return "", fmt.Errorf("%s: version.pattern %q does not match %q", t.path, t.versionPattern, out)
		}
		if len(m) > 1 {
			return m[1], nil
		}
		return m[0], nil
	}
	first, _, _ := strings.Cut(out, "\n")
	return strings.TrimSpace(first), nil
}

// execute runs one command in its own process group. At the timeout, or when
// ctx ends, the whole group gets SIGTERM and, after killGrace, SIGKILL.
func execute(ctx context.Context, inv invocation) (tool.Result, error) {
	res := tool.Result{Command: inv.display, ExitCode: -1}
	exe := inv.argv[0]
	if !strings.ContainsRune(exe, '/') {
		p, err := exec.LookPath(exe)
		if err != nil {
			return res, fmt.Errorf("tool executable %q not found in PATH", exe)
		}
		exe = p
	}
	cmd := exec.Command(exe, inv.argv[1:]...)
	cmd.Args[0] = inv.argv[0]
	cmd.Dir = inv.dir
	cmd.Env = inv.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// A grandchild that escaped the group must not keep Wait blocked on
	// the output pipes.
	cmd.WaitDelay = killGrace
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("cannot start %s: %w", inv.display, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	timer := time.NewTimer(inv.timeout)
	defer timer.Stop()
	var waitErr error
	var killed, canceled bool
	select {
	case waitErr = <-done:
	case <-timer.C:
		killed = true
		waitErr = killGroup(cmd.Process.Pid, done)
	case <-ctx.Done():
		canceled = true
		waitErr = killGroup(cmd.Process.Pid, done)
	}
	res.Duration = time.Since(start)
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	switch {
	case killed:
		res.TimedOut = true
		res.Stderr += fmt.Sprintf("\n[cnab-conformance: killed after the %s timeout]", inv.timeout)
		return res, nil
	case canceled:
		return res, fmt.Errorf("interrupted: %w", ctx.Err())
	}
	var exitErr *exec.ExitError
	switch {
	case waitErr == nil:
		res.ExitCode = 0
	case errors.As(waitErr, &exitErr):
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			// Died on a signal: report it as shells do, and say which.
			res.ExitCode = 128 + int(ws.Signal())
			res.Stderr += fmt.Sprintf("\n[cnab-conformance: the tool was killed by signal %s]", ws.Signal())
		} else {
			res.ExitCode = exitErr.ExitCode()
		}
	case errors.Is(waitErr, exec.ErrWaitDelay):
		res.ExitCode = cmd.ProcessState.ExitCode()
	default:
		return res, fmt.Errorf("waiting for %s: %w", inv.display, waitErr)
	}
	return res, nil
}

// killGroup stops a process group: SIGTERM, then SIGKILL after killGrace.
func killGroup(pid int, done <-chan error) error {
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case err := <-done:
		_ = syscall.Kill(-pid, syscall.SIGKILL) // stragglers that ignored SIGTERM
		return err
	case <-time.After(killGrace):
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	return <-done
}

// capped is an io.Writer keeping the first outputLimit bytes.
type capped struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	dropped int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := outputLimit - c.buf.Len()
	if room >= len(p) {
		c.buf.Write(p)
	} else {
		if room > 0 {
			c.buf.Write(p[:room])
		}
		c.dropped += len(p) - max(room, 0)
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped > 0 {
		return c.buf.String() + fmt.Sprintf("\n[cnab-conformance: %d more bytes dropped]", c.dropped)
	}
	return c.buf.String()
}
