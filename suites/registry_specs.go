package suites

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/bundles"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/images"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/registry"
	"github.com/cnab-conformance/cnab-conformance/suites/tool"
	"github.com/cnab-conformance/cnab-conformance/validator/oci"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// The registry profile: push -> promote -> pull of each fixture bundle
// (fixtures/suite-bundles/registry), checked rule by rule. The tool's
// operations all run once per fixture in BeforeAll, in lifecycle order, and
// each check only judges what was gathered; so a label filter that selects
// one check still runs the whole lifecycle, and a check whose input could
// not be produced skips, naming the check that failed for it.
//
// Each fixture gets a private source registry (so the promote can be
// proven air-gapped by stopping it) and promotes into the run's
// destination registry. With an external registry both are that registry
// and the checks that need a recording or a stop are skipped.
func init() { addSpecs(ProfileRegistry, registrySpecs) }

// registryFixtures are the templates the profile runs, with their images.
var registryFixtures = []struct {
	template   string
	components []string
}{
	{"registry/minimal", nil},
	{"registry/full", []string{"web", "db"}},
}

// registryRun is everything one fixture's lifecycle produced.
type registryRun struct {
	fixtureBundle
	dst         *registry.Registry
	srcRef      string // REGISTRY/REPO:TAG pushed to
	srcRepo     client.Repo
	dstRef      string
	dstRepo     client.Repo
	push1Mark   int
	push1End    int // Seq of the last request of the first push
	push1       tool.Result
	push2       tool.Result
	pushed      *oci.Artifact // fetched after the first push
	fetchErr    error
	second      *oci.Artifact // fetched after the second push
	pullTag     tool.Result
	pullDigest  tool.Result
	pullRef     string // by-digest reference pulled
	copyRan     string // "copy", "pull+push" or "" (not supported)
	copyRes     tool.Result
	copyMark    int // destination recording: before and after the promote
	copyEnd     int
	promoted    *oci.Artifact
	promotedErr error
	stopped     bool
	pullDst     tool.Result
	// originalsReachable: the original image references could not be made
	// unreachable before the promote (an external registry refused deletes).
	originalsReachable bool
}

