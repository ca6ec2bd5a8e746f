package oci

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// fixture is a bundle pushed in cnab-to-oci's layout to an in-memory registry.
type fixture struct {
	c       *client.Client
	repo    client.Repo
	bundle  map[string]any
	canon   []byte
	images  []Descriptor // invocation, then components web, db order as pushed (sorted: db, web)
	imageID string       // config digest of the invocation image
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	f := &fixture{c: client.New(), repo: client.Repo{Host: strings.TrimPrefix(srv.URL, "http://"), Path: "cnab/demo"}}
	ctx := context.Background()
	entry := func(kind, comp string) map[string]any {
		img, err := random.Image(100, 1)
		if err != nil {
			t.Fatal(err)
		}
		ls, _ := img.Layers()
		for _, l := range ls {
			rc, _ := l.Compressed()
			b, _ := io.ReadAll(rc)
			if _, err := f.c.PutBlob(ctx, f.repo, b); err != nil {
				t.Fatal(err)
			}
		}
		cfg, _ := img.RawConfigFile()
		f.c.PutBlob(ctx, f.repo, cfg)
		raw, _ := img.RawManifest()
		mt, _ := img.MediaType()
		d, err := f.c.PutManifest(ctx, f.repo, client.Digest(raw), string(mt), raw)
		if err != nil {
			t.Fatal(err)
		}
		ann := map[string]string{AnnotationManifestType: kind}
		if comp != "" {
			ann[AnnotationComponentName] = comp
		}
		f.images = append(f.images, Descriptor{MediaType: string(mt), Digest: d, Size: int64(len(raw)), Annotations: ann})
		if kind == TypeInvocation {
			cn, _ := img.ConfigName()
			f.imageID = cn.String()
		}
		return map[string]any{"image": "example.com/orig/" + kind + comp + ":v1", "contentDigest": d, "size": len(raw), "mediaType": string(mt)}
	}
	f.bundle = map[string]any{
		"schemaVersion": "v1.2.0", "name": "demo", "version": "1.0.0", "description": "d",
		"keywords": []string{"a"}, "maintainers": []map[string]string{{"name": "Jane"}},
		"invocationImages": []any{entry(TypeInvocation, "")},
		"images":           map[string]any{"db": entry(TypeComponent, "db"), "web": entry(TypeComponent, "web")},
	}
	f.canon = f.canonical(t)
	return f
}

