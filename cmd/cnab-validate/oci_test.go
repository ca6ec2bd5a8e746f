package main

import (
	"bytes"
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
	"github.com/cnab-conformance/cnab-conformance/validator/oci"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// pushBundle writes a bundle in cnab-to-oci's layout; pretty stores the
// config blob pretty-printed (breaking G-201-01).
func pushBundle(t *testing.T, c *client.Client, repo client.Repo, tag string, pretty bool) {
	t.Helper()
	ctx := context.Background()
	img, _ := random.Image(64, 1)
	ls, _ := img.Layers()
	rc, _ := ls[0].Compressed()
	lb, _ := io.ReadAll(rc)
	cfg, _ := img.RawConfigFile()
	raw, _ := img.RawManifest()
	for _, b := range [][]byte{lb, cfg} {
		if _, err := c.PutBlob(ctx, repo, b); err != nil {
			t.Fatal(err)
		}
	}
	imgDigest, err := c.PutManifest(ctx, repo, client.Digest(raw), oci.MediaTypeOCIManifest, raw)
	if err != nil {
		t.Fatal(err)
	}
	bundle := map[string]any{"schemaVersion": "v1.2.0", "name": "demo", "version": "1.0.0",
		"invocationImages": []any{map[string]any{"image": repo.String() + "@" + imgDigest, "imageType": "oci",
			"contentDigest": imgDigest, "size": len(raw), "mediaType": oci.MediaTypeOCIManifest}}}
	bb, _ := json.Marshal(bundle)
	blob, _ := canonical.Canonicalize(bb, canonical.JCS)
	if pretty {
		blob, _ = json.MarshalIndent(bundle, "", "  ")
	}
	c.PutBlob(ctx, repo, blob)
	cm, _ := json.Marshal(oci.Manifest{SchemaVersion: 2, MediaType: oci.MediaTypeOCIManifest,
		Config: oci.Descriptor{MediaType: oci.MediaTypeBundleConfig, Digest: client.Digest(blob), Size: int64(len(blob))}, Layers: []oci.Descriptor{}})
	cmd, _ := c.PutManifest(ctx, repo, client.Digest(cm), oci.MediaTypeOCIManifest, cm)
	idx, _ := json.Marshal(oci.Index{SchemaVersion: 2, MediaType: oci.MediaTypeOCIIndex,
		Manifests: []oci.Descriptor{
			{MediaType: oci.MediaTypeOCIManifest, Digest: cmd, Size: int64(len(cm)), Annotations: map[string]string{oci.AnnotationManifestType: oci.TypeConfig}},
			{MediaType: oci.MediaTypeOCIManifest, Digest: imgDigest, Size: int64(len(raw)), Annotations: map[string]string{oci.AnnotationManifestType: oci.TypeInvocation}},
		},
		Annotations: map[string]string{oci.AnnotationRuntime: "v1.2.0", oci.AnnotationArtifactType: oci.ArtifactTypeCNAB,
			oci.AnnotationTitle: "demo", oci.AnnotationVersion: "1.0.0"}})
	if _, err := c.PutManifest(ctx, repo, tag, oci.MediaTypeOCIIndex, idx); err != nil {
		t.Fatal(err)
	}
}

func TestLintOCI(t *testing.T) {
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	c := client.New()
	repo := client.Repo{Host: host, Path: "cnab/demo"}
	pushBundle(t, c, repo, "good", false)
	pushBundle(t, c, repo, "pretty", true)
	_, good, err := c.GetManifest(context.Background(), repo, "good")
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		ref      string
		code     int
		contains string
	}{
		{"oci://" + repo.String() + ":good", 0, ""},
		{"oci://" + repo.String() + "@" + good.Digest, 0, ""},
		{"oci://" + repo.String() + ":pretty", 1, "G-201-01"},
		{"oci://" + repo.String() + ":missing", 2, "MANIFEST_UNKNOWN"},
	} {
		var out, errb bytes.Buffer
		code := runLint([]string{"--format", "text", tc.ref}, strings.NewReader(""), &out, &errb)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", tc.ref, code, tc.code, out.String(), errb.String())
		}
		if tc.contains != "" && !strings.Contains(out.String()+errb.String(), tc.contains) {
			t.Errorf("%s: output lacks %s:\n%s%s", tc.ref, tc.contains, out.String(), errb.String())
		}
	}
}
