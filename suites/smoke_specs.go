package suites

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/bundles"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/dockerproxy"
	"github.com/cnab-conformance/cnab-conformance/suites/tool"
)

// The smoke profile proves the machinery end to end on one small bundle:
// push -> pull -> promote through both registries, then install -> uninstall
// through the Docker proxy with the probe image, and nothing left behind.
func init() { addSpecs(ProfileSmoke, smokeSpecs) }

// smokeBundle renders the smoke bundle around the probe image and writes it
// into a directory of the current container.
func smokeBundle(e *Env) (path string, data []byte, bundleName string) {
	GinkgoHelper()
	p := e.RequireProbe()
	bundleName = e.UniqueName("smoke")
	path, data, err := bundles.WriteFile(e.TempDir(), "smoke/probe", bundles.Data{
		SchemaVersion: bundles.SchemaVersionFor(e.Config.SpecVersion),
		Name:          bundleName,
		Invocation:    bundles.Image{Ref: p.Ref, Digest: p.Digest, Size: p.Size, MediaType: p.MediaType},
	})
	if err != nil {
		HarnessError("smoke bundle: %v", err)
	}
	return path, data, bundleName
}

// Each lifecycle step runs at most once per container, in the first check
// that needs it (so its command lands in that check's evidence); a check
// whose step did not succeed skips and names the step. So a label filter or
// a spec version that leaves out the push check still pushes before the
// pull check, and one failure does not hide the checks after it.
func smokeSpecs(cfg *Config) {
	Describe("push, pull and promote", Ordered, ContinueOnFailure, func() {
		var (
			e          *Env
			bundleData []byte
			bundleFile string
			srcRef     string
			pushRes    *tool.Result
		)
		BeforeAll(func() {
			e = env
			bundleFile, bundleData, _ = smokeBundle(e)
			srcRef = e.Source.Host() + "/" + e.Repository("smoke") + ":v1"
			pushRes = nil
		})
		push := func() tool.Result {
			GinkgoHelper()
			if pushRes == nil {
				mark := e.Source.Mark()
				r := e.Run(tool.Push, tool.Request{Bundle: bundleFile, Reference: srcRef})
				e.Evidence(reports.Evidence{RegistryRequests: e.Source.Since(mark)})
				pushRes = &r
			}
			return *pushRes
		}
		pushed := func() string {
			GinkgoHelper()
			if r := push(); !r.OK() || r.Digest == "" {
				Skip("needs a successful push that reports a digest (see the push check)")
			}
			return pushRes.Digest
		}

		Check(ProfileSmoke, []string{"G-201-01", "RG-06"}, "push stores bundle.json unmodified as the config and reports the registry's digest", func() {
			res := push()
			if !res.OK() {
				Fail(DescribeFailure(tool.Push, res))
			}
			Expect(res.Digest).NotTo(BeEmpty(), "the tool reported no digest\n%s", DescribeFailure(tool.Push, res))
			Expect(registryDigest(srcRef)).To(Equal(res.Digest), "digest reported by the tool vs the registry's Docker-Content-Digest for %s", srcRef)
			Expect(configBlobs(srcRef)).To(ContainElement(bundleData), "no manifest under %s has the pushed bundle.json, byte for byte, as its config blob", srcRef)
		})

		Check(ProfileSmoke, []string{"F-104-06"}, "pull gives back bundle.json byte for byte", func() {
			pushed()
			res := e.MustRun(tool.Pull, tool.Request{Reference: srcRef})
			expectPulled(res, bundleData)
		})

		Check(ProfileSmoke, []string{"F-104-06", "RG-06"}, "promote to the destination registry keeps the digest", func() {
			digest := pushed()
			dstRef := e.Destination.Host() + "/" + e.Repository("smoke-promoted") + ":v1"
			res := e.MustRun(tool.Copy, tool.Request{Reference: srcRef, Destination: dstRef})
			Expect(registryDigest(dstRef)).To(Equal(digest), "the promoted bundle's digest in the destination registry")
			if res.Digest != "" {
				Expect(res.Digest).To(Equal(digest), "digest the tool reported for the promoted bundle")
			}
			expectPulled(e.MustRun(tool.Pull, tool.Request{Reference: dstRef}), bundleData)
		})
	})

	Describe("install and uninstall", Ordered, ContinueOnFailure, func() {
		var (
			e            *Env
			bundleFile   string
			bundleName   string
			installation string
			tmpBefore    map[string]bool
			results      map[tool.Operation]*actionResult
		)
		BeforeAll(func() {
			e = env
			e.RequireDocker()
			bundleFile, _, bundleName = smokeBundle(e)
			installation = e.InstallationName()
			tmpBefore = dirEntries(e.ToolTmp)
			results = map[tool.Operation]*actionResult{}
		})
		// act runs op once and keeps what the proxy saw.
		var act func(op tool.Operation) *actionResult
		act = func(op tool.Operation) *actionResult {
			GinkgoHelper()
			if r, ok := results[op]; ok {
				return r
			}
			if op == tool.Uninstall {
				if r := act(tool.Install); !r.res.OK() {
					Skip("needs a successful install (see the install check)")
				}
			}
			mark := e.Docker.Mark()
			// On failure, and before anything is torn down, say which Docker
			// API calls the tool made.
			DeferOnFailure(func() {
				var calls []string
				for _, c := range e.Docker.CallsSince(mark) {
					calls = append(calls, fmt.Sprintf("%s %s -> %d", c.Method, c.Path, c.Status))
				}
				e.Note("Docker API calls of %s: %s", op, strings.Join(calls, "; "))
			})
			r := &actionResult{res: e.Run(op, tool.Request{Bundle: bundleFile, Installation: installation})}
			r.creates = e.Docker.Since(mark)
			r.obs, r.raw, r.container = findProbe(r.creates)
			e.Evidence(createEvidence(r.creates, r.raw))
			results[op] = r
			return r
		}
		expectAction := func(op tool.Operation, action string) {
			GinkgoHelper()
			r := act(op)
			if !r.res.OK() {
				Fail(DescribeFailure(op, r.res))
			}
			Expect(r.creates).NotTo(BeEmpty(), "the tool created no container through DOCKER_HOST")
			Expect(r.obs).NotTo(BeNil(), "no container the tool created printed the probe's record (it did not run /cnab/app/run?)")
			Expect(r.container.Started).To(BeTrue())
			for k, want := range map[string]string{"CNAB_ACTION": action, "CNAB_INSTALLATION_NAME": installation, "CNAB_BUNDLE_NAME": bundleName} {
				Expect(r.obs.Env).To(HaveKeyWithValue(k, want), "environment the invocation image saw")
			}
		}

		Check(ProfileSmoke, []string{"R-103-04", "R-103-01"}, "install runs the invocation image and it sees CNAB_ACTION=install", func() {
			expectAction(tool.Install, "install")
		})

		Check(ProfileSmoke, []string{"R-103-11", "R-103-04"}, "uninstall runs the invocation image and it sees CNAB_ACTION=uninstall", func() {
			expectAction(tool.Uninstall, "uninstall")
		})

		Check(ProfileSmoke, []string{"CP-07", "R-103-10"}, "no container or temporary file is left behind", func() {
			if r := act(tool.Uninstall); !r.res.OK() {
				Skip("needs a successful uninstall (see the uninstall check)")
			}
			leaks, err := e.Docker.Leaks(e.Context())
			if err != nil {
				HarnessError("leak check: %v", err)
			}
			Expect(leaks).To(BeEmpty(), "containers the tool created through DOCKER_HOST and did not remove")
			var left []string
			for n := range dirEntries(e.ToolTmp) {
				if !tmpBefore[n] {
					left = append(left, n)
				}
			}
			Expect(left).To(BeEmpty(), "files the tool left in its TMPDIR (%s) after install and uninstall", e.ToolTmp)
		})
	})
}

