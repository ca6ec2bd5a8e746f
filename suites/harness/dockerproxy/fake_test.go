package dockerproxy

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cnab-conformance/cnab-conformance/internal/docker"
)

// fakeEngine is a tiny Docker API on a unix socket: enough for the proxy's
// recording paths, without a real engine.
type fakeEngine struct {
	mu       sync.Mutex
	received []byte // last create body as forwarded
	removed  bool
}

func (f *fakeEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	p := strings.TrimPrefix(r.URL.Path, "/v1.41")
	// Like the engine, accept a unique ID prefix or the name.
	if rest, ok := strings.CutPrefix(p, "/containers/"); ok && rest != "create" {
		ref, tail, _ := strings.Cut(rest, "/")
		if ref == "cnabconf-fake" || (len(ref) >= 6 && strings.HasPrefix(id, ref)) {
			p = "/containers/" + id
			if tail != "" {
				p += "/" + tail
			}
		}
	}
	switch {
	case p == "/_ping":
		w.Header().Set("API-Version", "1.41")
		io.WriteString(w, "OK")
	case p == "/containers/create":
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.received = b
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"Id":%q,"Warnings":[]}`, id)
	case p == "/containers/"+id+"/json":
		f.mu.Lock()
		gone := f.removed
		f.mu.Unlock()
		if gone {
			http.Error(w, `{"message":"No such container"}`, http.StatusNotFound)
			return
		}
		fmt.Fprintf(w, `{"Id":%q,"State":{"Status":"exited","ExitCode":3},"Config":{"Tty":false},"HostConfig":{}}`, id)
	case p == "/containers/"+id+"/logs":
		out := "probe says hi"
		w.Write(append([]byte{1, 0, 0, 0, 0, 0, 0, byte(len(out))}, out...))
	case p == "/containers/"+id+"/wait":
		io.WriteString(w, `{"StatusCode":3}`)
	case p == "/containers/"+id && r.Method == http.MethodDelete:
		f.mu.Lock()
		f.removed = true
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func TestProxyWithFakeEngine(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "engine.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	fe := &fakeEngine{}
	srv := &http.Server{Handler: fe}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := Start(ctx, Options{Upstream: "unix://" + sock})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	// A chunked create request, as some clients send it.
	conn, err := net.Dial("unix", p.sock)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"Image":"x","HostConfig":{"Privileged":true,"NetworkMode":"host"}}`
	fmt.Fprintf(conn, "POST /v1.41/containers/create?name=cnabconf-fake HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %s", resp.Status)
	}
	var fwd struct {
		HostConfig struct {
			Privileged  bool
			NetworkMode string
		}
	}
	fe.mu.Lock()
	err = json.Unmarshal(fe.received, &fwd)
	fe.mu.Unlock()
	if err != nil || fwd.HostConfig.Privileged || fwd.HostConfig.NetworkMode != "host" {
		t.Fatalf("forwarded body: %+v %v", fwd, err)
	}
	c := p.Creates()
	if len(c) != 1 || c[0].Name != "cnabconf-fake" || !c[0].PrivilegedCleared || c[0].Status != http.StatusCreated || !strings.Contains(string(c[0].Request), `"Privileged":true`) {
		t.Fatalf("record %+v", c)
	}

	cl, err := docker.New(docker.Config{Host: p.DockerHost()})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if code, err := cl.ContainerWait(ctx, c[0].ID[:12]); err != nil || code != 3 {
		t.Fatalf("wait through the proxy: %d %v", code, err)
	}
	got := p.Creates()[0]
	if got.ExitCode == nil || *got.ExitCode != 3 || got.Stdout != "probe says hi" || len(got.Inspect) == 0 {
		t.Fatalf("capture after wait by ID prefix: %+v", got)
	}
	if leaks, err := p.Leaks(ctx); err != nil || len(leaks) != 1 {
		t.Fatalf("leaks %v %v", leaks, err)
	}
	if err := cl.ContainerRemove(ctx, "cnabconf-fake", true); err != nil {
		t.Fatal(err)
	}
	if got := p.Creates()[0]; !got.Removed {
		t.Fatalf("removal by name not recorded: %+v", got)
	}
	if leaks, err := p.Leaks(ctx); err != nil || len(leaks) != 0 {
		t.Fatalf("leaks after removal %v %v", leaks, err)
	}
	if n := len(p.Calls()); n < 4 {
		t.Fatalf("calls %v", p.Calls())
	}
	if _, err := Start(ctx, Options{Upstream: "unix://" + filepath.Join(t.TempDir(), "none.sock")}); err == nil {
		t.Fatal("a proxy to an engine that does not answer started")
	}
}
