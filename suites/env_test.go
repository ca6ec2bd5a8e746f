package suites

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cnab-conformance/cnab-conformance/suites/harness/registry"
	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

func TestExcerpt(t *testing.T) {
	short := "short output"
	if Excerpt(short) != short {
		t.Error("a short output must be kept whole")
	}
	long := "HEAD" + strings.Repeat("x", 3*excerptLimit) + "TAIL"
	got := Excerpt(long)
	if len(got) > excerptLimit+100 || !strings.HasPrefix(got, "HEAD") || !strings.HasSuffix(got, "TAIL") || !strings.Contains(got, "bytes elided") {
		t.Errorf("excerpt of %d bytes: %d bytes, head %q tail %q", len(long), len(got), got[:10], got[len(got)-10:])
	}
}

func TestDescribeFailure(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  tool.Result
		want []string
	}{
		{"exit code", tool.Result{Command: "cnab-ref push --ref r", ExitCode: 3, Stdout: "out", Stderr: "boom"},
			[]string{"push: the tool exited with code 3", "command: cnab-ref push --ref r", "stdout:\nout", "stderr:\nboom"}},
		{"timeout", tool.Result{Command: "sleep 9", ExitCode: -1, TimedOut: true, Duration: 1500 * time.Millisecond},
			[]string{"killed at its timeout after 1.5s", "command: sleep 9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DescribeFailure(tool.Push, tc.res)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q does not say %q", got, w)
				}
			}
		})
	}
}

func TestOurImage(t *testing.T) {
	embedded := &Env{Config: &Config{Registry: RegistryEmbedded}, Source: registry.External("127.0.0.1:1000"), Destination: registry.External("127.0.0.1:2000")}
	external := &Env{Config: &Config{Registry: "reg.example:5000"}, Source: registry.External("reg.example:5000"), Destination: registry.External("reg.example:5000")}
	named := external.UniqueName("probe")
	for _, tc := range []struct {
		e    *Env
		ref  string
		want bool
	}{
		{embedded, "127.0.0.1:1000/cnab-conformance/probe-1:v1", true},
		{embedded, "127.0.0.1:2000/x@sha256:abc", true},
		{embedded, "127.0.0.1:10000/x:v1", false},
		{embedded, "docker.io/library/busybox:latest", false},
		{external, "reg.example:5000/cnab-conformance/" + named + ":v1", true},
		{external, "reg.example:5000/cnab-conformance/" + named + "@sha256:abc", true},
		{external, "reg.example:5000/cnab-conformance/someone-elses:v1", false},
	} {
		if got := tc.e.ourImage(tc.ref); got != tc.want {
			t.Errorf("ourImage(%q) = %v, want %v", tc.ref, got, tc.want)
		}
	}
}

func TestEnvLifecycle(t *testing.T) {
	root, ok := findModuleRoot(mustGetwd(t))
	if !ok {
		t.Fatal("no go.mod")
	}
	newEnv := func(t *testing.T) *Env {
		cfg := NewConfig()
		cfg.ToolProfile = filepath.Join(root, "fixtures", "adapters", "reference.yaml")
		cfg.Profiles = []string{ProfileRegistry} // no Docker, no probe
		cfg.WorkRoot = t.TempDir()
		e, err := NewEnv(context.Background(), &cfg)
		if err != nil {
			t.Fatal(err)
		}
		if e.Docker != nil || !e.Source.Running() || !e.Destination.Running() || e.Source.Host() == e.Destination.Host() {
			t.Fatalf("env: docker %v, registries %s %s", e.Docker, e.Source.Host(), e.Destination.Host())
		}
		return e
	}
	t.Run("clean teardown", func(t *testing.T) {
		e := newEnv(t)
		if err := e.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		if e.Source.Running() || e.Destination.Running() {
			t.Error("registries still running after Close")
		}
		if _, err := os.Stat(e.Work); err == nil {
			t.Error("work directory left behind")
		}
		if err := e.Close(context.Background()); err != nil {
			t.Errorf("a second Close: %v", err)
		}
	})
	t.Run("leak check reports a directory left behind", func(t *testing.T) {
		e := newEnv(t)
		left := filepath.Join(t.TempDir(), "spec-left")
		if err := os.Mkdir(left, 0o755); err != nil {
			t.Fatal(err)
		}
		e.tempDirs = append(e.tempDirs, left)
		err := e.Close(context.Background())
		if err == nil || !strings.Contains(err.Error(), "leak check: temp dir "+left) {
			t.Errorf("Close() = %v", err)
		}
	})
	t.Run("setup error names the problem and leaves nothing", func(t *testing.T) {
		cfg := NewConfig()
		cfg.ToolProfile = filepath.Join(t.TempDir(), "missing.yaml")
		cfg.Profiles = []string{ProfileRegistry}
		cfg.WorkRoot = t.TempDir()
		if _, err := NewEnv(context.Background(), &cfg); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
			t.Errorf("NewEnv() = %v", err)
		}
		if entries, _ := os.ReadDir(cfg.WorkRoot); len(entries) != 0 {
			t.Errorf("left behind: %v", entries)
		}
	})
}