func registrySpecs(cfg *Config) {
	for _, fx := range registryFixtures {
		fx := fx
		name := strings.TrimPrefix(fx.template, "registry/")
		Describe("bundle "+name, append(lifecycle(cfg), ContinueOnFailure, func() {
			var r *registryRun
			BeforeAll(func() {
				r = runRegistryLifecycle(env, fx.template, name, fx.components)
			})

			Check(ProfileRegistry, []string{"RG-06"}, "push succeeds and reports the digest the registry stores the index under", func() {
				requireOK(tool.Push, r.push1)
				r.requireFetched()
				fail(oci.CheckReportedDigest(r.push1.Digest, r.pushed), "push")
				if r.copyRan == "copy" && r.copyRes.OK() && r.promoted != nil {
					fail(oci.CheckReportedDigest(r.copyRes.Digest, r.promoted), "copy")
				}
			})

			Check(ProfileRegistry, []string{"G-201-05"}, "the pushed tag resolves to an OCI image index", func() {
				r.requirePushed()
				fail(oci.CheckIndex(r.pushed), "index")
			})

			Check(ProfileRegistry, []string{"G-201-06"}, "manifests[] lists the config manifest, then invocation images, then component images", func() {
				r.requirePushed()
				fail(oci.CheckOrder(r.pushed, r.parsed).ForRules("G-201-06"), "order")
			})

			Check(ProfileRegistry, []string{"G-201-03", "G-201-04"}, "every invocation and component image of the bundle is in the index", func() {
				r.requirePushed()
				fail(oci.CheckOrder(r.pushed, r.parsed).ForRules("G-201-03", "G-201-04"), "images")
			})

			Check(ProfileRegistry, []string{"G-201-08"}, "descriptor and index annotations carry the bundle's type, name, version and metadata", func() {
				r.requirePushed()
				fail(oci.CheckAnnotations(r.pushed, r.parsed), "annotations")
			})

			Check(ProfileRegistry, []string{"G-201-01"}, "the config blob is the canonical bundle.json, unmodified", func() {
				r.requirePushed()
				fail(oci.CheckConfig(r.pushed, r.bundle).ForRules("G-201-01"), "config")
			})

			Check(ProfileRegistry, []string{"G-201-02"}, "the config blob has the CNAB config media type or an allowed fallback", func() {
				r.requirePushed()
				// The rule is the media type itself: a warning fails it.
				failOn(oci.CheckConfig(r.pushed, r.bundle).ForRules("G-201-02"), "config media type", oci.Warning)
			})

			Check(ProfileRegistry, []string{"G-201-09"}, "every descriptor's digest and size match the stored object", func() {
				r.requirePushed()
				fail(oci.CheckDigests(r.pushed), "digests")
			})

			Check(ProfileRegistry, []string{"B-101-13", "B-101-12", "B-101-14"}, "image descriptors equal the bundle's contentDigest, size and mediaType", func() {
				r.requirePushed()
				fail(oci.CheckImageDigests(r.pushed, r.parsed), "image digests")
				// Consumers read the bundle.json stored in the registry: a tool
				// that rewrote contentDigest (to the image ID, as tools did
				// before spec PR #384) is judged on what it stored.
				if stored, err := oci.ParseBundle(r.pushed.ConfigBlob); err == nil && !bytes.Equal(r.pushed.ConfigBlob, r.bundle) {
					fail(oci.CheckImageDigests(r.pushed, stored), "image digests of the stored bundle.json")
				}
			})

			Check(ProfileRegistry, []string{"RG-01"}, "everything the index references is in the repository before the index is tagged, and the index is the last write", func() {
				r.requirePushed()
				r.requireRecording()
				fs := oci.CheckUploadOrder(r.push1Requests(), r.push1Mark, r.srcRepo.Path, tagOf(r.srcRef), r.pushed)
				env.Evidence(reports.Evidence{RegistryRequests: r.src.Since(r.push1Mark)})
				fail(fs.ForRules("RG-01"), "push upload order")
				if fs := r.copyOrder(); fs != nil {
					fail(fs.ForRules("RG-01"), "promote upload order")
				}
			})

			Check(ProfileRegistry, []string{"RG-02"}, "image manifests are written into the bundle repository by digest", func() {
				r.requirePushed()
				r.requireRecording()
				fs := oci.CheckUploadOrder(r.push1Requests(), r.push1Mark, r.srcRepo.Path, tagOf(r.srcRef), r.pushed)
				fail(fs.ForRules("RG-02"), "push: images by digest")
				if fs := r.copyOrder(); fs != nil {
					fail(fs.ForRules("RG-02"), "promote: images by digest")
				}
			})

			Check(ProfileRegistry, []string{"RG-03"}, "pushing the same bundle twice gives the same digest", func() {
				r.requirePushed()
				requireOK(tool.Push, r.push2)
				if r.second == nil {
					Fail("the second push succeeded but its tag cannot be read back")
				}
				fail(oci.CheckDeterminism(client.Digest(r.pushed.Index), client.Digest(r.second.Index)), "determinism")
			})

			Check(ProfileRegistry, []string{"F-104-06"}, "pull by tag and by digest gives back bundle.json byte for byte", func() {
				r.requirePushed()
				for _, p := range []struct {
					how string
					res tool.Result
				}{{"by tag " + r.srcRef, r.pullTag}, {"by digest " + r.pullRef, r.pullDigest}} {
					requireOK(tool.Pull, p.res)
					got, err := os.ReadFile(p.res.PulledBundle)
					if err != nil {
						Fail(fmt.Sprintf("pull %s: the tool wrote no bundle where its profile says: %v", p.how, err))
					}
					fail(oci.CheckPulled(got, r.bundle, p.how), "pull")
				}
			})

			Check(ProfileRegistry, []string{"R-103-23"}, "relocation mappings map every image to the bundle repository by digest", func() {
				r.requirePushed()
				checked := 0
				for _, m := range []struct {
					what string
					res  tool.Result
					repo string
					ok   bool
				}{
					{"pull from " + r.srcRef, r.pullTag, r.srcRepo.String(), r.pullTag.OK()},
					{"copy to " + r.dstRef, r.copyRes, r.dstRepo.String(), r.copyRan == "copy" && r.copyRes.OK()},
					{"pull from " + r.dstRef, r.pullDst, r.dstRepo.String(), r.pullDst.OK()},
				} {
					if !m.ok || m.res.RelocationMapping == "" {
						continue
					}
					mapping, err := readMapping(m.res.RelocationMapping)
					if err != nil {
						Fail(fmt.Sprintf("%s: relocation mapping: %v", m.what, err))
					}
					fail(oci.CheckRelocationMapping(mapping, r.parsed, m.repo), m.what)
					checked++
				}
				if checked == 0 {
					Skip("the tool produced no relocation mapping for any operation (its profile names none)")
				}
			})

			Check(ProfileRegistry, []string{"RG-04"}, "promote copies every object into the destination, without the original image references", func() {
				r.requirePushed()
				if r.copyRan == "" {
					Skip("tool declares neither copy nor pull and push")
				}
				if r.originalsReachable {
					env.Note("the registry refused to delete the original images: the promote was not shown independent of them")
				}
				if r.copyRan == "pull+push" {
					env.Note("the tool has no copy operation: promoted by pull then push")
				}
				requireOK(tool.Copy, r.copyRes)
				if r.promotedErr != nil {
					Fail(fmt.Sprintf("the promoted bundle cannot be read from %s: %v", r.dstRef, r.promotedErr))
				}
				fail(oci.CheckPromote(r.copySource(), r.promoted).ForRules("RG-04"), "promote")
				if r.stopped {
					requireOK(tool.Pull, r.pullDst)
				}
			})

			Check(ProfileRegistry, []string{"F-104-06"}, "promote keeps the digest and bundle.json, and the promoted bundle pulls with the source registry stopped", func() {
				r.requirePushed()
				if r.copyRan == "" || !r.copyRes.OK() || r.promoted == nil {
					Skip("the promote did not produce a bundle in the destination (see the RG-04 check)")
				}
				fail(oci.CheckPromote(r.copySource(), r.promoted).ForRules("F-104-06"), "promote")
				if !r.stopped {
					env.Note("the source registry is external and was not stopped: the air-gapped pull was not verified")
				}
				if !r.pullDst.OK() {
					Skip("pull from the destination failed (see the RG-04 check)")
				}
				got, err := os.ReadFile(r.pullDst.PulledBundle)
				if err != nil {
					Fail(fmt.Sprintf("pull from %s: the tool wrote no bundle where its profile says: %v", r.dstRef, err))
				}
				fail(oci.CheckPulled(got, r.bundle, "from the destination "+r.dstRef), "pull")
			})
		})...)
	}

	Describe("bad input", append(lifecycle(cfg), ContinueOnFailure, func() {
		Check(ProfileRegistry, []string{"RG-05"}, "a push that cannot succeed exits non-zero and leaves no tag", func() {
			e := env
			dir := e.TempDir()
			invalid := filepath.Join(dir, "invalid.json")
			// Schema-invalid: no invocation image (B-101-09).
			body := fmt.Sprintf(`{"invocationImages":[],"name":%q,"schemaVersion":"v1.2.0","version":"0.1.0"}`, e.UniqueName("invalid"))
			if err := os.WriteFile(invalid, []byte(body), 0o644); err != nil {
				HarnessError("%v", err)
			}
			valid := writeMinimalBundle(e, dir)

			// An address where nothing listens: a registry started and stopped.
			gone, err := registry.Start(e.Context(), "unreachable")
			if err != nil {
				HarnessError("unreachable registry: %v", err)
			}
			_ = gone.Stop()

			cases := []struct {
				what, bundle, ref string
			}{
				{"of an invalid bundle", invalid, e.Source.Host() + "/" + e.Repository("invalid") + ":v1"},
				{"to an invalid repository name", valid, e.Source.Host() + "/" + e.Repository("Invalid_Name") + ":v1"},
				{"to an unreachable registry", valid, gone.Host() + "/" + e.Repository("unreachable") + ":v1"},
			}
			var all oci.Findings
			for _, c := range cases {
				mark := e.Source.Mark()
				res := e.Run(tool.Push, tool.Request{Bundle: c.bundle, Reference: c.ref})
				ref, perr := client.ParseRef(c.ref)
				resolves, written := false, false
				if perr == nil && ref.Host == e.Source.Host() {
					_, herr := client.New().HeadManifest(e.Context(), ref.Repo, ref.Tag)
					resolves = herr == nil
					if e.Source.Recording() {
						for _, q := range e.Source.Records(mark) {
							if q.Repository == ref.Repo.Path && q.Kind == registry.KindManifest && q.Method == "PUT" && q.Reference == ref.Tag && q.OK() {
								written = true
							}
						}
					}
				}
				all = append(all, oci.CheckFailedPush(c.what, res.ExitCode, resolves, written)...)
			}
			fail(all, "bad input")
		})
	})...)
}

