package suites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites/checks/runtimecheck"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/bundles"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/dockerproxy"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/probe"
	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

// The runtime profile: what a CNAB runtime does when it runs an invocation
// image, seen from the outside through the Docker recording proxy (the
// create requests) and the probe image (what the container was given).
// Each fixture bundle (fixtures/suite-bundles/runtime) gets one ordered
// lifecycle whose tool operations all run in BeforeAll; the checks only judge
// what was gathered (pure functions in suites/checks/runtimecheck), so a
// label filter that selects one check still runs the whole lifecycle.
func init() { addSpecs(ProfileRuntime, runtimeSpecs) }

// rtStatelessAction and rtExtension are names the fixtures declare.
const (
	rtStatelessAction = "org.cnab-conformance.stateless"
	rtExtension       = "org.cnab-conformance.unsupported-extension"
	rtTamperMarker    = "/cnab/app/tampered-image"
	rtSecondMarker    = "/cnab/app/second-image"
	rtHangTimeout     = 6 * time.Second
)

// rtOp is one tool operation and everything recorded around it.
type rtOp struct {
	op        tool.Operation
	action    string
	ran       bool
	res       tool.Result
	creates   []dockerproxy.Create
	obs       *runtimecheck.Observation
	obsRaw    json.RawMessage
	create    *runtimecheck.Create // the first create request, parsed
	outputs   map[string]string    // files the tool wrote into OutputDir
	outputDir string
}

// rtRequest is what a spec asks the tool to do.
type rtRequest struct {
	op           tool.Operation
	action       string // for invoke; also the expected CNAB_ACTION
	bundle       string
	reference    string // install from a registry instead of a file
	installation string
	params       map[string]any
	creds        map[string]any
	privileged   bool
	dockerHost   bool
	env          []string
	timeout      time.Duration
	proxy        *dockerproxy.Proxy // nil: the run's proxy
}

// rtRun runs one operation and gathers what the proxy recorded, the probe's
// record (from the captured container output, else from the tool's outputs)
// and the outputs the tool wrote.
func rtRun(e *Env, r rtRequest) *rtOp {
	GinkgoHelper()
	px := r.proxy
	if px == nil {
		px = e.Docker
	}
	dir := e.TempDir()
	req := tool.Request{Bundle: r.bundle, Reference: r.reference, Installation: r.installation, OutputDir: filepath.Join(dir, "outputs"),
		Privileged: r.privileged, DockerHostAccess: r.dockerHost, Env: r.env, Timeout: r.timeout}
	if r.op == tool.Invoke {
		req.Action = r.action
	}
	if err := os.MkdirAll(req.OutputDir, 0o755); err != nil {
		HarnessError("outputs dir: %v", err)
	}
	if r.params != nil {
		req.Parameters = rtWriteJSON(dir, "parameters.json", r.params)
	}
	if r.creds != nil {
		req.Credentials = rtWriteJSON(dir, "credentials.json", r.creds)
	}
	action := r.action
	if action == "" {
		action = string(r.op)
	}
	out := &rtOp{op: r.op, action: action}
	mark := px.Mark()
	out.res = e.Run(r.op, req)
	out.ran = true
	out.creates = px.Since(mark)
	for _, c := range out.creates {
		if out.create == nil && c.ID != "" {
			if pc, err := runtimecheck.ParseCreate(c.Request); err == nil {
				out.create = &pc
			}
		}
		if out.obs == nil {
			if o, err := runtimecheck.ParseObservation([]byte(c.Stdout)); err == nil {
				out.obs = o
				out.obsRaw = rtLine(c.Stdout)
			}
		}
	}
	out.outputs = map[string]string{}
	if entries, err := os.ReadDir(req.OutputDir); err == nil {
		for _, en := range entries {
			if b, err := os.ReadFile(filepath.Join(req.OutputDir, en.Name())); err == nil && !en.IsDir() {
				out.outputs[en.Name()] = string(b)
			}
		}
	}
	if out.obs == nil {
		if o, err := runtimecheck.ParseObservation([]byte(out.outputs["probe"])); err == nil {
			out.obs = o
			out.obsRaw = json.RawMessage(out.outputs["probe"])
		}
	}
	return out
}

// rtLine returns the probe's line of a container's output.
func rtLine(stdout string) json.RawMessage {
	for _, l := range strings.Split(stdout, "\n") {
		if _, err := runtimecheck.ParseObservation([]byte(l)); err == nil {
			return json.RawMessage(strings.TrimSpace(l))
		}
	}
	return nil
}

