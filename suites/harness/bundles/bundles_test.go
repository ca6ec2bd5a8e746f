package bundles

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
)

var probeImage = Image{Ref: "127.0.0.1:5000/cnab-conformance/probe-x:v1", Digest: "sha256:" + strings.Repeat("a", 64), Size: 428,
	MediaType: "application/vnd.oci.image.manifest.v1+json"}

func TestRenderSmoke(t *testing.T) {
	for _, sv := range []string{"v1.0.0", "v1.1.0", "v1.2.0"} {
		t.Run(sv, func(t *testing.T) {
			b, err := Render("smoke/probe", Data{SchemaVersion: sv, Name: "smoke-1", Invocation: probeImage})
			if err != nil {
				t.Fatal(err)
			}
			mode, _ := canonical.ModeForSpec(sv)
			if ok, err := canonical.IsCanonical(b, mode); !ok || err != nil {
				t.Errorf("not canonical (%v): %s", err, b)
			}
			var doc struct {
				SchemaVersion    string
				Name             string
				InvocationImages []struct {
					Image, ContentDigest string
					Size                 int64
				}
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			ii := doc.InvocationImages
			if doc.SchemaVersion != sv || doc.Name != "smoke-1" || len(ii) != 1 || ii[0].Image != probeImage.Ref ||
				ii[0].ContentDigest != probeImage.Digest || ii[0].Size != probeImage.Size {
				t.Errorf("rendered %s", b)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"p/ok.json.tmpl":      {Data: []byte(`{"b": {{json .Name}}, "a": {{json (image "web").Ref}}}`)},
		"p/broken.json.tmpl":  {Data: []byte(`{"a": {{.Name}}}`)},
		"p/badtmpl.json.tmpl": {Data: []byte(`{"a": {{.Name}`)},
		"p/field.json.tmpl":   {Data: []byte(`{"a": {{json .Nope}}}`)},
	}
	data := Data{SchemaVersion: "v1.2.0", Name: "x y", Images: map[string]Image{"web": {Ref: "r/web:1"}}}
	b, err := RenderFS(fsys, "p/ok", data)
	if err != nil || string(b) != `{"a":"r/web:1","b":"x y"}` {
		t.Errorf("ok = %s, %v", b, err)
	}
	for _, tc := range []struct {
		name string
		data Data
		want string
	}{
		{"p/broken", data, "invalid JSON"},
		{"p/badtmpl", data, "p/badtmpl"},
		{"p/field", data, "Nope"},
		{"p/ok", Data{SchemaVersion: "v1.2.0"}, `no image "web"`},
		{"p/ok", Data{SchemaVersion: "v9", Images: data.Images}, "v9"},
		{"p/missing", data, "p/missing"},
	} {
		if _, err := RenderFS(fsys, tc.name, tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	names, err := templatesIn(fsys, "p")
	if err != nil || strings.Join(names, ",") != "p/badtmpl,p/broken,p/field,p/ok" {
		t.Errorf("templates = %v, %v", names, err)
	}
}

func TestSchemaVersionFor(t *testing.T) {
	for in, want := range map[string]string{"1.2.0": "v1.2.0", "1.0": "v1.0.0", "v1.1.0": "v1.1.0", "main": "v1.2.0", "": "v1.2.0"} {
		if got := SchemaVersionFor(in); got != want {
			t.Errorf("SchemaVersionFor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p, b, err := WriteFile(dir, "smoke/probe", Data{SchemaVersion: "v1.2.0", Name: "n", Invocation: probeImage})
	if err != nil || !strings.HasSuffix(p, "bundle.json") || len(b) == 0 {
		t.Fatalf("%s %v", p, err)
	}
	if ts, err := Templates("smoke"); err != nil || len(ts) == 0 || ts[0] != "smoke/probe" {
		t.Errorf("Templates(smoke) = %v, %v", ts, err)
	}
}