// runRegistryLifecycle pushes, re-pushes, pulls and promotes one fixture,
// gathering what the checks judge. Tool failures are recorded, not fatal.
func runRegistryLifecycle(e *Env, template, name string, components []string) *registryRun {
	GinkgoHelper()
	ctx := e.Context()
	r := &registryRun{fixtureBundle: prepareFixture(e, template, name, 7919, components), dst: e.Destination}
	r.srcRef = r.src.Host() + "/" + e.Repository(name) + ":v1"
	ref, _ := client.ParseRef(r.srcRef)
	r.srcRepo = ref.Repo
	c := client.New()

	// Push twice (determinism), fetching what the registry holds each time.
	r.push1Mark = r.src.Mark()
	r.push1 = e.Run(tool.Push, tool.Request{Bundle: r.bundleFile, Reference: r.srcRef})
	r.push1End = r.src.Mark()
	if r.push1.OK() {
		r.pushed, r.fetchErr = oci.Fetch(ctx, c, r.srcRef)
		r.push2 = e.Run(tool.Push, tool.Request{Bundle: r.bundleFile, Reference: r.srcRef})
		if r.push2.OK() {
			r.second, _ = oci.Fetch(ctx, c, r.srcRef)
		}
	}
	if r.pushed == nil {
		return r
	}
	// Pull by tag and by the registry's digest.
	if e.Tool.Supports(tool.Pull) {
		r.pullTag = e.Run(tool.Pull, tool.Request{Reference: r.srcRef, WorkDir: e.TempDir()})
		r.pullRef = r.srcRepo.String() + "@" + client.Digest(r.pushed.Index)
		r.pullDigest = e.Run(tool.Pull, tool.Request{Reference: r.pullRef, WorkDir: e.TempDir()})
	}
	// Make the original image references unreachable: a promote must read
	// from the bundle repository.
	for _, img := range append([]oci.Image{r.parsed.InvocationImages[0]}, imagesOf(r.parsed)...) {
		if o, err := client.ParseRef(img.Image); err == nil && o.Host == r.src.Host() {
			if err := c.DeleteManifest(ctx, o.Repo, img.ContentDigest); err != nil {
				if r.privateSrc {
					HarnessError("making %s unreachable: %v", img.Image, err)
				}
				// An external registry may refuse deletes.
				r.originalsReachable = true
			}
		}
	}
	// Promote into the destination registry.
	r.dstRef = r.dst.Host() + "/" + e.Repository(name+"-promoted") + ":v1"
	dref, _ := client.ParseRef(r.dstRef)
	r.dstRepo = dref.Repo
	r.copyMark = r.dst.Mark()
	switch {
	case e.Tool.Supports(tool.Copy):
		r.copyRan = "copy"
		r.copyRes = e.Run(tool.Copy, tool.Request{Reference: r.srcRef, Destination: r.dstRef, WorkDir: e.TempDir()})
	case e.Tool.Supports(tool.Pull) && e.Tool.Supports(tool.Push) && r.pullTag.OK():
		r.copyRan = "pull+push"
		r.copyRes = e.Run(tool.Push, tool.Request{Bundle: r.pullTag.PulledBundle, Reference: r.dstRef})
	}
	r.copyEnd = r.dst.Mark()
	if r.copyRes.OK() {
		r.promoted, r.promotedErr = oci.Fetch(ctx, c, r.dstRef)
	}
	// Air gap: stop the source, then pull from the destination.
	if r.privateSrc {
		if err := r.src.Stop(); err != nil {
			HarnessError("stopping the source registry: %v", err)
		}
		r.stopped = true
	}
	if r.copyRes.OK() && e.Tool.Supports(tool.Pull) {
		r.pullDst = e.Run(tool.Pull, tool.Request{Reference: r.dstRef, WorkDir: e.TempDir()})
	}
	return r
}

