package registry

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/images"
	"github.com/cnab-conformance/cnab-conformance/validator/oci"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

func start(t *testing.T, opts ...Option) *Registry {
	t.Helper()
	r, err := Start(context.Background(), "source", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestRecorderSeesPushInOrder(t *testing.T) {
	r := start(t)
	if !r.Recording() || !strings.HasPrefix(r.Host(), "127.0.0.1:") || r.Name() != "source" {
		t.Fatalf("unexpected registry %q %q recording=%v", r.Name(), r.Host(), r.Recording())
	}
	img, err := images.Random(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	mark := r.Mark()
	if _, err := images.Push(context.Background(), img, r.Host()+"/cnab-conformance/demo:v1"); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	layers, _ := img.Layers()
	l0, _ := layers[0].Digest()

	tagWrite, ok := r.LastTagWrite("cnab-conformance/demo", "v1")
	if !ok {
		t.Fatalf("no tag write recorded in %+v", r.Since(mark))
	}
	if tagWrite.MediaType == "" || tagWrite.Method != http.MethodPut || tagWrite.Status != http.StatusCreated {
		t.Errorf("tag write = %+v", tagWrite)
	}
	if !r.PresentBefore("cnab-conformance/demo", l0.String(), tagWrite.Seq) {
		t.Errorf("layer %s not recorded before the manifest put", l0)
	}
	if r.PresentBefore("cnab-conformance/demo", d.String(), tagWrite.Seq) {
		t.Errorf("manifest reported present before its own put")
	}
	if !r.PresentBefore("cnab-conformance/demo", d.String(), tagWrite.Seq+1) {
		t.Errorf("manifest not present after its put")
	}
	if r.PresentBefore("cnab-conformance/other", l0.String(), tagWrite.Seq) {
		t.Errorf("presence leaked across repositories")
	}
	reqs := r.Since(mark)
	for i, q := range reqs {
		if q.Seq != mark+i+1 {
			t.Fatalf("seq %d at %d", q.Seq, i)
		}
	}
	if got := r.Since(r.Mark()); len(got) != 0 {
		t.Errorf("Since(Mark()) = %d requests", len(got))
	}
}

func TestStopClosesPort(t *testing.T) {
	r := start(t)
	resp, err := http.Get("http://" + r.Host() + "/v2/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	if r.Running() {
		t.Error("still running after Stop")
	}
	if _, err := http.Get("http://" + r.Host() + "/v2/"); err == nil {
		t.Error("port still answers after Stop")
	}
	if err := r.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if len(r.Requests()) != 1 {
		t.Errorf("recording lost after Stop: %d", len(r.Requests()))
	}
}

func TestIndexValidationOption(t *testing.T) {
	for _, tc := range []struct {
		validate bool
		wantErr  bool
	}{{false, false}, {true, true}} {
		r := start(t, WithIndexValidation(tc.validate))
		idx, err := random.Index(32, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := idx.RawManifest()
		req, _ := http.NewRequest(http.MethodPut, "http://"+r.Host()+"/v2/x/y/manifests/v1", strings.NewReader(string(raw)))
		req.Header.Set("Content-Type", "application/vnd.oci.image.index.v1+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if gotErr := resp.StatusCode != http.StatusCreated; gotErr != tc.wantErr {
			t.Errorf("validate=%v: index with missing children got status %d", tc.validate, resp.StatusCode)
		}
	}
}

func TestDeleteEnabled(t *testing.T) {
	r := start(t)
	img, _ := images.Random(4, 1)
	p, err := images.Push(context.Background(), img, r.Host()+"/a/b:t")
	if err != nil {
		t.Fatal(err)
	}
	c := client.New()
	repo := client.Repo{Host: r.Host(), Path: "a/b"}
	if err := c.DeleteManifest(context.Background(), repo, p.Digest); err != nil {
		t.Fatalf("delete refused: %v", err)
	}
	if _, err := c.HeadManifest(context.Background(), repo, p.Digest); !client.IsNotFound(err) {
		t.Errorf("manifest still there after delete: %v", err)
	}
}

func TestParsePath(t *testing.T) {
	for _, tc := range []struct{ in, kind, repo, ref string }{
		{"/v2/", KindBase, "", ""},
		{"/v2/_catalog", KindCatalog, "", ""},
		{"/v2/a/b/manifests/v1", KindManifest, "a/b", "v1"},
		{"/v2/a/manifests/sha256:ab", KindManifest, "a", "sha256:ab"},
		{"/v2/a/b/c/blobs/sha256:ab", KindBlob, "a/b/c", "sha256:ab"},
		{"/v2/a/b/blobs/uploads/", KindUpload, "a/b", ""},
		{"/v2/a/b/blobs/uploads/123-x", KindUpload, "a/b", "123-x"},
		{"/v2/a/b/tags/list", KindTags, "a/b", ""},
		{"/v2/a/referrers/sha256:ab", KindReferrers, "a", "sha256:ab"},
		{"/metrics", KindOther, "", ""},
	} {
		k, r, f := parsePath(tc.in)
		if k != tc.kind || r != tc.repo || f != tc.ref {
			t.Errorf("parsePath(%q) = %q %q %q", tc.in, k, r, f)
		}
	}
}

func TestExternalRecordsNothing(t *testing.T) {
	e := External("registry.example:5000")
	if e.Recording() || e.Host() != "registry.example:5000" || e.Stop() != nil || e.Requests() != nil {
		t.Errorf("external registry misbehaves: %+v", e)
	}
}

func TestRecorderSeesMountsAndUploads(t *testing.T) {
	r := start(t)
	c := client.New()
	ctx := context.Background()
	a := client.Repo{Host: r.Host(), Path: "m/a"}
	b := client.Repo{Host: r.Host(), Path: "m/b"}
	d, err := c.PutBlob(ctx, a, []byte("blob"))
	if err != nil {
		t.Fatal(err)
	}
	mark := r.Mark()
	if ok, err := c.MountBlob(ctx, b, a.Path, d); !ok || err != nil {
		t.Fatalf("mount: %v %v", ok, err)
	}
	recs := r.Records(mark)
	if len(recs) != 1 || recs[0].Kind != KindUpload || !recs[0].Write() || recs[0].Digest != d || recs[0].Repository != "m/b" {
		t.Fatalf("mount recorded as %+v", recs)
	}
	if !r.PresentBefore("m/b", d, recs[0].Seq+1) || r.PresentBefore("m/b", d, recs[0].Seq) {
		t.Error("presence after mount wrong")
	}
	// A failed manifest put is recorded but is not a write.
	mark = r.Mark()
	if _, err := c.PutManifest(ctx, b, "v1", "application/vnd.oci.image.manifest.v1+json", []byte(`{"schemaVersion":2,"config":{"digest":"sha256:`+strings.Repeat("0", 64)+`","size":1}}`)); err == nil {
		t.Fatal("manifest with a missing config accepted")
	}
	recs = r.Records(mark)
	if len(recs) != 1 || recs[0].Write() || recs[0].OK() || recs[0].MediaType != "application/vnd.oci.image.manifest.v1+json" {
		t.Errorf("failed put recorded as %+v", recs)
	}
	if _, ok := r.LastTagWrite("m/b", "v1"); ok {
		t.Error("failed put counted as a tag write")
	}
}

// The upload-order check (validator/oci) reads recorder records converted
// field by field; its idea of a write must be the recorder's.
func TestRecordWriteAgreesWithTheOrderCheck(t *testing.T) {
	for _, r := range []Record{
		{RegistryRequest: reports.RegistryRequest{Method: "PUT", Status: 201}, Kind: KindManifest, Digest: "sha256:a"},
		{RegistryRequest: reports.RegistryRequest{Method: "PUT", Status: 400}, Kind: KindManifest, Digest: "sha256:a"},
		{RegistryRequest: reports.RegistryRequest{Method: "PUT", Status: 201}, Kind: KindUpload, Digest: "sha256:a"},
		{RegistryRequest: reports.RegistryRequest{Method: "POST", Status: 201}, Kind: KindUpload, Digest: "sha256:a"},
		{RegistryRequest: reports.RegistryRequest{Method: "POST", Status: 202}, Kind: KindUpload},
		{RegistryRequest: reports.RegistryRequest{Method: "PATCH", Status: 202}, Kind: KindUpload},
		{RegistryRequest: reports.RegistryRequest{Method: "GET", Status: 200}, Kind: KindBlob, Digest: "sha256:a"},
		{RegistryRequest: reports.RegistryRequest{Method: "DELETE", Status: 202}, Kind: KindManifest, Digest: "sha256:a"},
	} {
		q := oci.Request{Method: r.Method, Kind: r.Kind, Digest: r.Digest, Status: r.Status}
		if q.Write() != r.Write() {
			t.Errorf("%s %s %d: recorder write=%v, order check write=%v", r.Method, r.Kind, r.Status, r.Write(), q.Write())
		}
	}
}
