package suites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/dockerproxy"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/probe"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/registry"
	"github.com/cnab-conformance/cnab-conformance/suites/tool"
	"github.com/cnab-conformance/cnab-conformance/suites/tool/profile"
)

// HarnessErrorPrefix starts the failure message of every spec that failed
// because the harness broke (a registry did not start, the tool could not be
// executed at all), as opposed to the tool breaking a rule. The reports map
// such failures to the Error status.
const HarnessErrorPrefix = reports.HarnessPrefix

// HarnessErrorEntry is the Ginkgo report entry added next to a harness error,
// for readers that prefer not to parse messages.
const HarnessErrorEntry = reports.HarnessErrorEntry

// HarnessError fails the current spec as a harness Error.
func HarnessError(format string, args ...any) {
	GinkgoHelper()
	msg := fmt.Sprintf(format, args...)
	AddReportEntry(HarnessErrorEntry, msg, ReportEntryVisibilityNever)
	Fail(HarnessErrorPrefix + msg)
}

// env is the harness of the running suite, set by the BeforeSuite Register
// declares. Spec bodies read it at run time, never at tree construction.
var env *Env

// CurrentEnv returns the harness of the running suite (nil before the
// BeforeSuite ran). Tool authors who embed the specs with RegisterSpecs and
// set up their own Env pass it to UseEnv instead.
func CurrentEnv() *Env { return env }

// UseEnv installs e as the harness the specs use; for suites that call
// RegisterSpecs and manage the Env lifecycle in their own BeforeSuite.
func UseEnv(e *Env) { env = e }

// Env is the harness of one run: the tool, the registries, the Docker proxy
// and a private work directory. Everything it creates is torn down by Close
// in reverse order of creation, followed by a leak check.
type Env struct {
	Config      *Config
	Tool        tool.Tool
	Source      *registry.Registry
	Destination *registry.Registry
	Docker      *dockerproxy.Proxy // nil unless a profile that installs is selected
	// DockerErr says why Docker is nil although a runtime profile was
	// selected; specs that need Docker fail with it as a harness error.
	DockerErr error
	// Probe is the probe invocation image, pushed to the Source registry
	// when Docker is available; ProbeErr says why it is missing otherwise.
	Probe    probe.Pushed
	ProbeErr error
	Work     string // private work directory of the run, removed by Close
	StateDir string // the tool's own state (claims), kept across operations
	// ToolTmp is the TMPDIR every tool command gets, so the suite can see
	// temporary files a tool leaves behind.
	ToolTmp string

	ctx    context.Context // canceled by Close, so an interrupted run kills its tool commands
	cancel context.CancelFunc

	mu       sync.Mutex
	cleanups []cleanup       // LIFO, suite scope
	tempDirs []string        // every per-spec dir, for the leak check
	names    map[string]bool // every name UniqueName gave out
	secrets  []string        // values the reports must not show (Secret)
	closed   bool

	// Leaked lists the containers the tool left behind (created through the
	// proxy, still present at the end of the run). Close removes them and the
	// runner prints them; they are the tool's doing, not a harness error.
	Leaked []string
}

type cleanup struct {
	what string
	fn   func(ctx context.Context) error
}