func imagesOf(b *oci.Bundle) []oci.Image {
	var out []oci.Image
	for _, n := range b.ComponentNames() {
		out = append(out, b.Images[n])
	}
	return out
}

// push1Requests is the recording up to the end of the first push (earlier
// requests count for presence; later ones belong to other operations).
func (r *registryRun) push1Requests() []oci.Request {
	recs := r.src.Records(0)
	if len(recs) > r.push1End {
		recs = recs[:r.push1End]
	}
	return ociRequests(recs)
}

// copyOrder judges the promote's writes to the destination (nil when there
// is nothing to judge: no promote, or no recording).
func (r *registryRun) copyOrder() oci.Findings {
	if r.promoted == nil || !r.dst.Recording() {
		return nil
	}
	recs := r.dst.Records(0)
	if len(recs) > r.copyEnd {
		recs = recs[:r.copyEnd]
	}
	fs := oci.CheckUploadOrder(ociRequests(recs), r.copyMark, r.dstRepo.Path, tagOf(r.dstRef), r.promoted)
	if fs == nil {
		fs = oci.Findings{}
	}
	ev := r.dst.Since(r.copyMark)
	if n := r.copyEnd - r.copyMark; n >= 0 && n < len(ev) {
		ev = ev[:n]
	}
	env.Evidence(reports.Evidence{RegistryRequests: ev})
	return fs
}

