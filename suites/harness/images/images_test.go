package images

import (
	"archive/tar"
	"context"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

func TestBuildFromFilesIsReproducibleAndKeepsModes(t *testing.T) {
	files := map[string]File{"/cnab/app/run": {Content: []byte("#!/bin/sh\n"), Mode: 0o755}, "cnab/README.md": {Content: []byte("hi")}}
	a, err := BuildFromFiles(files, WithEntrypoint("/cnab/app/run"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := BuildFromFiles(files, WithEntrypoint("/cnab/app/run"))
	da, _ := a.Digest()
	db, _ := b.Digest()
	if da != db {
		t.Fatalf("digests differ: %s %s", da, db)
	}
	cf, _ := a.ConfigFile()
	if cf.Config.Entrypoint[0] != "/cnab/app/run" || cf.OS != "linux" {
		t.Errorf("config = %+v", cf.Config)
	}
	ls, _ := a.Layers()
	if len(ls) != 1 {
		t.Fatalf("%d layers", len(ls))
	}
	tr := tar.NewReader(mutate.Extract(a))
	modes := map[string]int64{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		modes[h.Name] = h.Mode
	}
	if modes["cnab/app/run"] != 0o755 || modes["cnab/README.md"] != 0o644 || modes["cnab/app"] != 0o755 {
		t.Errorf("modes = %v", modes)
	}
}

func TestBuildFromFilesRejectsBadInput(t *testing.T) {
	for _, files := range []map[string]File{nil, {"/": {}}} {
		if _, err := BuildFromFiles(files); err == nil {
			t.Errorf("no error for %v", files)
		}
	}
}

func TestRandomIsSeeded(t *testing.T) {
	a, _ := Random(1, 2)
	b, _ := Random(1, 2)
	c, _ := Random(2, 2)
	da, _ := a.Digest()
	db, _ := b.Digest()
	dc, _ := c.Digest()
	if da != db || da == dc {
		t.Errorf("seed 1: %s %s, seed 2: %s", da, db, dc)
	}
	if _, err := Random(1, 0); err == nil {
		t.Error("zero layers accepted")
	}
}

func TestPush(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	img, _ := Random(7, 1)
	p, err := Push(context.Background(), img, host+"/cnab-conformance/comp:v1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Digest, "sha256:") || p.Digest == p.ConfigDigest || p.Ref != host+"/cnab-conformance/comp@"+p.Digest || p.Size == 0 {
		t.Errorf("pushed = %+v", p)
	}
	ref, _ := client.ParseRef(p.Ref)
	desc, err := client.New().HeadManifest(context.Background(), ref.Repo, ref.Digest)
	if err != nil || desc.Digest != p.Digest || desc.Size != p.Size || desc.MediaType != p.MediaType {
		t.Errorf("registry has %+v, %v", desc, err)
	}
	if _, err := Push(context.Background(), img, "bad ref!"); err == nil {
		t.Error("bad reference accepted")
	}
}
