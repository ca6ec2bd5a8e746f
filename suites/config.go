package suites

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

// Profiles a run can select. Smoke proves the harness end to end; the others
// are the certification profiles.
const (
	ProfileSmoke    = "smoke"
	ProfileRegistry = "registry"
	ProfileRuntime  = "runtime"
	ProfileArchive  = "archive"
)

// AllProfiles lists every profile in the order their specs are declared.
var AllProfiles = []string{ProfileSmoke, ProfileRegistry, ProfileRuntime, ProfileArchive}

// DefaultProfiles are the profiles a run selects when none is named: every
// profile that declares checks (a profile without any would only read as
// "not certified").
func DefaultProfiles() []string {
	specMu.Lock()
	defer specMu.Unlock()
	var out []string
	for _, p := range AllProfiles {
		if len(specSets[p]) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// Registry modes.
const RegistryEmbedded = "embedded"

// Docker privileged handling (see the dockerproxy package): record keeps the
// flag in the recorded create request but clears it before forwarding,
// because privileged containers cannot start on every host; pass forwards it.
const (
	PrivilegedRecord = "record"
	PrivilegedPass   = "pass"
)

// Config is everything a run needs. Start from NewConfig and change what
// differs; zero fields are filled with defaults when the run starts.
type Config struct {
	// ToolProfile is the path of a YAML tool profile (fixtures/adapters/*.yaml).
	// Ignored when Tool is set.
	ToolProfile string
	// ToolBinary, when set, replaces the executable named by the profile's
	// `tool` field (a self-test builds the reference tool into a temp dir).
	ToolBinary string
	// Tool is a Go implementation of the tool under test, for tool authors
	// who plug in without YAML.
	Tool tool.Tool

	// Profiles selects the spec profiles; empty means all of AllProfiles.
	Profiles []string
	// SpecVersion is the CNAB Core version checked against ("1.0.0",
	// "1.1.0", "1.2.0"). Specs carry SemVerConstraints and the runner turns
	// this into Ginkgo's sem-ver filter.
	SpecVersion string

	// Registry is "embedded" (two in-process recording registries) or the
	// host[:port] of an external registry (no recording: checks that need
	// the recorded requests are skipped with that reason).
	Registry string

	// ReportDir receives Ginkgo's JSON and JUnit reports and the results
	// files. "none" writes nothing.
	ReportDir string

	// Timeout is the default per-operation timeout of a tool command; a
	// profile may set its own per operation.
	Timeout time.Duration

	// DockerHost is the real Docker engine the proxy forwards to; empty
	// means $DOCKER_HOST, else the default socket.
	DockerHost string
	// DockerPrivileged is PrivilegedRecord (default) or PrivilegedPass.
	DockerPrivileged string

	// ProbeBinary is a prebuilt static probe program for the invocation
	// image; empty means bin/cnab-probe under the repository root if present,
	// else the probe is built with the Go toolchain.
	ProbeBinary string

	// WorkRoot is where the run's private work directory is created; empty
	// means the system temp dir.
	WorkRoot string

	// KeepGoing keeps running the later specs of an ordered lifecycle after
	// one fails (Ginkgo's ContinueOnFailure), so one report shows every
	// failure instead of the first.
	KeepGoing bool

	// Progress receives one line per tool command as it runs; nil means
	// Ginkgo's writer (streamed in verbose mode, kept for failures otherwise).
	Progress io.Writer
}

// NewConfig returns a Config with every default filled in.
func NewConfig() Config {
	c := Config{}
	c.applyDefaults()
	return c
}

// DefaultTimeout is the per-operation default when neither the config nor the
// profile names one.
const DefaultTimeout = 2 * time.Minute

// DefaultSpecVersion is the spec version checked when none is named.
const DefaultSpecVersion = "1.2.0"

func (c *Config) applyDefaults() {
	if c.ToolProfile == "" && c.Tool == nil {
		c.ToolProfile = "fixtures/adapters/reference.yaml"
	}
	if len(c.Profiles) == 0 {
		c.Profiles = DefaultProfiles()
	}
	if c.SpecVersion == "" {
		c.SpecVersion = DefaultSpecVersion
	}
	if c.Registry == "" {
		c.Registry = RegistryEmbedded
	}
	if c.ReportDir == "" {
		c.ReportDir = filepath.Join("reports", "out")
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.DockerPrivileged == "" {
		c.DockerPrivileged = PrivilegedRecord
	}
	if c.DockerHost == "" {
		c.DockerHost = os.Getenv("DOCKER_HOST")
	}
}

// Validate applies defaults and reports the first problem with the config.
func (c *Config) Validate() error {
	c.applyDefaults()
	seen := map[string]bool{}
	for _, p := range c.Profiles {
		if !slices.Contains(AllProfiles, p) {
			return fmt.Errorf("unknown profile %q (known: %s)", p, strings.Join(AllProfiles, ", "))
		}
		if seen[p] {
			return fmt.Errorf("profile %q selected twice", p)
		}
		seen[p] = true
	}
	switch c.DockerPrivileged {
	case PrivilegedRecord, PrivilegedPass:
	default:
		return fmt.Errorf("docker privileged mode %q: want %s or %s", c.DockerPrivileged, PrivilegedRecord, PrivilegedPass)
	}
	if c.Registry != RegistryEmbedded && strings.ContainsAny(c.Registry, "/ ") {
		return fmt.Errorf("registry %q: want %q or HOST[:PORT]", c.Registry, RegistryEmbedded)
	}
	if c.Tool == nil && c.ToolProfile == "" {
		return fmt.Errorf("no tool: set a tool profile or a Go tool")
	}
	return nil
}

// Selected reports whether the profile is part of the run.
func (c *Config) Selected(profile string) bool {
	return slices.Contains(c.Profiles, profile)
}

// Embedded reports whether the run uses the in-process recording registries.
func (c *Config) Embedded() bool { return c.Registry == "" || c.Registry == RegistryEmbedded }