// copySource is the bundle the promote copied: the last one pushed.
func (r *registryRun) copySource() *oci.Artifact {
	if r.second != nil {
		return r.second
	}
	return r.pushed
}

func (r *registryRun) requireFetched() {
	GinkgoHelper()
	if r.pushed == nil {
		Fail(fmt.Sprintf("the push exited 0 but %s cannot be read back: %v", r.srcRef, r.fetchErr))
	}
}

// requirePushed skips a check whose input the push did not produce; the
// push itself is judged by the RG-06 check.
func (r *registryRun) requirePushed() {
	GinkgoHelper()
	if r.pushed == nil {
		Skip("the push failed or its result cannot be read (see the RG-06 check)")
	}
}

func (r *registryRun) requireRecording() {
	GinkgoHelper()
	if !r.src.Recording() {
		Skip("external registry: requests are not recorded")
	}
}

// requireOK fails the check with the tool's command and output.
func requireOK(op tool.Operation, res tool.Result) {
	GinkgoHelper()
	if res.Command == "" && res.ExitCode == 0 {
		Skip(fmt.Sprintf("%s did not run", op))
	}
	if !res.OK() {
		Fail(DescribeFailure(op, res))
	}
}

// fail turns Error findings into a failure and the rest into notes.
func fail(fs oci.Findings, what string) {
	GinkgoHelper()
	failOn(fs, what, oci.Error)
}

// failOn fails on findings of severity at or above min (Warning or Error).
func failOn(fs oci.Findings, what string, min oci.Severity) {
	GinkgoHelper()
	var errs []string
	for _, f := range fs {
		if f.Severity == oci.Error || (min == oci.Warning && f.Severity == oci.Warning) {
			errs = append(errs, f.String())
		} else {
			env.Note("%s: %s", what, f)
		}
	}
	if len(errs) > 0 {
		Fail(what + ":\n" + strings.Join(errs, "\n"))
	}
}

func tagOf(ref string) string {
	r, err := client.ParseRef(ref)
	if err != nil {
		return ""
	}
	return r.Tag
}

func readMapping(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("not a JSON object of strings: %w", err)
	}
	return m, nil
}

// ociRequests converts the recorder's records for the upload-order check.
func ociRequests(recs []registry.Record) []oci.Request {
	out := make([]oci.Request, len(recs))
	for i, r := range recs {
		out[i] = oci.Request{Seq: r.Seq, Method: r.Method, Kind: r.Kind, Repository: r.Repository,
			Reference: r.Reference, Digest: r.Digest, MediaType: r.MediaType, Status: r.Status}
	}
	return out
}

