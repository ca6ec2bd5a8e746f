package docker

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func TestSplitRef(t *testing.T) {
	for _, tc := range []struct{ in, repo, tag string }{
		{"127.0.0.1:5000/a/b:v1", "127.0.0.1:5000/a/b", "v1"},
		{"127.0.0.1:5000/a/b", "127.0.0.1:5000/a/b", "latest"},
		{"127.0.0.1:5000/a@sha256:abc", "127.0.0.1:5000/a", "sha256:abc"},
		{"busybox", "busybox", "latest"},
	} {
		repo, tag := SplitRef(tc.in)
		if repo != tc.repo || tag != tc.tag {
			t.Errorf("SplitRef(%q) = %q, %q; want %q, %q", tc.in, repo, tag, tc.repo, tc.tag)
		}
	}
}

func TestDemux(t *testing.T) {
	frame := func(s byte, p string) []byte {
		h := []byte{s, 0, 0, 0, 0, 0, 0, byte(len(p))}
		return append(h, p...)
	}
	var in bytes.Buffer
	in.Write(frame(1, "out1 "))
	in.Write(frame(2, "err"))
	in.Write(frame(1, "out2"))
	var so, se bytes.Buffer
	if err := Demux(&in, &so, &se); err != nil {
		t.Fatal(err)
	}
	if so.String() != "out1 out2" || se.String() != "err" {
		t.Fatalf("stdout %q stderr %q", so.String(), se.String())
	}
	if err := Demux(bytes.NewReader([]byte{9, 0, 0, 0, 0, 0, 0, 1, 'x'}), &so, &se); err == nil {
		t.Fatal("bad stream type accepted")
	}
	if err := Demux(bytes.NewReader([]byte{1, 0, 0, 0, 0, 0, 0, 5, 'x'}), &so, &se); err == nil {
		t.Fatal("short frame accepted")
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{"DOCKER_HOST": "tcp://127.0.0.1:1", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "certs"}
	c := ConfigFromEnv(func(k string) string { return env[k] })
	if c.Host != "tcp://127.0.0.1:1" || !c.TLSVerify || c.CertPath != "certs" {
		t.Fatalf("got %+v", c)
	}
	if _, _, err := Transport(Config{Host: "ftp://x"}); err == nil {
		t.Fatal("ftp scheme accepted")
	}
	if _, _, err := Transport(Config{Host: "tcp://127.0.0.1:1", TLSVerify: true, CertPath: t.TempDir()}); err == nil {
		t.Fatal("missing ca.pem accepted")
	}
	if versionLess("1.41", "1.9") || !versionLess("1.9", "1.41") {
		t.Fatal("versionLess compares numerically")
	}
}

// engine returns a client for the real engine or skips.
func engine(t *testing.T) *Client {
	t.Helper()
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx); err != nil {
		t.Skipf("no Docker engine: %v", err)
	}
	return c
}

// testImage builds a one-layer image with a static program at /hello that
// prints to both streams and exits with $EXIT, pushes it to an in-process
// registry on 127.0.0.1 and returns the digested reference.
func testImage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := `package main
import ("fmt";"os";"strconv")
func main(){ fmt.Print("hello out"); fmt.Fprint(os.Stderr, "hello err")
 b, _ := os.ReadFile("/data/in.txt"); fmt.Print(" "+string(b))
 n, _ := strconv.Atoi(os.Getenv("EXIT")); os.Exit(n) }`
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-o", bin, "main.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GO111MODULE=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	prog, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	_ = tw.WriteHeader(&tar.Header{Name: "data/", Typeflag: tar.TypeDir, Mode: 0o755})
	_ = tw.WriteHeader(&tar.Header{Name: "hello", Mode: 0o755, Size: int64(len(prog))})
	_, _ = tw.Write(prog)
	_ = tw.Close()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.ConfigFile(img, &v1.ConfigFile{Architecture: "amd64", OS: "linux", Config: v1.Config{Entrypoint: []string{"/hello"}},
		RootFS: v1.RootFS{Type: "layers", DiffIDs: mustDiffIDs(t, img)}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: ggcrregistry.New(ggcrregistry.Logger(nilLogger()))}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	repo := ln.Addr().String() + "/cnabconf/hello"
	d := pushImage(t, "http://"+ln.Addr().String(), "cnabconf/hello", "v1", img)
	return repo + "@" + d
}

func mustDiffIDs(t *testing.T, img v1.Image) []v1.Hash {
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return cf.RootFS.DiffIDs
}

