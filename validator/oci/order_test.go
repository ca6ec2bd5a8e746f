package oci

import (
	"testing"

	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

func TestCheckUploadOrder(t *testing.T) {
	cfgBlob, cfgMan, img, layer, imgCfg := "sha256:cb", "sha256:cm", "sha256:im", "sha256:l1", "sha256:ic"
	index := []byte(`{"schemaVersion":2}`)
	idx := client.Digest(index)
	a := &Artifact{Index: index, TagDigest: idx, ConfigDescriptor: 0,
		Parsed: Index{Manifests: []Descriptor{{Digest: cfgMan}, {Digest: img}}},
		Manifests: map[string]*Object{
			cfgMan: {Present: true, Raw: []byte(`{"config":{"digest":"` + cfgBlob + `"},"layers":null}`)},
			img:    {Present: true, Raw: []byte(`{"config":{"digest":"` + imgCfg + `"},"layers":[{"digest":"` + layer + `"}]}`)},
		},
		Blobs: map[string]*Object{cfgBlob: {Present: true}, layer: {Present: true}, imgCfg: {Present: true}},
	}
	const repo, tag = "r/b", "v1"
	up := func(d string) Request {
		return Request{Method: "PUT", Kind: "upload", Repository: repo, Digest: d, Reference: d, Status: 201}
	}
	mount := func(d string) Request {
		return Request{Method: "POST", Kind: "upload", Repository: repo, Digest: d, Reference: d, Status: 201}
	}
	man := func(ref, d string) Request {
		return Request{Method: "PUT", Kind: "manifest", Repository: repo, Reference: ref, Digest: d, Status: 201}
	}
	good := []Request{up(layer), mount(imgCfg), man(img, img), up(cfgBlob), man(cfgMan, cfgMan), man(tag, idx)}
	seq := func(rs []Request) []Request {
		out := make([]Request, len(rs))
		for i, r := range rs {
			r.Seq = i + 1
			out[i] = r
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		reqs  []Request
		since int
		rule  string
		sev   Severity
	}{
		{"good", good, 0, "", ""},
		{"good, children pushed by an earlier operation", append(good[:5:5], Request{Method: "GET", Kind: "base", Status: 200}, man(tag, idx)), 6, "", ""},
		{"index first", append([]Request{man(tag, idx)}, good[:5]...), 0, "RG-01", Error},
		{"index not last", append(good[:6:6], man(tag, img)), 0, "RG-01", Error},
		{"no tag write", good[:5], 0, "RG-01", Error},
		{"child never written and absent", []Request{up(layer), mount(imgCfg), man(img, img), man(cfgMan, cfgMan), man(tag, idx)}, 0, "", ""},
		{"transient tag write", append([]Request{man(tag, img)}, good...), 0, "RG-01", Note},
		{"image by tag only", []Request{up(layer), mount(imgCfg), man("tmp", img), up(cfgBlob), man(cfgMan, cfgMan), man(tag, idx)}, 0, "RG-02", Error},
		{"image under the bundle tag, then overwritten", []Request{up(layer), mount(imgCfg), man(tag, img), up(cfgBlob), man(cfgMan, cfgMan), man(tag, idx)}, 0, "RG-02", Note},
		{"image under a temporary tag, then deleted", []Request{up(layer), mount(imgCfg), man("porter-1", img),
			{Method: "DELETE", Kind: "manifest", Repository: repo, Reference: "porter-1", Status: 202}, up(cfgBlob), man(cfgMan, cfgMan), man(tag, idx)}, 0, "RG-02", Note},
		{"failed write does not count", []Request{up(layer), mount(imgCfg), {Method: "PUT", Kind: "manifest", Repository: repo, Reference: img, Digest: img, Status: 400},
			up(cfgBlob), man(cfgMan, cfgMan), man(tag, idx), man(img, img)}, 0, "RG-01", Error},
		{"other repository does not count", []Request{{Method: "PUT", Kind: "upload", Repository: "other", Digest: layer, Status: 201}, mount(imgCfg), man(img, img), up(cfgBlob), man(cfgMan, cfgMan), man(tag, idx), up(layer)}, 0, "RG-01", Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := CheckUploadOrder(seq(tc.reqs), tc.since, repo, tag, a)
			if tc.rule == "" {
				if len(fs.Errors()) != 0 {
					t.Errorf("unexpected: %v", fs)
				}
				return
			}
			if tc.sev == Note && len(fs.Errors()) != 0 {
				t.Errorf("a tolerated write failed: %v", fs.Errors())
			}
			for _, f := range fs {
				if f.Rule == tc.rule && f.Severity == tc.sev {
					return
				}
			}
			t.Errorf("want %s %s, got %v", tc.sev, tc.rule, fs)
		})
	}
}