// NewEnv sets up the harness for cfg: a work directory, the tool, the two
// registries (or an external one), and the Docker proxy when a profile that
// installs bundles is selected. On error everything already started is
// stopped again.
func NewEnv(ctx context.Context, cfg *Config) (_ *Env, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(cfg.WorkRoot, "cnab-conformance-")
	if err != nil {
		return nil, fmt.Errorf("work directory: %w", err)
	}
	e := &Env{Config: cfg, Work: work, StateDir: filepath.Join(work, "state"), ToolTmp: filepath.Join(work, "tmp")}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.addCleanup("work directory "+work, func(context.Context) error { return os.RemoveAll(work) })
	defer func() {
		if err != nil {
			err = errors.Join(err, e.Close(context.WithoutCancel(ctx)))
		}
	}()
	for _, d := range []string{e.StateDir, e.ToolTmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("work directory: %w", err)
		}
	}

	e.Tool = cfg.Tool
	if e.Tool == nil {
		p, err := profile.Load(cfg.ToolProfile,
			profile.WithBinary(cfg.ToolBinary),
			profile.WithDefaultTimeout(cfg.Timeout),
			profile.WithStateDir(e.StateDir))
		if err != nil {
			return nil, err
		}
		e.Tool = p
	}

	if cfg.Embedded() {
		if e.Source, err = registry.Start(ctx, "source"); err != nil {
			return nil, fmt.Errorf("source registry: %w", err)
		}
		e.addCleanup("source registry", func(context.Context) error { return e.Source.Stop() })
		if e.Destination, err = registry.Start(ctx, "destination"); err != nil {
			return nil, fmt.Errorf("destination registry: %w", err)
		}
		e.addCleanup("destination registry", func(context.Context) error { return e.Destination.Stop() })
	} else {
		e.Source = registry.External(cfg.Registry)
		e.Destination = e.Source
	}

	if cfg.Selected(ProfileRuntime) || cfg.Selected(ProfileSmoke) {
		px, perr := dockerproxy.Start(ctx, dockerproxy.Options{
			Upstream:   cfg.DockerHost,
			Privileged: dockerproxy.Mode(cfg.DockerPrivileged),
		})
		if perr != nil {
			// Registry specs still run; the ones that need Docker fail as harness errors.
			e.DockerErr = fmt.Errorf("docker proxy: %w", perr)
		} else {
			e.Docker = px
			// LIFO: containers go first, then the images they ran, then the proxy.
			e.addCleanup("docker proxy", func(context.Context) error { return px.Close() })
			e.addCleanup("images pulled from the run's registries", e.removeImages)
			e.addCleanup("containers created through the proxy", func(ctx context.Context) error { return px.Cleanup(ctx) })
		}
	}
	if cfg.Selected(ProfileRuntime) || cfg.Selected(ProfileSmoke) {
		ref := e.Source.Host() + "/" + e.Repository("probe") + ":v1"
		pcfg := probe.Config{Binary: cfg.ProbeBinary}
		if pcfg.Binary == "" {
			if wd, err := os.Getwd(); err == nil {
				if root, ok := findModuleRoot(wd); ok {
					if p := filepath.Join(root, "bin", "cnab-probe"); fileExists(p) {
						pcfg.Binary = p
					}
				}
			}
		}
		if e.Probe, err = probe.BuildAndPush(ctx, pcfg, ref, nil); err != nil {
			e.ProbeErr = fmt.Errorf("probe image: %w", err)
			err = nil
		}
	}
	return e, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// ourImage reports whether an engine image reference was pulled from the
// run's registries: any reference on an embedded registry (fresh ports), or
// on an external one only in a repository this run named.
func (e *Env) ourImage(ref string) bool {
	hosts := []string{}
	if e.Source != nil {
		hosts = append(hosts, e.Source.Host())
	}
	if e.Destination != nil {
		hosts = append(hosts, e.Destination.Host())
	}
	for _, h := range hosts {
		rest, ok := strings.CutPrefix(ref, h+"/")
		if !ok {
			continue
		}
		if e.Config.Embedded() {
			return true
		}
		repo, _, _ := strings.Cut(rest, "@")
		if i := strings.LastIndex(repo, ":"); i >= 0 {
			repo = repo[:i]
		}
		e.mu.Lock()
		named := e.names[filepath.Base(repo)]
		e.mu.Unlock()
		return named
	}
	return false
}