// writeMinimalBundle renders the minimal fixture around an image pushed to
// the run's source registry, for the bad-input checks.
func writeMinimalBundle(e *Env, dir string) string {
	GinkgoHelper()
	img, err := images.Random(42, 1)
	if err != nil {
		HarnessError("%v", err)
	}
	p, err := images.Push(e.Context(), img, e.Source.Host()+"/"+e.Repository("badinput-orig")+":v1")
	if err != nil {
		HarnessError("%v", err)
	}
	data := bundles.Data{SchemaVersion: bundles.SchemaVersionFor(e.Config.SpecVersion), Name: e.UniqueName("badinput"),
		Invocation: bundles.Image{Ref: p.Tagged, Digest: p.Digest, Size: p.Size, MediaType: p.MediaType}}
	b, err := bundles.Render("registry/minimal", data)
	if err != nil {
		HarnessError("%v", err)
	}
	f := filepath.Join(dir, "valid.json")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		HarnessError("%v", err)
	}
	return f
}

// The air-gap end of the promote (spec 805): where the runtime profile runs,
// a bundle around the probe image is pushed to a private source registry,
// its original image is deleted, it is promoted to the destination, the
// source is stopped, and the tool installs it from the destination. Only the
// relocated image in the destination repository can run.
func init() { addSpecs(ProfileRuntime, airGapSpecs) }

func airGapSpecs(cfg *Config) {
	Describe("air-gapped install of a promoted bundle", append(lifecycle(cfg), func() {
		var (
			e            *Env
			dstRef       string
			installation string
			setupErr     string
		)
		BeforeAll(func() {
			e = env
			e.RequireDocker()
			p := e.RequireProbe()
			if !e.Config.Embedded() {
				Skip("external registry: the source registry cannot be stopped")
			}
			ctx := e.Context()
			src, err := registry.Start(ctx, "source")
			if err != nil {
				HarnessError("private source registry: %v", err)
			}
			e.Defer("private source registry", func(context.Context) error { return src.Stop() })
			c := client.New()
			probeRef, err := client.ParseRef(p.Ref)
			if err != nil {
				HarnessError("probe reference: %v", err)
			}
			orig := client.Repo{Host: src.Host(), Path: e.Repository("airgap-orig")}
			if _, err := c.Copy(ctx, probeRef.Repo, orig, p.Digest, client.CopyOptions{Tag: "v1"}); err != nil {
				HarnessError("copying the probe image: %v", err)
			}
			data := bundles.Data{SchemaVersion: bundles.SchemaVersionFor(e.Config.SpecVersion), Name: e.UniqueName("airgap"),
				Invocation: bundles.Image{Ref: orig.String() + ":v1", Digest: p.Digest, Size: p.Size, MediaType: p.MediaType}}
			bundleFile, _, err := bundles.WriteFile(e.TempDir(), "registry/minimal", data)
			if err != nil {
				HarnessError("bundle: %v", err)
			}
			srcRef := src.Host() + "/" + e.Repository("airgap") + ":v1"
			dstRef = e.Destination.Host() + "/" + e.Repository("airgap-promoted") + ":v1"
			if res := e.Run(tool.Push, tool.Request{Bundle: bundleFile, Reference: srcRef}); !res.OK() {
				setupErr = DescribeFailure(tool.Push, res)
				return
			}
			if err := c.DeleteManifest(ctx, orig, p.Digest); err != nil {
				HarnessError("making the original probe image unreachable: %v", err)
			}
			var res tool.Result
			switch {
			case e.Tool.Supports(tool.Copy):
				res = e.Run(tool.Copy, tool.Request{Reference: srcRef, Destination: dstRef, WorkDir: e.TempDir()})
			case e.Tool.Supports(tool.Pull):
				pull := e.Run(tool.Pull, tool.Request{Reference: srcRef, WorkDir: e.TempDir()})
				if !pull.OK() {
					setupErr = DescribeFailure(tool.Pull, pull)
					return
				}
				e.Note("the tool has no copy operation: promoted by pull then push")
				res = e.Run(tool.Push, tool.Request{Bundle: pull.PulledBundle, Reference: dstRef})
			default:
				Skip("tool declares neither copy nor pull")
			}
			if !res.OK() {
				setupErr = DescribeFailure(tool.Copy, res)
				return
			}
			if err := src.Stop(); err != nil {
				HarnessError("stopping the source registry: %v", err)
			}
			installation = e.InstallationName()
		})

		Check(ProfileRuntime, []string{"RG-04"}, "a promoted bundle installs from the destination with the source registry stopped", func() {
			if setupErr != "" {
				Fail("the promote failed:\n" + setupErr)
			}
			mark := e.Docker.Mark()
			res := e.Run(tool.Install, tool.Request{Reference: dstRef, Installation: installation})
			creates := e.Docker.Since(mark)
			if res.OK() && e.Tool.Supports(tool.Uninstall) {
				e.Run(tool.Uninstall, tool.Request{Reference: dstRef, Installation: installation})
			}
			obs, raw, created := findProbe(creates)
			e.Evidence(createEvidence(creates, raw))
			requireOK(tool.Install, res)
			if obs == nil {
				Fail("no container the tool created printed the probe's record: the invocation image did not run")
			}
			if obs.Action != "install" && obs.Env["CNAB_ACTION"] != "install" {
				Fail(fmt.Sprintf("the probe saw action %q, want install", obs.Action))
			}
			var req struct{ Image string }
			if err := json.Unmarshal(created.Request, &req); err == nil && !strings.HasPrefix(req.Image, e.Destination.Host()+"/") {
				Fail(fmt.Sprintf("the invocation container ran %s, not the relocated image in the destination %s", req.Image, e.Destination.Host()))
			}
		})
	})...)
}