func (f *fixture) canonical(t *testing.T) []byte {
	raw, _ := json.Marshal(f.bundle)
	c, err := canonical.Canonicalize(raw, canonical.JCS)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// push writes config blob, config manifest and index (as built by the
// options) under tag and returns the fetched artifact.
type layout struct {
	blob      []byte
	configMT  string
	manifests func([]Descriptor) []Descriptor
	ann       func(map[string]string)
	cfgSize   int64
}

func (f *fixture) push(t *testing.T, tag string, l layout) *Artifact {
	t.Helper()
	ctx := context.Background()
	blob := f.canon
	if l.blob != nil {
		blob = l.blob
	}
	if _, err := f.c.PutBlob(ctx, f.repo, blob); err != nil {
		t.Fatal(err)
	}
	cmt := MediaTypeBundleConfig
	if l.configMT != "" {
		cmt = l.configMT
	}
	size := int64(len(blob)) + l.cfgSize
	cm, _ := json.Marshal(Manifest{SchemaVersion: 2, MediaType: MediaTypeOCIManifest,
		Config: Descriptor{MediaType: cmt, Digest: client.Digest(blob), Size: size}, Layers: []Descriptor{}})
	cd, err := f.c.PutManifest(ctx, f.repo, client.Digest(cm), MediaTypeOCIManifest, cm)
	if err != nil {
		t.Fatal(err)
	}
	ms := append([]Descriptor{{MediaType: MediaTypeOCIManifest, Digest: cd, Size: int64(len(cm)),
		Annotations: map[string]string{AnnotationManifestType: TypeConfig}}}, f.images...)
	if l.manifests != nil {
		ms = l.manifests(ms)
	}
	ann := map[string]string{AnnotationRuntime: "v1.2.0", AnnotationArtifactType: ArtifactTypeCNAB,
		AnnotationTitle: "demo", AnnotationVersion: "1.0.0", AnnotationDescription: "d",
		AnnotationKeywords: `["a"]`, AnnotationAuthors: `[{"name":"Jane"}]`}
	if l.ann != nil {
		l.ann(ann)
	}
	idx, _ := json.Marshal(Index{SchemaVersion: 2, MediaType: MediaTypeOCIIndex, Manifests: ms, Annotations: ann})
	if _, err := f.c.PutManifest(ctx, f.repo, tag, MediaTypeOCIIndex, idx); err != nil {
		t.Fatal(err)
	}
	a, err := Fetch(ctx, f.c, f.repo.String()+":"+tag)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) parsed(t *testing.T) *Bundle {
	b, err := ParseBundle(f.canon)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// all runs every artifact check the way the suite does.
func all(a *Artifact, b *Bundle, want []byte) Findings {
	var fs Findings
	fs = append(fs, CheckIndex(a)...)
	fs = append(fs, CheckOrder(a, b)...)
	fs = append(fs, CheckAnnotations(a, b)...)
	fs = append(fs, CheckConfig(a, want)...)
	fs = append(fs, CheckDigests(a)...)
	fs = append(fs, CheckImageDigests(a, b)...)
	return fs
}

func TestGoodBundlePassesEveryCheck(t *testing.T) {
	f := newFixture(t)
	a := f.push(t, "good", layout{})
	for _, want := range [][]byte{f.canon, nil} {
		if fs := all(a, f.parsed(t), want); len(fs) != 0 {
			t.Errorf("findings on a good bundle: %v", fs)
		}
	}
	if fs := CheckReportedDigest(client.Digest(a.Index), a); len(fs) != 0 {
		t.Errorf("reported digest: %v", fs)
	}
	if fs := CheckPromote(a, a); len(fs) != 0 {
		t.Errorf("promote: %v", fs)
	}
}

func TestChecksCatchDefects(t *testing.T) {
	swap := func(i, j int) func([]Descriptor) []Descriptor {
		return func(ms []Descriptor) []Descriptor { ms[i], ms[j] = ms[j], ms[i]; return ms }
	}
	annotate := func(i int, k, v string) func([]Descriptor) []Descriptor {
		return func(ms []Descriptor) []Descriptor {
			a := map[string]string{}
			for kk, vv := range ms[i].Annotations {
				a[kk] = vv
			}
			if v == "" {
				delete(a, k)
			} else {
				a[k] = v
			}
			ms[i].Annotations = a
			return ms
		}
	}
	pretty := func(f *fixture) []byte {
		var v any
		json.Unmarshal(f.canon, &v)
		b, _ := json.MarshalIndent(v, "", " ")
		return b
	}
	for _, tc := range []struct {
		name    string
		layout  func(f *fixture) layout
		bundle  func(b *Bundle, f *fixture) // the expected bundle, changed
		rule    string
		sev     Severity
		without bool              // check without the expected bytes (oci:// mode)
		also    []string          // other rules the same defect legitimately trips
		post    func(a *Artifact) // change the fetched artifact
	}{
		{name: "config last", layout: func(*fixture) layout {
			return layout{manifests: func(ms []Descriptor) []Descriptor { return append(ms[1:], ms[0]) }}
		}, rule: "G-201-06", sev: Error},
		{name: "component before invocation", layout: func(*fixture) layout { return layout{manifests: swap(1, 2)} }, rule: "G-201-06", sev: Error},
		{name: "component missing", layout: func(*fixture) layout {
			return layout{manifests: func(ms []Descriptor) []Descriptor { return ms[:3] }}
		}, rule: "G-201-04", sev: Error, also: []string{"G-201-08"}},
		{name: "invocation missing", layout: func(*fixture) layout {
			return layout{manifests: func(ms []Descriptor) []Descriptor { return append(ms[:1], ms[2:]...) }}
		}, rule: "G-201-03", sev: Error},
		{name: "type annotation missing", layout: func(*fixture) layout { return layout{manifests: annotate(1, AnnotationManifestType, "")} }, rule: "G-201-08", sev: Warning},
		{name: "type annotation wrong", layout: func(*fixture) layout {
			return layout{manifests: annotate(1, AnnotationManifestType, TypeComponent)}
		}, rule: "G-201-08", sev: Error},
		{name: "component name unknown", layout: func(*fixture) layout {
			return layout{manifests: annotate(2, AnnotationComponentName, "nope")}
		}, rule: "G-201-08", sev: Error},
		{name: "component name of another image", layout: func(*fixture) layout {
			return layout{manifests: annotate(2, AnnotationComponentName, "web")}
		}, rule: "G-201-08", sev: Error},
		{name: "runtime version wrong", layout: func(*fixture) layout {
			return layout{ann: func(m map[string]string) { m[AnnotationRuntime] = "1.0.0" }}
		}, rule: "G-201-08", sev: Error},
		{name: "title missing", layout: func(*fixture) layout {
			return layout{ann: func(m map[string]string) { delete(m, AnnotationTitle) }}
		}, rule: "G-201-08", sev: Warning},
		{name: "keywords not the bundle's", layout: func(*fixture) layout {
			return layout{ann: func(m map[string]string) { m[AnnotationKeywords] = `["b"]` }}
		}, rule: "G-201-08", sev: Error},
		{name: "authors missing", layout: func(*fixture) layout {
			return layout{ann: func(m map[string]string) { delete(m, AnnotationAuthors) }}
		}, rule: "G-201-08", sev: Warning},
		{name: "config pretty-printed", layout: func(f *fixture) layout { return layout{blob: pretty(f)} }, rule: "G-201-01", sev: Error},
		{name: "config pretty-printed, oci:// mode", layout: func(f *fixture) layout { return layout{blob: pretty(f)} }, rule: "G-201-01", sev: Error, without: true},
		{name: "config modified", layout: func(f *fixture) layout {
			return layout{blob: []byte(strings.Replace(string(f.canon), `"name":"demo"`, `"name":"demx"`, 1))}
		}, rule: "G-201-01", sev: Error},
		{name: "cnab-to-oci config type", layout: func(*fixture) layout { return layout{configMT: MediaTypeCNABToOCIConfig} }, rule: "G-201-02", sev: Note},
		{name: "unknown config type", layout: func(*fixture) layout { return layout{configMT: "application/json"} }, rule: "G-201-02", sev: Warning},
		{name: "config size wrong", layout: func(*fixture) layout { return layout{cfgSize: 1} }, rule: "G-201-09", sev: Error},
		{name: "descriptor size wrong", layout: func(*fixture) layout {
			return layout{manifests: func(ms []Descriptor) []Descriptor { ms[1].Size++; return ms }}
		}, rule: "G-201-09", sev: Error, also: []string{"B-101-13"}},
		{name: "descriptor not in repository", layout: func(*fixture) layout { return layout{} },
			post: func(a *Artifact) {
				a.Manifests[a.Parsed.Manifests[3].Digest] = &Object{Err: "404"}
			}, rule: "G-201-09", sev: Error},
		{name: "layer not in repository", layout: func(*fixture) layout { return layout{} },
			post: func(a *Artifact) {
				for d := range a.BlobDeclaredSizes {
					a.Blobs[d] = &Object{Err: "404"}
				}
			}, rule: "G-201-09", sev: Error},
		{name: "contentDigest is the image ID", layout: func(*fixture) layout { return layout{} },
			bundle: func(b *Bundle, f *fixture) { b.InvocationImages[0].ContentDigest = f.imageID }, rule: "B-101-13", sev: Error,
			also: []string{"G-201-03", "G-201-06", "G-201-08"}},
		{name: "contentDigest missing", layout: func(*fixture) layout { return layout{} },
			bundle: func(b *Bundle, f *fixture) { b.InvocationImages[0].ContentDigest = "" }, rule: "B-101-14", sev: Error},
		{name: "contentDigest malformed", layout: func(*fixture) layout { return layout{} },
			bundle: func(b *Bundle, f *fixture) { b.InvocationImages[0].ContentDigest = "abc" }, rule: "B-101-12", sev: Error,
			also: []string{"G-201-03", "G-201-06", "G-201-08"}},
		{name: "bundle size differs from descriptor", layout: func(*fixture) layout { return layout{} },
			bundle: func(b *Bundle, f *fixture) { b.InvocationImages[0].Size = 1 }, rule: "B-101-13", sev: Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := f.push(t, "t", tc.layout(f))
			if tc.post != nil {
				tc.post(a)
			}
			b := f.parsed(t)
			if tc.bundle != nil {
				tc.bundle(b, f)
			}
			want := f.canon
			if tc.without {
				want = nil
			}
			fs := all(a, b, want)
			found := false
			for _, x := range fs {
				if x.Rule == tc.rule && x.Severity == tc.sev {
					found = true
				}
				if x.Severity == Error && x.Rule != tc.rule && !contains(tc.also, x.Rule) {
					t.Errorf("unexpected finding %s", x)
				}
			}
			if !found {
				t.Errorf("want a %s %s finding, got %v", tc.sev, tc.rule, fs)
			}
		})
	}
}

func TestIndexMediaType(t *testing.T) {
	for _, tc := range []struct {
		mt   string
		sev  Severity
		none bool
	}{{MediaTypeOCIIndex, "", true}, {MediaTypeDockerList, Note, false}, {MediaTypeOCIManifest, Error, false}} {
		a := &Artifact{IndexMediaType: tc.mt, Parsed: Index{SchemaVersion: 2}}
		fs := CheckIndex(a)
		if tc.none != (len(fs) == 0) || (!tc.none && fs[0].Severity != tc.sev) {
			t.Errorf("%s: %v", tc.mt, fs)
		}
	}
}

func TestSimpleChecks(t *testing.T) {
	a := &Artifact{Index: []byte(`{}`), TagDigest: client.Digest([]byte(`{}`))}
	good := client.Digest([]byte(`{}`))
	for _, tc := range []struct {
		name string
		fs   Findings
		rule string // "" = no findings
	}{
		{"reported ok", CheckReportedDigest(good, a), ""},
		{"reported wrong", CheckReportedDigest(client.Digest([]byte("x")), a), "RG-06"},
		{"reported none", CheckReportedDigest("", a), "RG-06"},
		{"deterministic", CheckDeterminism(good, good), ""},
		{"not deterministic", CheckDeterminism(good, "sha256:1"), "RG-03"},
		{"pulled same", CheckPulled([]byte("ab"), []byte("ab"), "by tag"), ""},
		{"pulled differs", CheckPulled([]byte("ab"), []byte("ac"), "by tag"), "F-104-06"},
		{"failed push ok", CheckFailedPush("x", 1, false, false), ""},
		{"failed push exit 0", CheckFailedPush("x", 0, false, false), "RG-05"},
		{"failed push left tag", CheckFailedPush("x", 1, true, true), "RG-05"},
		{"failed push wrote tag", CheckFailedPush("x", 1, false, true), "RG-05"},
	} {
		if tc.rule == "" && len(tc.fs) != 0 || tc.rule != "" && (len(tc.fs) == 0 || tc.fs[0].Rule != tc.rule) {
			t.Errorf("%s: %v", tc.name, tc.fs)
		}
	}
}

func TestRelocationMapping(t *testing.T) {
	d1, d2 := client.Digest([]byte("1")), client.Digest([]byte("2"))
	b := &Bundle{InvocationImages: []Image{{Image: "a/inv:1", ContentDigest: d1}}, Images: map[string]Image{"web": {Image: "a/web:1", ContentDigest: d2}}}
	repo := "127.0.0.1:5000/dst/demo"
	good := map[string]string{"a/inv:1": repo + "@" + d1, "a/web:1": repo + "@" + d2, "extra": "x"}
	if fs := CheckRelocationMapping(good, b, repo); len(fs) != 0 {
		t.Errorf("good mapping: %v", fs)
	}
	for name, m := range map[string]map[string]string{
		"nil":          nil,
		"missing":      {"a/inv:1": repo + "@" + d1},
		"other repo":   {"a/inv:1": "127.0.0.1:5000/src/demo@" + d1, "a/web:1": repo + "@" + d2},
		"by tag":       {"a/inv:1": repo + ":v1", "a/web:1": repo + "@" + d2},
		"wrong digest": {"a/inv:1": repo + "@" + d2, "a/web:1": repo + "@" + d2},
		"unparseable":  {"a/inv:1": "::", "a/web:1": repo + "@" + d2},
	} {
		if fs := CheckRelocationMapping(m, b, repo); len(fs) == 0 || fs[0].Rule != "R-103-23" {
			t.Errorf("%s: %v", name, fs)
		}
	}
}

func TestPromote(t *testing.T) {
	f := newFixture(t)
	a := f.push(t, "v1", layout{})
	other := f.push(t, "v2", layout{ann: func(m map[string]string) { m["x"] = "y" }})
	if fs := CheckPromote(a, other); len(fs) == 0 || fs[0].Rule != "F-104-06" {
		t.Errorf("different index: %v", fs)
	}
	// A destination missing an image manifest.
	missing := *a
	missing.Manifests = map[string]*Object{}
	for k, v := range a.Manifests {
		missing.Manifests[k] = v
	}
	missing.Manifests[f.images[0].Digest] = &Object{Digest: f.images[0].Digest, Err: "404"}
	fs := CheckPromote(a, &missing)
	if len(fs.ForRules("RG-04")) == 0 {
		t.Errorf("missing manifest not reported: %v", fs)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