func TestEngineLifecycle(t *testing.T) {
	c := engine(t)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if v, err := c.Negotiate(ctx); err != nil || v == "" {
		t.Fatalf("negotiate: %q %v", v, err)
	}
	if v, err := c.Version(ctx); err != nil || v.APIVersion == "" {
		t.Fatalf("version: %+v %v", v, err)
	}
	ref := testImage(t)
	if err := c.ImagePull(ctx, ref); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.ImageRemove(context.Background(), ref, true) })
	info, err := c.ImageInspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ImageList(ctx)
	found := false
	for _, im := range list {
		found = found || im.ID == info.ID
	}
	if err != nil || !found {
		t.Fatalf("image list %v lacks %s: %v", list, info.ID, err)
	}
	_, dg := SplitRef(ref)
	if !info.HasRepoDigest(dg) || info.HasRepoDigest("sha256:0000") {
		t.Fatalf("RepoDigests %v", info.RepoDigests)
	}
	for _, exit := range []int{0, 3} {
		name := fmt.Sprintf("cnabconf-dockertest-%d-%d", os.Getpid(), exit)
		id, err := c.ContainerCreate(ctx, name, ContainerConfig{Image: ref, Env: []string{fmt.Sprintf("EXIT=%d", exit)},
			Entrypoint: []string{"/hello"}, AttachStdout: true, AttachStderr: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.ContainerRemove(context.Background(), id, true) })
		var tb bytes.Buffer
		tw := tar.NewWriter(&tb)
		_ = tw.WriteHeader(&tar.Header{Name: "data/in.txt", Mode: 0o600, Size: 2})
		_, _ = tw.Write([]byte("hi"))
		_ = tw.Close()
		if err := c.PutArchive(ctx, id, "/", &tb); err != nil {
			t.Fatal(err)
		}
		list, err := c.ContainerList(ctx, true, map[string][]string{"name": {name}})
		if err != nil || len(list) != 1 || list[0].ID != id {
			t.Fatalf("list: %+v %v", list, err)
		}
		if err := c.ContainerStart(ctx, id); err != nil {
			t.Fatal(err)
		}
		code, err := c.ContainerWait(ctx, id)
		if err != nil || code != exit {
			t.Fatalf("wait: %d %v, want %d", code, err, exit)
		}
		logs, err := c.ContainerLogs(ctx, id, false)
		if err != nil {
			t.Fatal(err)
		}
		if string(logs.Stdout) != "hello out hi" || string(logs.Stderr) != "hello err" {
			t.Fatalf("logs: %q / %q", logs.Stdout, logs.Stderr)
		}
		ci, err := c.ContainerInspect(ctx, id)
		if err != nil || ci.State.ExitCode != exit || ci.HostConfig.Privileged || len(ci.Raw) == 0 {
			t.Fatalf("inspect: %+v %v", ci, err)
		}
		rc, err := c.GetArchive(ctx, id, "/data/in.txt")
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		if h, err := tr.Next(); err != nil || h.Name != "in.txt" {
			t.Fatalf("archive: %v %v", h, err)
		}
		rc.Close()
		if _, err := c.GetArchive(ctx, id, "/nope"); !IsNotFound(err) {
			t.Fatalf("missing path: %v", err)
		}
		if err := c.ContainerRemove(ctx, id, true); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ContainerInspect(ctx, id); !IsNotFound(err) {
			t.Fatalf("removed container still there: %v", err)
		}
	}
	repo, _ := SplitRef(ref)
	tagged := repo + ":retagged"
	if err := c.ImageTag(ctx, info.ID, tagged); err != nil {
		t.Fatal(err)
	}
	if err := c.ImageRemove(ctx, tagged, false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ImageInspect(ctx, tagged); !IsNotFound(err) {
		t.Fatalf("removed tag still inspectable: %v", err)
	}
	if err := c.ImagePull(ctx, repo+"@sha256:"+strings.Repeat("0", 64)); err == nil {
		t.Fatal("pull of a missing digest succeeded")
	}
}

func nilLogger() *log.Logger { return log.New(io.Discard, "", 0) }

// pushImage uploads img with monolithic blob uploads (go-containerregistry's
// remote package is not in the dependency set) and returns its digest.
func pushImage(t *testing.T, base, repo, tag string, img v1.Image) string {
	t.Helper()
	put := func(dg string, data []byte) {
		resp, err := http.Post(base+"/v2/"+repo+"/blobs/uploads/", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, "http") {
			loc = base + loc
		}
		sep := "?"
		if strings.Contains(loc, "?") {
			sep = "&"
		}
		req, _ := http.NewRequest(http.MethodPut, loc+sep+"digest="+dg, bytes.NewReader(data))
		resp, err = http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("blob put: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	layers, _ := img.Layers()
	for _, l := range layers {
		rc, err := l.Compressed()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		d, _ := l.Digest()
		put(d.String(), b)
	}
	cfg, _ := img.RawConfigFile()
	cn, _ := img.ConfigName()
	put(cn.String(), cfg)
	m, _ := img.RawManifest()
	mt, _ := img.MediaType()
	req, _ := http.NewRequest(http.MethodPut, base+"/v2/"+repo+"/manifests/"+tag, bytes.NewReader(m))
	req.Header.Set("Content-Type", string(mt))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("manifest put: %v %v", resp, err)
	}
	resp.Body.Close()
	d, _ := img.Digest()
	return d.String()
}