// ourImages lists engine images with at least one reference of the run.
func (e *Env) ourImages(ctx context.Context) (ids []string, refs map[string][]string, foreign map[string]bool, err error) {
	list, err := e.Docker.Upstream().ImageList(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	refs, foreign = map[string][]string{}, map[string]bool{}
	for _, im := range list {
		for _, r := range append(slices.Clone(im.RepoTags), im.RepoDigests...) {
			if r == "<none>:<none>" || r == "<none>@<none>" {
				continue
			}
			if e.ourImage(r) {
				refs[im.ID] = append(refs[im.ID], r)
			} else {
				foreign[im.ID] = true
			}
		}
		if len(refs[im.ID]) > 0 {
			ids = append(ids, im.ID)
		}
	}
	return ids, refs, foreign, nil
}

// removeImages removes the images the tool pulled from the run's registries.
// An image that also carries someone else's reference only loses ours.
func (e *Env) removeImages(ctx context.Context) error {
	ids, refs, foreign, err := e.ourImages(ctx)
	if err != nil {
		return err
	}
	var errs []error
	up := e.Docker.Upstream()
	for _, id := range ids {
		if !foreign[id] {
			if err := up.ImageRemove(ctx, id, true); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		for _, r := range refs[id] {
			if err := up.ImageRemove(ctx, r, false); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (e *Env) addCleanup(what string, fn func(ctx context.Context) error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cleanups = append(e.cleanups, cleanup{what, fn})
}

// Close cancels running tool commands, runs every suite-scope cleanup in
// reverse order and then checks for leaks: containers created through the
// proxy that still exist and per-spec directories that were not removed. It
// returns every error, not the first.
func (e *Env) Close(ctx context.Context) error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	cs := e.cleanups
	e.cleanups = nil
	e.mu.Unlock()
	e.cancel()

	var errs []error
	// The leak check runs before the proxy goes away: a container the tool
	// left behind is reported, and then removed by the proxy's cleanup.
	if e.Docker != nil {
		if leaks, err := e.Docker.Leaks(ctx); err != nil {
			errs = append(errs, fmt.Errorf("leak check: %w", err))
		} else if len(leaks) > 0 {
			e.Leaked = append(e.Leaked, leaks...)
			fmt.Fprintf(e.progress(), "leak check: the tool left %d container(s) behind, removing them: %s\n", len(leaks), strings.Join(leaks, ", "))
		}
	}
	for _, d := range e.tempDirs {
		if _, err := os.Stat(d); err == nil {
			errs = append(errs, fmt.Errorf("leak check: temp dir %s still exists", d))
		}
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if err := cs[i].fn(ctx); err != nil {
			errs = append(errs, fmt.Errorf("cleanup %s: %w", cs[i].what, err))
		}
	}
	if e.Docker != nil {
		if leaks, err := e.Docker.Leaks(ctx); err == nil && len(leaks) > 0 {
			errs = append(errs, fmt.Errorf("leak check: containers still exist after cleanup: %s", strings.Join(leaks, ", ")))
		}
	}
	if e.Docker != nil {
		if ids, _, _, err := e.ourImages(ctx); err == nil && len(ids) > 0 {
			errs = append(errs, fmt.Errorf("leak check: %d image(s) pulled from the run's registries still exist", len(ids)))
		}
	}
	if e.Config.Embedded() {
		for _, r := range []*registry.Registry{e.Source, e.Destination} {
			if r != nil && r.Running() {
				errs = append(errs, fmt.Errorf("leak check: the %s registry still answers on %s", r.Name(), r.Host()))
			}
		}
	}
	if _, err := os.Stat(e.Work); err == nil {
		errs = append(errs, fmt.Errorf("leak check: work directory %s still exists", e.Work))
	}
	return errors.Join(errs...)
}

func (e *Env) progress() io.Writer {
	if e.Config != nil && e.Config.Progress != nil {
		return e.Config.Progress
	}
	return GinkgoWriter
}

// commandLiner is implemented by tools that can show the command they are
// about to run (the YAML adapter), so a hung command is visible while it hangs.
type commandLiner interface {
	CommandLine(op tool.Operation, req tool.Request) (string, error)
}

// Run performs op with the tool. It fills in what the spec left empty (a
// private WorkDir, DOCKER_HOST pointing at the recording proxy), skips the
// spec with the reason "tool does not declare <op>" when the tool cannot do
// it, attaches the command, exit code and output to the spec's evidence,
// and fails the spec as a harness Error when the tool could not be run at
// all. A tool that ran and failed is reported through the Result; use
// MustRun when the spec cannot go on without success.
func (e *Env) Run(op tool.Operation, req tool.Request) tool.Result {
	GinkgoHelper()
	if !e.Tool.Supports(op) {
		Skip(fmt.Sprintf("tool does not declare %s", op))
	}
	if (req.Privileged || req.DockerHostAccess) && !e.Tool.CanOptIn(req.Privileged, req.DockerHostAccess) {
		Skip(fmt.Sprintf("tool declares no way to opt into %s", optInText(req)))
	}
	if req.WorkDir == "" {
		req.WorkDir = e.TempDir()
	}
	if _, isProfile := e.Tool.(*profile.Tool); req.Timeout <= 0 && !isProfile {
		req.Timeout = e.Config.Timeout // a profile applies its own per-operation timeouts
	}
	req.Env = append(e.toolEnv(), req.Env...)
	if req.Credentials != "" {
		e.secretsFromFile(req.Credentials)
	}
	out := e.progress()
	if cl, ok := e.Tool.(commandLiner); ok {
		if line, err := cl.CommandLine(op, req); err == nil {
			fmt.Fprintf(out, "  $ %s\n", line)
		}
	}
	res, err := e.Tool.Run(e.ctx, op, req)
	status := fmt.Sprintf("exit %d", res.ExitCode)
	if res.TimedOut {
		status = "killed at timeout"
	}
	fmt.Fprintf(out, "    %s: %s in %s\n", op, status, res.Duration.Round(time.Millisecond))
	e.Evidence(reports.Evidence{Commands: []reports.CommandRun{{
		Operation: string(op),
		Command:   res.Command,
		ExitCode:  res.ExitCode,
		TimedOut:  res.TimedOut,
		Duration:  res.Duration,
		Stdout:    Excerpt(res.Stdout),
		Stderr:    Excerpt(res.Stderr),
	}}})
	if err != nil {
		HarnessError("could not run the tool for %s: %v", op, err)
	}
	return res
}

// MustRun is Run for steps the spec cannot go on without: a tool that
// failed or hung fails the spec with its command, exit code and output.
func (e *Env) MustRun(op tool.Operation, req tool.Request) tool.Result {
	GinkgoHelper()
	res := e.Run(op, req)
	if !res.OK() {
		Fail(DescribeFailure(op, res))
	}
	return res
}

// DescribeFailure is the message for a tool command that did not succeed.
func DescribeFailure(op tool.Operation, res tool.Result) string {
	var b strings.Builder
	if res.TimedOut {
		fmt.Fprintf(&b, "%s: the tool did not finish and was killed at its timeout after %s", op, res.Duration.Round(time.Millisecond))
	} else {
		fmt.Fprintf(&b, "%s: the tool exited with code %d", op, res.ExitCode)
	}
	fmt.Fprintf(&b, "\ncommand: %s", res.Command)
	if s := strings.TrimSpace(res.Stdout); s != "" {
		fmt.Fprintf(&b, "\nstdout:\n%s", Excerpt(s))
	}
	if s := strings.TrimSpace(res.Stderr); s != "" {
		fmt.Fprintf(&b, "\nstderr:\n%s", Excerpt(s))
	}
	return b.String()
}

func optInText(req tool.Request) string {
	var parts []string
	if req.Privileged {
		parts = append(parts, "privileged mode")
	}
	if req.DockerHostAccess {
		parts = append(parts, "Docker host access")
	}
	return strings.Join(parts, " and ")
}

// toolEnv is the environment every tool command gets from the harness.
func (e *Env) toolEnv() []string {
	out := []string{"TMPDIR=" + e.ToolTmp}
	if e.Docker != nil {
		out = append(out, "DOCKER_HOST="+e.Docker.DockerHost())
		out = append(out, e.Docker.TLSEnv()...)
	}
	return out
}

// excerptLimit bounds the output kept per stream in evidence and messages.
const excerptLimit = 8 << 10

// Excerpt keeps the head and the tail of a long output, which is where tools
// say what they are doing and why they failed.
func Excerpt(s string) string {
	if len(s) <= excerptLimit {
		return s
	}
	half := excerptLimit / 2
	return s[:half] + fmt.Sprintf("\n... [%d bytes elided] ...\n", len(s)-2*half) + s[len(s)-half:]
}

// TempDir returns a new directory for the current spec (or ordered
// container, when called from BeforeAll), removed when it ends.
func (e *Env) TempDir() string {
	GinkgoHelper()
	d, err := os.MkdirTemp(e.Work, "spec-")
	if err != nil {
		HarnessError("temp dir: %v", err)
	}
	e.mu.Lock()
	e.tempDirs = append(e.tempDirs, d)
	e.mu.Unlock()
	DeferCleanup(os.RemoveAll, d)
	return d
}

// UniqueName returns prefix-<random>, unique for the run.
func (e *Env) UniqueName(prefix string) string {
	n := prefix + "-" + randomSuffix()
	e.mu.Lock()
	if e.names == nil {
		e.names = map[string]bool{}
	}
	e.names[n] = true
	e.mu.Unlock()
	return n
}

// Repository returns a fresh repository name for a fixture:
// cnab-conformance/<fixture>-<random>.
func (e *Env) Repository(fixture string) string {
	return "cnab-conformance/" + e.UniqueName(fixture)
}

// InstallationName returns a fresh installation name: cnabconf-<random>.
func (e *Env) InstallationName() string { return e.UniqueName("cnabconf") }

func randomSuffix() string {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// Defer registers a cleanup in Ginkgo's LIFO order, scoped to where it is
// called (spec, ordered container or suite). Register it right after the
// thing it removes is created. An error fails the scope with what.
func (e *Env) Defer(what string, fn func(ctx context.Context) error) {
	GinkgoHelper()
	DeferCleanup(func(ctx SpecContext) error {
		if err := fn(ctx); err != nil {
			return fmt.Errorf("cleanup %s: %w", what, err)
		}
		return nil
	}, NodeTimeout(2*time.Minute))
}

// Evidence attaches what a verdict rests on to the current spec. Several
// calls add several entries; the reports merge every EvidenceEntry of a spec.
func (e *Env) Evidence(ev reports.Evidence) {
	AddReportEntry(reports.EvidenceEntry, ev, ReportEntryVisibilityNever)
}

// Secret registers values the reports must never show: call it with every
// credential value and writeOnly parameter value a spec hands to the tool,
// before running it: e.Secret(password, token).
//
// Each value is replaced by [REDACTED] wherever it turns up in results.json,
// junit.xml, report.html, summary.md and Ginkgo's own reports (tool output,
// failure messages, recorded create requests, probe observations), also
// where nothing labels it as a secret. Checks still see the raw values: only
// what is written is redacted. Values shorter than reports.MinSecretLength
// are too short to remove safely and are ignored. Credentials files passed
// through Run are registered automatically.
func (e *Env) Secret(values ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, v := range values {
		if v != "" && !slices.Contains(e.secrets, v) {
			e.secrets = append(e.secrets, v)
		}
	}
}

// Secrets returns the values registered with Secret, for the redactor.
func (e *Env) Secrets() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.secrets)
}

// secretsFromFile registers the string values of a credentials file (a JSON
// object, name -> value): whatever the tool is handed as a credential is a
// secret, whichever spec wrote the file. An unreadable file is the tool's
// problem to report, not ours.
func (e *Env) secretsFromFile(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return
	}
	for _, v := range m {
		switch t := v.(type) {
		case string:
			e.Secret(t)
		case nil, bool, float64:
			// not secret material on its own
		default:
			if b, err := json.Marshal(t); err == nil {
				e.Secret(string(b))
			}
		}
	}
}

// Note records a deviation the suite tolerated or a fallback it took, both
// in the spec's evidence and in its output.
func (e *Env) Note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(GinkgoWriter, "note: %s\n", msg)
	e.Evidence(reports.Evidence{Notes: []string{msg}})
}

// RequireDocker fails the spec as a harness Error when Docker is not
// available to the run.
func (e *Env) RequireDocker() {
	GinkgoHelper()
	if e.Docker == nil {
		if e.DockerErr != nil {
			HarnessError("%v", e.DockerErr)
		}
		HarnessError("no Docker proxy: select the runtime or smoke profile")
	}
}

// RequireRecording skips the spec when the registries do not record their
// requests (an external registry), because its verdict rests on them.
func (e *Env) RequireRecording() {
	GinkgoHelper()
	if !e.Source.Recording() || !e.Destination.Recording() {
		Skip("external registry " + e.Config.Registry + ": requests are not recorded")
	}
}

// Context is the run's context: canceled when the run is torn down.
func (e *Env) Context() context.Context { return e.ctx }

// RequireProbe fails the spec as a harness Error when the probe image could
// not be built or pushed, and returns it otherwise.
func (e *Env) RequireProbe() probe.Pushed {
	GinkgoHelper()
	if e.ProbeErr != nil {
		HarnessError("%v", e.ProbeErr)
	}
	return e.Probe
}
