package client

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

func newRegistry(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	var h http.Handler = ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// pushIndex writes a two-image index (blobs, manifests, index) to repo.
func pushIndex(t *testing.T, c *Client, repo Repo) (string, []byte) {
	t.Helper()
	ctx := context.Background()
	idx, err := random.Index(64, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := idx.IndexManifest()
	for _, d := range im.Manifests {
		img, _ := idx.Image(d.Digest)
		ls, _ := img.Layers()
		for _, l := range ls {
			rc, _ := l.Compressed()
			b, _ := io.ReadAll(rc)
			if _, err := c.PutBlob(ctx, repo, b); err != nil {
				t.Fatal(err)
			}
		}
		cfg, _ := img.RawConfigFile()
		c.PutBlob(ctx, repo, cfg)
		raw, _ := img.RawManifest()
		if _, err := c.PutManifest(ctx, repo, d.Digest.String(), string(d.MediaType), raw); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := idx.RawManifest()
	d, err := c.PutManifest(ctx, repo, "v1", "application/vnd.oci.image.index.v1+json", raw)
	if err != nil {
		t.Fatal(err)
	}
	return d, raw
}

func TestCopyAcrossRegistriesKeepsDigests(t *testing.T) {
	ctx := context.Background()
	c := New()
	src := Repo{Host: newRegistry(t, nil), Path: "a/src"}
	dst := Repo{Host: newRegistry(t, nil), Path: "b/dst"}
	d, raw := pushIndex(t, c, src)
	if d != Digest(raw) {
		t.Fatalf("registry digest %s, bytes %s", d, Digest(raw))
	}
	got, err := c.Copy(ctx, src, dst, d, CopyOptions{Tag: "promoted"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest != d || !IsIndex(got.MediaType) {
		t.Errorf("copied %+v", got)
	}
	b, desc, err := c.GetManifest(ctx, dst, "promoted")
	if err != nil || desc.Digest != d || string(b) != string(raw) {
		t.Errorf("destination has %s (%v)", desc.Digest, err)
	}
	var idx struct {
		Manifests []struct{ Digest string } `json:"manifests"`
	}
	json.Unmarshal(raw, &idx)
	for _, m := range idx.Manifests {
		if _, err := c.HeadManifest(ctx, dst, m.Digest); err != nil {
			t.Errorf("child %s not copied: %v", m.Digest, err)
		}
	}
	tags, err := c.Tags(ctx, dst)
	if err != nil || len(tags) != 1 || tags[0] != "promoted" {
		t.Errorf("tags = %v, %v", tags, err)
	}
}

func TestMountWithinRegistry(t *testing.T) {
	ctx := context.Background()
	c := New()
	host := newRegistry(t, nil)
	a, b := Repo{Host: host, Path: "x/a"}, Repo{Host: host, Path: "x/b"}
	d, err := c.PutBlob(ctx, a, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CopyBlob(ctx, a, b, d, false); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBlob(ctx, b, d)
	if err != nil || string(got) != "hello" {
		t.Errorf("blob in b: %q %v", got, err)
	}
	hd, err := c.HeadBlob(ctx, b, d)
	if err != nil || hd.Size != 5 {
		t.Errorf("head = %+v %v", hd, err)
	}
}

func TestDigestVerification(t *testing.T) {
	// A registry that serves other bytes than the digest asked for.
	host := newRegistry(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/") {
				w.Write([]byte("tampered"))
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	c := New()
	repo := Repo{Host: host, Path: "t/t"}
	d, _ := c.PutBlob(context.Background(), repo, []byte("original"))
	if _, err := c.GetBlob(context.Background(), repo, d); err == nil || !strings.Contains(err.Error(), "content digest") {
		t.Errorf("tampered blob accepted: %v", err)
	}
}

func TestNotFoundAndErrors(t *testing.T) {
	c := New()
	repo := Repo{Host: newRegistry(t, nil), Path: "n/f"}
	_, _, err := c.GetManifest(context.Background(), repo, "nope")
	if !IsNotFound(err) {
		t.Errorf("want 404, got %v", err)
	}
	if ok, err := c.BlobExists(context.Background(), repo, Digest([]byte("x"))); ok || err != nil {
		t.Errorf("BlobExists = %v %v", ok, err)
	}
	if err := c.Ping(context.Background(), "127.0.0.1:1"); err == nil {
		t.Error("ping of a closed port succeeded")
	}
	small := New(WithMaxBytes(4))
	d, _ := c.PutBlob(context.Background(), repo, []byte("more than four"))
	if _, err := small.GetBlob(context.Background(), repo, d); err == nil {
		t.Error("size cap ignored")
	}
}

func TestTokenFlow(t *testing.T) {
	var tokenCalls atomic.Int32
	var realm string
	host := newRegistry(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/token" {
				tokenCalls.Add(1)
				u, p, _ := r.BasicAuth()
				if u != "me" || p != "secret" || !strings.Contains(r.URL.Query().Get("scope"), "repository:a/b:pull") {
					w.WriteHeader(http.StatusForbidden)
					return
				}
				w.Write([]byte(`{"token":"T0K"}`))
				return
			}
			if r.Header.Get("Authorization") != "Bearer T0K" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="`+realm+`",service="test"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	realm = "http://" + host + "/token"
	repo := Repo{Host: host, Path: "a/b"}
	c := New(WithBasicAuth("me", "secret"))
	for i := 0; i < 3; i++ {
		if _, err := c.PutBlob(context.Background(), repo, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if n := tokenCalls.Load(); n == 0 || n > 3 {
		t.Errorf("token endpoint called %d times", n)
	}
	if _, err := New(WithBasicAuth("me", "wrong")).PutBlob(context.Background(), repo, []byte("y")); err == nil {
		t.Error("wrong credentials accepted")
	}
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct{ in, host, path, tag, digest string }{
		{"127.0.0.1:5000/a/b:v1", "127.0.0.1:5000", "a/b", "v1", ""},
		{"localhost:5000/a@sha256:" + strings.Repeat("a", 64), "localhost:5000", "a", "", "sha256:" + strings.Repeat("a", 64)},
		{"127.0.0.1:5000/a", "127.0.0.1:5000", "a", "latest", ""},
	} {
		r, err := ParseRef(tc.in)
		if err != nil || r.Host != tc.host || r.Path != tc.path || r.Tag != tc.tag || r.Digest != tc.digest {
			t.Errorf("ParseRef(%q) = %+v %v", tc.in, r, err)
		}
	}
	if _, err := ParseRef("127.0.0.1:5000/UPPER:v1"); err == nil {
		t.Error("invalid repository accepted")
	}
	if !isLocal("127.0.0.1:5000") || !isLocal("localhost") || !isLocal("[::1]:5000") || isLocal("example.com:5000") {
		t.Error("isLocal")
	}
}

func TestSniffMediaType(t *testing.T) {
	for in, want := range map[string]string{
		`{"manifests":[]}`: "application/vnd.oci.image.index.v1+json",
		`{"config":{}}`:    "application/vnd.oci.image.manifest.v1+json",
		`{"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}`: "application/vnd.docker.distribution.manifest.v2+json",
		`nope`: "",
	} {
		if got := SniffMediaType([]byte(in)); got != want {
			t.Errorf("SniffMediaType(%s) = %q", in, got)
		}
	}
}