// fixtureBundle is a fixture template rendered with real images: the
// registry and archive profiles both start from one.
type fixtureBundle struct {
	src        *registry.Registry // where the images (and then the bundle) live
	privateSrc bool               // src is this fixture's own registry, so it may be stopped
	bundle     []byte             // the canonical bundle.json
	parsed     *oci.Bundle
	bundleFile string
}

// prepareFixture gives the fixture a private source registry (embedded mode;
// so a promote or import can be proven air-gapped by stopping it), pushes a
// random image for its invocation image and each component into
// "<prefix>-orig-*" repositories there, and renders the template with their
// digests. seed keeps each profile's images distinct but reproducible.
func prepareFixture(e *Env, template, prefix string, seed int64, components []string) fixtureBundle {
	GinkgoHelper()
	ctx := e.Context()
	f := fixtureBundle{src: e.Source}
	if e.Config.Embedded() {
		src, err := registry.Start(ctx, "source")
		if err != nil {
			HarnessError("private source registry: %v", err)
		}
		e.Defer("private source registry", func(context.Context) error { return src.Stop() })
		f.src, f.privateSrc = src, true
	}
	origRepo := e.Repository(prefix + "-orig")
	seed *= int64(len(template))
	push := func(key string, seed int64) bundles.Image {
		img, err := images.Random(seed, 2)
		if err != nil {
			HarnessError("image %s: %v", key, err)
		}
		p, err := images.Push(ctx, img, f.src.Host()+"/"+origRepo+"-"+key+":v1")
		if err != nil {
			HarnessError("image %s: %v", key, err)
		}
		return bundles.Image{Ref: p.Tagged, Digest: p.Digest, Size: p.Size, MediaType: p.MediaType}
	}
	data := bundles.Data{SchemaVersion: bundles.SchemaVersionFor(e.Config.SpecVersion),
		Name: e.UniqueName(prefix), Invocation: push("invocation", seed), Images: map[string]bundles.Image{}}
	for i, c := range components {
		data.Images[c] = push(c, seed+int64(i)+1)
	}
	var err error
	f.bundleFile, f.bundle, err = bundles.WriteFile(e.TempDir(), template, data)
	if err != nil {
		HarnessError("bundle %s: %v", template, err)
	}
	if f.parsed, err = oci.ParseBundle(f.bundle); err != nil {
		HarnessError("bundle %s: %v", template, err)
	}
	return f
}