// actionResult is one runtime action and what the Docker proxy saw of it.
type actionResult struct {
	res       tool.Result
	creates   []dockerproxy.Create
	obs       *probeRecord
	raw       json.RawMessage
	container dockerproxy.Create
}

// expectPulled checks a pull produced exactly the pushed bundle.json.
func expectPulled(res tool.Result, want []byte) {
	GinkgoHelper()
	Expect(res.PulledBundle).NotTo(BeEmpty(), "the profile says nowhere where the pulled bundle is")
	got, err := os.ReadFile(res.PulledBundle)
	Expect(err).NotTo(HaveOccurred(), "the tool wrote no bundle where its profile says")
	Expect(got).To(Equal(want), "pulled bundle.json differs from the pushed one")
}

// dirEntries lists the names in dir.
func dirEntries(dir string) map[string]bool {
	out := map[string]bool{}
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		out[en.Name()] = true
	}
	return out
}

// probeRecord is the part of the probe's JSON record the smoke specs read.
type probeRecord struct {
	Probe  string            `json:"probe"`
	Action string            `json:"action"`
	Env    map[string]string `json:"env"`
}

// findProbe returns the probe record printed by one of the containers.
func findProbe(creates []dockerproxy.Create) (*probeRecord, json.RawMessage, dockerproxy.Create) {
	for _, c := range creates {
		for _, line := range strings.Split(c.Stdout, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "{") {
				continue
			}
			var r probeRecord
			if json.Unmarshal([]byte(line), &r) == nil && r.Probe != "" {
				return &r, json.RawMessage(line), c
			}
		}
	}
	return nil, nil, dockerproxy.Create{}
}