func rtWriteJSON(dir, name string, v any) string {
	GinkgoHelper()
	b, err := json.Marshal(v)
	if err != nil {
		HarnessError("%s: %v", name, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		HarnessError("%s: %v", name, err)
	}
	return p
}

func rtRandom(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// rtEvidence attaches the operation's commands' recorded creates and probe
// record to the current check.
func rtEvidence(ops ...*rtOp) {
	for _, o := range ops {
		if o == nil {
			continue
		}
		ev := reports.Evidence{Probe: o.obsRaw}
		for _, c := range o.creates {
			ev.ContainerCreates = append(ev.ContainerCreates, c.Request)
			if c.PrivilegedCleared {
				ev.Notes = append(ev.Notes, "the proxy recorded HostConfig.Privileged=true and cleared it before forwarding (--docker-privileged=record): privileged containers cannot start on every host")
			}
		}
		env.Evidence(ev)
	}
}

// rtFail fails the check when fs holds failures of the given rules.
func rtFail(fs runtimecheck.Failures, rules ...string) {
	GinkgoHelper()
	if got := fs.For(rules...); len(got) > 0 {
		Fail(got.String())
	}
}

// rtNeedOK skips the check when the operation it judges did not succeed;
// the check that covers that failure says so.
func rtNeedOK(o *rtOp, coveredBy string) {
	GinkgoHelper()
	if o == nil || !o.ran {
		Skip("the operation did not run")
	}
	if !o.res.OK() {
		Skip(fmt.Sprintf("%s failed (exit %d), see %s", o.action, o.res.ExitCode, coveredBy))
	}
}

// rtNeedObs skips when the probe left no record (the tool failed, or did
// not run /cnab/app/run: R-103-01 judges that).
func rtNeedObs(o *rtOp) *runtimecheck.Observation {
	GinkgoHelper()
	rtNeedOK(o, "R-103-11")
	if o.obs == nil {
		Skip(o.action + ": the probe left no record (see R-103-01)")
	}
	return o.obs
}

// rtNeedCreate skips when no create request reached the proxy (CP-05
// judges that).
func rtNeedCreate(o *rtOp) runtimecheck.Create {
	GinkgoHelper()
	if o == nil || o.create == nil {
		Skip("no container create request reached DOCKER_HOST (see CP-05)")
	}
	return *o.create
}

// rtLeaks returns the containers among creates that still exist.
func rtLeaks(ctx context.Context, px *dockerproxy.Proxy, ops ...*rtOp) []string {
	GinkgoHelper()
	var out []string
	for _, o := range ops {
		if o == nil {
			continue
		}
		for _, c := range o.creates {
			if c.ID == "" {
				continue
			}
			if _, err := px.Upstream().ContainerInspect(ctx, c.ID); err == nil {
				out = append(out, c.ID[:12]+" ("+o.action+")")
			}
		}
	}
	return out
}

// rtBundle renders a runtime fixture around the probe image.
func rtBundle(e *Env, template string, images map[string]bundles.Image) (file string, data []byte, name string) {
	GinkgoHelper()
	p := e.RequireProbe()
	name = e.UniqueName("rt-" + template)
	file, data, err := bundles.WriteFile(e.TempDir(), "runtime/"+template, bundles.Data{
		SchemaVersion: bundles.SchemaVersionFor(e.Config.SpecVersion),
		Name:          name,
		Invocation:    bundles.Image{Ref: p.Ref, Digest: p.Digest, Size: p.Size, MediaType: p.MediaType},
		Images:        images,
	})
	if err != nil {
		HarnessError("runtime bundle %s: %v", template, err)
	}
	return file, data, name
}

// rtProbeRun is the main lifecycle of the probe bundle.
type rtProbeRun struct {
	e            *Env
	file         string
	bundle       []byte
	bundleName   string
	installation string
	password     string
	token        string
	region       string
	late         string
	ops          map[string]*rtOp
}

// Parameter values of the probe fixture, by destination.
var (
	rtConfig   = map[string]any{"a": []any{1.0, 2.0}, "b": "x y"}
	rtSettings = map[string]any{"k": "v", "n": 1.0}
	rtMOTD     = "line one\nline two"
)

// The lifecycle of the probe installation, in order; the other steps are
// independent runs on installations of their own.
var (
	rtChain = []string{"install", "io.cnab.status", "upgrade", "uninstall"}
	rtOther = []string{"stateless", "missing-required", "invalid-value", "failing"}
)

// newProbeRun renders the fixture; operations run when a check first needs
// them (so a label filter selecting one check runs only what it judges),
// the lifecycle steps always in order.
func newProbeRun(e *Env) *rtProbeRun {
	GinkgoHelper()
	e.RequireDocker()
	file, data, name := rtBundle(e, "probe", nil)
	r := &rtProbeRun{e: e, file: file, bundle: data, bundleName: name, installation: e.InstallationName(),
		password: rtRandom("pw-"), token: rtRandom("tok-"), region: "eu-west-1", late: "late-value", ops: map[string]*rtOp{}}
	// The writeOnly password and the credential never reach a report.
	e.Secret(r.password, r.token)
	return r
}

func (r *rtProbeRun) base(extra map[string]any) map[string]any {
	m := map[string]any{"region": r.region, "password": r.password}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// get returns the operation named step, running it (and the lifecycle
// steps before it) first if needed.
func (r *rtProbeRun) get(step string) *rtOp {
	GinkgoHelper()
	if o, ok := r.ops[step]; ok {
		return o
	}
	if i := slices.Index(rtChain, step); i > 0 {
		r.get(rtChain[i-1])
	}
	full := r.base(map[string]any{"port": 8080, "debug": true, "config": rtConfig, "greeting": "hello world",
		"settings": rtSettings, "motd": rtMOTD, "late": r.late,
		"probe_outputs": `{"message":"hi","upgraded":"yes"}`})
	creds := map[string]any{"token": r.token}
	req := rtRequest{bundle: r.file, installation: r.installation, params: r.base(nil), creds: creds}
	switch step {
	case "install":
		req.op, req.params = tool.Install, full
	case "io.cnab.status":
		req.op, req.action = tool.Invoke, "io.cnab.status"
	case "upgrade":
		req.op, req.params = tool.Upgrade, full
	case "uninstall":
		req.op = tool.Uninstall
	case "stateless":
		req.op, req.action, req.installation, req.creds = tool.Invoke, rtStatelessAction, r.e.InstallationName(), nil
	case "missing-required":
		req.op, req.installation, req.params = tool.Install, r.e.InstallationName(), map[string]any{"password": r.password}
	case "invalid-value":
		req.op, req.installation, req.params = tool.Install, r.e.InstallationName(), r.base(map[string]any{"port": "not-a-port"})
	case "failing":
		req.op, req.installation = tool.Install, r.e.InstallationName()
		req.params = r.base(map[string]any{"probe_exit": "3", "probe_outputs": `{"message":"hi"}`})
	default:
		HarnessError("unknown lifecycle step %q", step)
	}
	o := rtRun(r.e, req)
	r.ops[step] = o
	return o
}

func (r *rtProbeRun) Install() *rtOp   { return r.get("install") }
func (r *rtProbeRun) Status() *rtOp    { return r.get("io.cnab.status") }
func (r *rtProbeRun) Upgrade() *rtOp   { return r.get("upgrade") }
func (r *rtProbeRun) Uninstall() *rtOp { return r.get("uninstall") }
func (r *rtProbeRun) Stateless() *rtOp { return r.get("stateless") }
func (r *rtProbeRun) Missing() *rtOp   { return r.get("missing-required") }
func (r *rtProbeRun) Invalid() *rtOp   { return r.get("invalid-value") }
func (r *rtProbeRun) Failing() *rtOp   { return r.get("failing") }

// all runs every step and returns them.
func (r *rtProbeRun) all() []*rtOp {
	GinkgoHelper()
	var out []*rtOp
	for _, s := range append(slices.Clone(rtChain), rtOther...) {
		out = append(out, r.get(s))
	}
	return out
}

func runtimeSpecs(cfg *Config) {
	Describe("probe bundle lifecycle", append(lifecycle(cfg), ContinueOnFailure, func() {
		var r *rtProbeRun
		BeforeAll(func() { r = newProbeRun(env) })
		expect := func(o *rtOp) runtimecheck.Expect {
			inst := r.installation
			if o.action == rtStatelessAction {
				inst = ""
			}
			return runtimecheck.Expect{Action: o.action, Installation: inst, BundleName: r.bundleName}
		}

		Check(ProfileRuntime, []string{"CP-05"}, "the tool runs the invocation image on the engine named by DOCKER_HOST", func() {
			rtEvidence(r.Install())
			rtFail(runtimecheck.Endpoint(runtimecheck.RuleDockerHost, len(r.Install().creates), r.Install().res.OK()), "CP-05")
		})

		Check(ProfileRuntime, []string{"CP-01"}, "by default the invocation container is not privileged", func() {
			c := rtNeedCreate(r.Install())
			rtEvidence(r.Install())
			rtFail(runtimecheck.PrivilegeDefaults(c, r.Install().obs), "CP-01")
		})

		Check(ProfileRuntime, []string{"CP-02"}, "by default the invocation container gets no Docker socket", func() {
			c := rtNeedCreate(r.Install())
			rtEvidence(r.Install())
			rtFail(runtimecheck.PrivilegeDefaults(c, r.Install().obs), "CP-02")
		})

		Check(ProfileRuntime, []string{"CP-03"}, "by default the invocation container gets no host namespace, capability, device or host path", func() {
			c := rtNeedCreate(r.Install())
			rtEvidence(r.Install())
			rtFail(runtimecheck.PrivilegeDefaults(c, r.Install().obs), "CP-03")
		})

		Check(ProfileRuntime, []string{"R-103-11"}, "install, upgrade and uninstall succeed", func() {
			for _, o := range []*rtOp{r.Install(), r.Upgrade(), r.Uninstall()} {
				rtFail(runtimecheck.Succeeded(runtimecheck.RuleActions, o.res.OK(), o.res.ExitCode, o.action+"\n"+DescribeFailure(o.op, o.res)), "R-103-11")
			}
		})

		Check(ProfileRuntime, []string{"R-103-01"}, "the runtime runs /cnab/app/run", func() {
			c := rtNeedCreate(r.Install())
			rtEvidence(r.Install())
			rtFail(runtimecheck.Entrypoint(c, r.Install().obs), "R-103-01")
		})

		Check(ProfileRuntime, []string{"R-103-03"}, "/cnab/bundle.json holds the bundle", func() {
			obs := rtNeedObs(r.Install())
			rtEvidence(r.Install())
			rtFail(runtimecheck.BundleMounted(obs, r.bundle), "R-103-03")
		})

		Check(ProfileRuntime, []string{"R-103-04"}, "CNAB_INSTALLATION_NAME, CNAB_BUNDLE_NAME and CNAB_ACTION are set", func() {
			for _, o := range []*rtOp{r.Install(), r.Status(), r.Upgrade(), r.Uninstall()} {
				rtFail(runtimecheck.Env(rtNeedObs(o), expect(o)), "R-103-04")
			}
			rtEvidence(r.Install())
		})

		Check(ProfileRuntime, []string{"R-103-06"}, "CNAB_ACTION is the action requested, built-in or custom", func() {
			for _, o := range []*rtOp{r.Install(), r.Status(), r.Upgrade(), r.Uninstall()} {
				rtFail(runtimecheck.Env(rtNeedObs(o), expect(o)), "R-103-06")
			}
		})

		Check(ProfileRuntime, []string{"R-103-07"}, "CNAB_REVISION is a new ULID for each modifying action and unchanged for a non-modifying one", func() {
			prev := ""
			for _, step := range []struct {
				o        *rtOp
				modifies bool
			}{{r.Install(), true}, {r.Status(), false}, {r.Upgrade(), true}, {r.Uninstall(), true}} {
				obs := rtNeedObs(step.o)
				rtFail(runtimecheck.Revision(obs, prev, step.modifies), "R-103-07")
				prev = obs.Env["CNAB_REVISION"]
			}
		})

		Check(ProfileRuntime, []string{"C-400-11"}, "CNAB_CLAIMS_VERSION is CNAB-Claims-1.0.0", func() {
			rtFail(runtimecheck.ClaimsEnv(rtNeedObs(r.Install())), "C-400-11")
		})

		Check(ProfileRuntime, []string{"C-400-12"}, "/cnab/claim.json is the claim of the current operation", func() {
			for _, o := range []*rtOp{r.Install(), r.Upgrade()} {
				rtFail(runtimecheck.ClaimMounted(rtNeedObs(o), expect(o)), "C-400-12")
			}
		})

		Check(ProfileRuntime, []string{"R-103-15"}, "a parameter with destination.env is exported under that exact name", func() {
			obs := rtNeedObs(r.Install())
			rtEvidence(r.Install())
			rtFail(runtimecheck.ParamEnvNames(obs, map[string]any{"PORT": 8080.0, "DEBUG": true, "CONFIG": rtConfig, "GREETING": "hello world"}), "R-103-15")
		})

		Check(ProfileRuntime, []string{"R-103-17"}, "env values are strings raw and other types compact JSON", func() {
			obs := rtNeedObs(r.Install())
			rtFail(runtimecheck.ParamEnvValues(obs, map[string]any{"PORT": 8080.0, "DEBUG": true, "CONFIG": rtConfig, "GREETING": "hello world", "REGION": r.region}), "R-103-17")
		})

		Check(ProfileRuntime, []string{"R-103-18"}, "a parameter with destination.path is a file holding exactly the value, also when empty", func() {
			obs := rtNeedObs(r.Install())
			rtFail(runtimecheck.ParamFiles(runtimecheck.RuleParamFile, obs, map[string]any{
				"/cnab/app/params/settings.json": rtSettings, "/cnab/app/params/motd": rtMOTD, "/cnab/app/params/empty": ""}), "R-103-18")
		})

		Check(ProfileRuntime, []string{"B-101-28"}, "a parameter with env and path gets both", func() {
			obs := rtNeedObs(r.Install())
			fs := runtimecheck.EnvValues(runtimecheck.RuleBoth, obs, map[string]any{"REGION": r.region})
			fs = append(fs, runtimecheck.ParamFiles(runtimecheck.RuleBoth, obs, map[string]any{"/cnab/app/params/region": r.region})...)
			rtFail(fs, "B-101-28")
		})

		Check(ProfileRuntime, []string{"R-103-16"}, "a parameter given no value gets its definition's default", func() {
			rtFail(runtimecheck.EnvValues(runtimecheck.RuleResolution, rtNeedObs(r.Install()), map[string]any{"REPLICAS": 3.0}), "R-103-16")
		})

		Check(ProfileRuntime, []string{"B-101-33"}, "credentials reach their env and path destinations", func() {
			obs := rtNeedObs(r.Install())
			fs := runtimecheck.EnvValues(runtimecheck.RuleCredential, obs, map[string]any{"API_TOKEN": r.token})
			fs = append(fs, runtimecheck.ParamFiles(runtimecheck.RuleCredential, obs, map[string]any{"/cnab/app/creds/token": r.token})...)
			rtFail(fs, "B-101-33")
		})

		Check(ProfileRuntime, []string{"B-101-31"}, "applyTo limits parameters and outputs to their actions", func() {
			inst, up := rtNeedObs(r.Install()), rtNeedObs(r.Upgrade())
			fs := runtimecheck.EnvAbsent(runtimecheck.RuleApplyTo, inst, "LATE")
			fs = append(fs, runtimecheck.EnvValues(runtimecheck.RuleApplyTo, up, map[string]any{"LATE": r.late})...)
			fs = append(fs, runtimecheck.OutputsApplyTo(r.Install().outputs, "upgraded")...)
			rtFail(fs, "B-101-31")
		})

		Check(ProfileRuntime, []string{"B-101-21"}, "writeOnly values never appear in the tool's output", func() {
			var out strings.Builder
			for _, o := range r.all() {
				out.WriteString(o.res.Stdout + "\n" + o.res.Stderr + "\n")
			}
			rtFail(runtimecheck.WriteOnly(out.String(), r.password), "B-101-21")
		})

		Check(ProfileRuntime, []string{"B-101-48"}, "outputs written to /cnab/app/outputs come back, and a missing one gets its default", func() {
			rtNeedOK(r.Install(), "R-103-11")
			rtFail(runtimecheck.Outputs(r.Install().outputs, map[string]string{"message": "hi", "fallback": "fallback-value"}), "B-101-48")
		})

		Check(ProfileRuntime, []string{"X-804-01"}, "io.cnab.status produces a status output", func() {
			rtNeedOK(r.Status(), "X-804-01 (the status action failed)")
			rtFail(runtimecheck.Status(r.Status().outputs), "X-804-01")
		})

		Check(ProfileRuntime, []string{"B-101-42"}, "a stateless custom action runs without an installation or credentials", func() {
			rtEvidence(r.Stateless())
			rtFail(runtimecheck.Succeeded(runtimecheck.RuleStateless, r.Stateless().res.OK(), r.Stateless().res.ExitCode,
				"the stateless action on an unknown installation\n"+DescribeFailure(tool.Invoke, r.Stateless().res)), "B-101-42")
		})

		Check(ProfileRuntime, []string{"B-101-30"}, "a missing required parameter stops the tool before any container is created", func() {
			rtEvidence(r.Missing())
			rtFail(runtimecheck.Refused(runtimecheck.RuleRequired, r.Missing().res.OK(), len(r.Missing().creates)), "B-101-30")
		})

		Check(ProfileRuntime, []string{"R-103-20"}, "a value that fails its definition stops the tool before any container is created", func() {
			rtEvidence(r.Invalid())
			rtFail(runtimecheck.Refused(runtimecheck.RuleValidation, r.Invalid().res.OK(), len(r.Invalid().creates)), "R-103-20")
		})

		Check(ProfileRuntime, []string{"R-103-14"}, "an invocation image that exits non-zero makes the tool fail", func() {
			rtEvidence(r.Failing())
			if len(r.Failing().creates) == 0 && !r.Failing().res.OK() {
				Skip("the failing install created no container: nothing ran")
			}
			rtFail(runtimecheck.Failed(r.Failing().res.OK(), r.Failing().res.ExitCode, "the invocation image exited 3"), "R-103-14")
		})

		Check(ProfileRuntime, []string{"C-400-07"}, "credential values are not stored in claims, results or outputs", func() {
			ops := []*rtOp{r.Install(), r.Upgrade()}
			files := map[string][]byte{}
			// The tool's state directory ({{.StateDir}} of its profile) and
			// the outputs it returned; the probe's own record is left out
			// (it is the image's output, not the tool's).
			_ = filepath.WalkDir(env.StateDir, func(p string, de os.DirEntry, err error) error {
				if err != nil || de.IsDir() {
					return nil
				}
				if info, err := de.Info(); err == nil && info.Size() < 4<<20 {
					if b, err := os.ReadFile(p); err == nil {
						files[p] = b
					}
				}
				return nil
			})
			for _, o := range ops {
				for n, v := range o.outputs {
					if n != "probe" {
						files["output "+n] = []byte(v)
					}
				}
			}
			rtFail(runtimecheck.CredentialsAtRest(files, r.token), "C-400-07")
		})

		Check(ProfileRuntime, []string{"CP-07"}, "no invocation container is left behind, on success or failure", func() {
			rtFail(runtimecheck.Leaks(rtLeaks(env.Context(), env.Docker, r.all()...)), "CP-07")
		})
	})...)

	Describe("opt-in access", func() {
		// One install per opt-in; a tool whose profile declares no opt-in
		// argument is skipped with that reason by Env.Run.
		optIn := func(privileged, socket bool) {
			e := env
			e.RequireDocker()
			file, _, _ := rtBundle(e, "probe", nil)
			o := rtRun(e, rtRequest{op: tool.Install, bundle: file, installation: e.InstallationName(), privileged: privileged, dockerHost: socket,
				params: rtMinimalParams(nil), creds: rtMinimalCreds()})
			rtEvidence(o)
			c := rtNeedCreate(o)
			rtFail(runtimecheck.OptIn(c, o.obs, privileged, socket), "CP-04")
			rtFail(runtimecheck.Leaks(rtLeaks(e.Context(), e.Docker, o)), "CP-04")
		}
		Check(ProfileRuntime, []string{"CP-04"}, "the privileged opt-in gives a privileged container and nothing more", func() { optIn(true, false) })
		Check(ProfileRuntime, []string{"CP-04"}, "the Docker host opt-in gives the engine's socket and nothing more", func() { optIn(false, true) })
	})

	Describe("TLS Docker endpoint", func() {
		Check(ProfileRuntime, []string{"CP-06"}, "with DOCKER_HOST=tcp://, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH the tool runs the image over TLS", func() {
			e := env
			e.RequireDocker()
			px, err := dockerproxy.Start(e.Context(), dockerproxy.Options{Upstream: e.Config.DockerHost,
				Privileged: dockerproxy.Mode(e.Config.DockerPrivileged), TLS: true, TempRoot: e.Work})
			if err != nil {
				HarnessError("TLS docker proxy: %v", err)
			}
			DeferCleanup(func(ctx SpecContext) error {
				err := px.Cleanup(ctx)
				return errors.Join(err, px.Close())
			})
			file, _, _ := rtBundle(e, "probe", nil)
			o := rtRun(e, rtRequest{op: tool.Install, bundle: file, installation: e.InstallationName(), proxy: px, env: px.TLSEnv(),
				params: rtMinimalParams(nil), creds: rtMinimalCreds()})
			rtEvidence(o)
			var tlsCalls int
			for _, c := range px.Calls() {
				if c.Listener == "tls" {
					tlsCalls++
				}
			}
			env.Note("the TLS endpoint saw %d API calls", tlsCalls)
			rtFail(runtimecheck.Endpoint(runtimecheck.RuleDockerTLS, len(o.creates), o.res.OK()), "CP-06")
		})
	})

	Describe("invocation image selection", append(lifecycle(cfg), ContinueOnFailure, func() {
		var o *rtOp
		BeforeAll(func() {
			e := env
			e.RequireDocker()
			p := e.RequireProbe()
			ctx := e.Context()
			pcfg := probe.Config{Binary: e.Config.ProbeBinary}
			if pcfg.Binary == "" {
				pcfg.Binary = rtProbeBinary()
			}
			// The pinned image: the probe under a fresh tag; then the tag is
			// moved to a look-alike before the tool ever sees the bundle.
			pinnedTag := e.Source.Host() + "/" + e.Repository("rt-pinned") + ":v1"
			pinned, err := probe.BuildAndPush(ctx, pcfg, pinnedTag, nil)
			if err != nil {
				HarnessError("pinned image: %v", err)
			}
			if _, err := probe.BuildAndPush(ctx, pcfg, pinnedTag, map[string][]byte{rtTamperMarker: []byte("tampered")}); err != nil {
				HarnessError("tampered image: %v", err)
			}
			second, err := probe.BuildAndPush(ctx, pcfg, e.Source.Host()+"/"+e.Repository("rt-second")+":v1", map[string][]byte{rtSecondMarker: []byte("second")})
			if err != nil {
				HarnessError("second image: %v", err)
			}
			img := func(p probe.Pushed, ref string) bundles.Image {
				return bundles.Image{Ref: ref, Digest: p.Digest, Size: p.Size, MediaType: p.MediaType}
			}
			file, _, _ := rtBundle(e, "images", map[string]bundles.Image{
				"unknown": img(p, p.Digested()),
				"pinned":  img(pinned, pinnedTag),
				"second":  img(second, second.Digested()),
			})
			o = rtRun(e, rtRequest{op: tool.Install, bundle: file, installation: e.InstallationName()})
		})

		Check(ProfileRuntime, []string{"B-101-15"}, "the image run is the one pinned by contentDigest, even after its tag moved", func() {
			rtEvidence(o)
			rtFail(runtimecheck.Digest(o.obs, o.res.OK(), rtTamperMarker), "B-101-15")
		})

		Check(ProfileRuntime, []string{"B-101-17"}, "the first invocation image the Docker driver can run is used", func() {
			rtNeedOK(o, "B-101-15 (a tool may refuse a moved tag)")
			rtFail(runtimecheck.FirstImage(o.obs, rtSecondMarker), "B-101-17")
		})
	})...)

	Describe("relocated bundle", append(lifecycle(cfg), func() {
		var (
			o        *rtOp
			original string
		)
		BeforeAll(func() {
			e := env
			e.RequireDocker()
			file, _, _ := rtBundle(e, "probe", nil)
			original = e.RequireProbe().Ref
			// A bundle pulled from a registry is relocated: its images are
			// in the bundle repository, not where bundle.json says.
			ref := e.Source.Host() + "/" + e.Repository("rt-relocated") + ":v1"
			push := e.Run(tool.Push, tool.Request{Bundle: file, Reference: ref})
			if !push.OK() {
				Skip("push failed, so there is no relocated bundle to install (the registry profile judges push)")
			}
			o = rtRun(e, rtRequest{op: tool.Install, reference: ref, installation: e.InstallationName(),
				params: rtMinimalParams(nil), creds: rtMinimalCreds()})
		})

		Check(ProfileRuntime, []string{"R-103-24"}, "a relocated bundle gets /cnab/app/relocation-mapping.json and runs the relocated image", func() {
			rtEvidence(o)
			c := rtNeedCreate(o)
			rtFail(runtimecheck.Relocation(rtNeedObs(o), c, original), "R-103-24")
		})
	})...)

	Describe("reserved and shared destinations", append(lifecycle(cfg), ContinueOnFailure, func() {
		var o *rtOp
		const paramValue, credValue = "from-parameter", "from-credential"
		BeforeAll(func() {
			e := env
			e.RequireDocker()
			file, _, _ := rtBundle(e, "edge", nil)
			o = rtRun(e, rtRequest{op: tool.Install, bundle: file, installation: e.InstallationName(),
				params: map[string]any{"hijack": "hijack", "shadow": paramValue}, creds: map[string]any{"secret": credValue}})
		})
		refused := func() {
			GinkgoHelper()
			if !o.res.OK() && len(o.creates) == 0 {
				env.Note("the tool refused the bundle (parameter aimed at CNAB_ACTION, or sharing a credential's destination): allowed (B-101-35, B-101-37 SHOULD)")
				Skip("the tool refused the bundle before running it, which the spec allows")
			}
		}

		Check(ProfileRuntime, []string{"B-101-36"}, "a parameter never overrides a credential with the same env var or path", func() {
			refused()
			obs := rtNeedObs(o)
			rtEvidence(o)
			fs := runtimecheck.EnvValues(runtimecheck.RuleParamVsCred, obs, map[string]any{"SHARED_SECRET": credValue})
			fs = append(fs, runtimecheck.ParamFiles(runtimecheck.RuleParamVsCred, obs, map[string]any{"/cnab/app/shared-secret": credValue})...)
			rtFail(fs, "B-101-36")
		})

		Check(ProfileRuntime, []string{"B-101-37"}, "a parameter cannot override the runtime's CNAB_* variables", func() {
			refused()
			rtFail(runtimecheck.ReservedEnv(rtNeedObs(o), "CNAB_ACTION", "hijack", "install"), "B-101-37")
		})
	})...)

	Describe("unsupported required extension", func() {
		Check(ProfileRuntime, []string{"B-101-46"}, "the tool tells the user about a required extension it does not support", func() {
			e := env
			e.RequireDocker()
			file, _, _ := rtBundle(e, "extension", nil)
			o := rtRun(e, rtRequest{op: tool.Install, bundle: file, installation: e.InstallationName()})
			rtEvidence(o)
			rtFail(runtimecheck.Extension(o.res.Stdout+"\n"+o.res.Stderr, rtExtension, o.res.OK()), "B-101-46")
		})
	})

	Describe("hung invocation image", append(lifecycle(cfg), ContinueOnFailure, func() {
		var o *rtOp
		BeforeAll(func() {
			e := env
			e.RequireDocker()
			file, _, _ := rtBundle(e, "probe", nil)
			o = rtRun(e, rtRequest{op: tool.Install, bundle: file, installation: e.InstallationName(), timeout: rtHangTimeout,
				params: rtMinimalParams(map[string]any{"probe_sleep": "120s"}), creds: rtMinimalCreds()})
			// The tool was stopped (SIGTERM, then SIGKILL) at its timeout;
			// give it a moment to finish removing its container.
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) && len(rtLeaks(e.Context(), e.Docker, o)) > 0 {
				time.Sleep(200 * time.Millisecond)
			}
		})

		Check(ProfileRuntime, []string{"R-103-14"}, "a hung invocation image is stopped and the tool reports failure", func() {
			rtEvidence(o)
			rtFail(runtimecheck.Failed(o.res.OK(), o.res.ExitCode, "the invocation image never finished"), "R-103-14")
		})

		Check(ProfileRuntime, []string{"CP-07"}, "the hung container is removed when the tool stops", func() {
			rtFail(runtimecheck.Leaks(rtLeaks(env.Context(), env.Docker, o)), "CP-07")
		})
	})...)
}

// rtMinimalParams are the probe fixture's parameters for runs that only
// need the install to work: the required one, a writeOnly value, and the
// install output the fixture declares without a default.
func rtMinimalParams(extra map[string]any) map[string]any {
	password := rtRandom("pw-")
	env.Secret(password) // writeOnly: never in a report
	m := map[string]any{"region": "eu-west-1", "password": password, "probe_outputs": `{"message":"hi"}`}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func rtMinimalCreds() map[string]any { return map[string]any{"token": rtRandom("tok-")} }

// rtProbeBinary is the prebuilt probe the run uses, if any (bin/cnab-probe).
func rtProbeBinary() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	if root, ok := findModuleRoot(wd); ok {
		if p := filepath.Join(root, "bin", "cnab-probe"); fileExists(p) {
			return p
		}
	}
	return ""
}