func createEvidence(creates []dockerproxy.Create, probeRaw json.RawMessage) reports.Evidence {
	ev := reports.Evidence{Probe: probeRaw}
	for _, c := range creates {
		ev.ContainerCreates = append(ev.ContainerCreates, c.Request)
	}
	return ev
}

// registryDigest is the Docker-Content-Digest the registry answers for ref.
func registryDigest(ref string) string {
	GinkgoHelper()
	_, digest, err := fetchManifest(ref)
	Expect(err).NotTo(HaveOccurred())
	return digest
}

// configBlobs returns the config blobs of the manifest at ref, or of every
// image manifest of the index at ref.
func configBlobs(ref string) [][]byte {
	GinkgoHelper()
	host, repo, _ := splitRef(ref)
	body, _, err := fetchManifest(ref)
	Expect(err).NotTo(HaveOccurred())
	var m struct {
		Config    *struct{ Digest string } `json:"config"`
		Manifests []struct {
			Digest string `json:"digest"`
		} `json:"manifests"`
	}
	Expect(json.Unmarshal(body, &m)).To(Succeed(), "manifest of %s", ref)
	var out [][]byte
	if m.Config != nil {
		b, err := fetch(http.MethodGet, "http://"+host+"/v2/"+repo+"/blobs/"+m.Config.Digest, nil)
		Expect(err).NotTo(HaveOccurred())
		return append(out, b)
	}
	for _, d := range m.Manifests {
		out = append(out, configBlobs(host+"/"+repo+"@"+d.Digest)...)
	}
	return out
}

// manifestAccept lists every manifest media type a CNAB bundle may use.
var manifestAccept = strings.Join([]string{
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
	"application/vnd.docker.distribution.manifest.v2+json",
}, ", ")

// fetchManifest GETs a manifest from a plain-HTTP registry and returns its
// bytes and the registry's Docker-Content-Digest.
func fetchManifest(ref string) ([]byte, string, error) {
	host, repo, reference := splitRef(ref)
	var digest string
	body, err := fetch(http.MethodGet, "http://"+host+"/v2/"+repo+"/manifests/"+reference, func(h http.Header) {
		digest = h.Get("Docker-Content-Digest")
	})
	if err != nil {
		return nil, "", err
	}
	if digest == "" {
		return body, "", fmt.Errorf("GET manifest %s: no Docker-Content-Digest header", ref)
	}
	return body, digest, nil
}

func fetch(method, url string, headers func(http.Header)) ([]byte, error) {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", manifestAccept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s", method, url, resp.Status)
	}
	if headers != nil {
		headers(resp.Header)
	}
	return b, nil
}

// splitRef splits host/repo:tag or host/repo@digest.
func splitRef(ref string) (host, repo, reference string) {
	host, rest, _ := strings.Cut(ref, "/")
	if r, d, ok := strings.Cut(rest, "@"); ok {
		return host, r, d
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 {
		return host, rest[:i], rest[i+1:]
	}
	return host, rest, "latest"
}
