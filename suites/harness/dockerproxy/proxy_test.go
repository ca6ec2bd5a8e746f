package dockerproxy

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"

	"github.com/cnab-conformance/cnab-conformance/internal/docker"
	"github.com/cnab-conformance/cnab-conformance/suites/harness/probe"
)

func TestClearPrivileged(t *testing.T) {
	for _, tc := range []struct {
		in      string
		cleared bool
	}{
		{`{"Image":"x","HostConfig":{"Privileged":true,"Binds":["/a:/b"]}}`, true},
		{`{"Image":"x","HostConfig":{"Privileged":false}}`, false},
		{`{"Image":"x"}`, false},
		{`not json`, false},
	} {
		out, cleared := clearPrivileged([]byte(tc.in))
		if cleared != tc.cleared {
			t.Errorf("%s: cleared=%v", tc.in, cleared)
		}
		if cleared {
			var m struct {
				Image      string
				HostConfig struct {
					Privileged bool
					Binds      []string
				}
			}
			if err := json.Unmarshal(out, &m); err != nil || m.HostConfig.Privileged || m.Image != "x" || len(m.HostConfig.Binds) != 1 {
				t.Errorf("%s -> %s (%v)", tc.in, out, err)
			}
		}
	}
}

func TestBadMode(t *testing.T) {
	if _, err := Start(context.Background(), Options{Privileged: "maybe"}); err == nil {
		t.Fatal("unknown mode accepted")
	}
}

// fixture starts an in-process registry with the probe image and returns
// its digested reference.
func fixture(t *testing.T, ctx context.Context) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	p, err := probe.BuildAndPush(ctx, probe.Config{}, ln.Addr().String()+"/cnabconf/probe:v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.Digested()
}

func engineOrSkip(t *testing.T) {
	c, err := docker.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx); err != nil {
		t.Skipf("no Docker engine: %v", err)
	}
}

func TestProxyRecords(t *testing.T) {
	engineOrSkip(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ref := fixture(t, ctx)
	p, err := Start(ctx, Options{TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	defer func() {
		if err := p.Cleanup(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	c, err := docker.New(docker.Config{Host: p.DockerHost()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.ImagePull(ctx, ref); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Upstream().ImageRemove(context.Background(), ref, true) }()

	mark := p.Mark()
	name := fmt.Sprintf("cnabconf-proxytest-%d", os.Getpid())
	id, err := c.ContainerCreate(ctx, name, docker.ContainerConfig{Image: ref, Env: []string{"CNAB_ACTION=install"},
		Entrypoint: []string{"/cnab/app/run"}, HostConfig: docker.HostConfig{Privileged: true}})
	if err != nil {
		t.Fatal(err)
	}
	creates := p.Since(mark)
	if len(creates) != 1 {
		t.Fatalf("creates %+v", creates)
	}
	cr := creates[0]
	if cr.ID != id || cr.Name != name || !cr.PrivilegedCleared || !strings.Contains(string(cr.Request), `"Privileged":true`) {
		t.Fatalf("create record %+v", cr)
	}
	info, err := p.Upstream().ContainerInspect(ctx, id)
	if err != nil || info.HostConfig.Privileged {
		t.Fatalf("forwarded privileged flag not cleared: %+v %v", info.HostConfig, err)
	}

	// Attach through the proxy (hijacked connection) before the start.
	stream := attach(t, p.sock, id)
	if err := c.ContainerStart(ctx, id); err != nil {
		t.Fatal(err)
	}
	var so, se strings.Builder
	if err := docker.Demux(stream, &so, &se); err != nil {
		t.Fatalf("attach stream: %v", err)
	}
	if !strings.Contains(so.String(), `"probe":"cnab-probe/1"`) {
		t.Fatalf("attach stdout %q", so.String())
	}
	if code, err := c.ContainerWait(ctx, id); err != nil || code != 0 {
		t.Fatalf("wait %d %v", code, err)
	}
	cr = p.Since(mark)[0]
	if cr.ExitCode == nil || *cr.ExitCode != 0 || !strings.Contains(cr.Stdout, `"action":"install"`) || len(cr.Inspect) == 0 || !cr.Started {
		t.Fatalf("capture after wait %+v", cr)
	}
	leaks, err := p.Leaks(ctx)
	if err != nil || len(leaks) != 1 {
		t.Fatalf("leaks before removal %v %v", leaks, err)
	}
	if err := c.ContainerRemove(ctx, name, false); err != nil {
		t.Fatal(err)
	}
	if cr = p.Since(mark)[0]; !cr.Removed {
		t.Fatalf("removal not recorded %+v", cr)
	}
	if leaks, err = p.Leaks(ctx); err != nil || len(leaks) != 0 {
		t.Fatalf("leaks after removal %v %v", leaks, err)
	}
	calls := p.CallsSince(mark)
	if len(calls) < 5 || calls[0].Listener != "unix" {
		t.Fatalf("calls %+v", calls)
	}

	// TLS endpoint: works with the generated client certificate, refuses a
	// client without one.
	tc, err := docker.New(docker.ConfigFromEnvList(p.TLSEnv()))
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	tmark := p.Mark()
	if _, err := tc.Version(ctx); err != nil {
		t.Fatalf("tls: %v", err)
	}
	if got := p.CallsSince(tmark); len(got) == 0 || got[len(got)-1].Listener != "tls" {
		t.Fatalf("tls calls %+v", got)
	}
	env := p.TLSEnv()
	nocert, _ := docker.New(docker.Config{Host: strings.TrimPrefix(env[0], "DOCKER_HOST=")})
	if _, err := nocert.Ping(ctx); err == nil {
		t.Fatal("plain HTTP client accepted on the TLS endpoint")
	}

	// A container left behind is a leak until Cleanup.
	left, err := c.ContainerCreate(ctx, name+"-left", docker.ContainerConfig{Image: ref})
	if err != nil {
		t.Fatal(err)
	}
	if leaks, _ := p.Leaks(ctx); len(leaks) != 1 || !strings.HasPrefix(left, strings.Fields(leaks[0])[0]) {
		t.Fatalf("leak not found: %v (%s) %+v", leaks, left, p.Creates())
	}
	if err := p.Cleanup(ctx); err != nil {
		t.Fatal(err)
	}
	if leaks, _ := p.Leaks(ctx); len(leaks) != 0 {
		t.Fatalf("cleanup left %v", leaks)
	}
}

func TestProxyPassMode(t *testing.T) {
	engineOrSkip(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ref := fixture(t, ctx)
	p, err := Start(ctx, Options{Privileged: Pass})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	defer func() { _ = p.Cleanup(context.Background()) }()
	c, _ := docker.New(docker.Config{Host: p.DockerHost()})
	defer c.Close()
	if err := c.ImagePull(ctx, ref); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Upstream().ImageRemove(context.Background(), ref, true) }()
	id, err := c.ContainerCreate(ctx, fmt.Sprintf("cnabconf-proxypass-%d", os.Getpid()),
		docker.ContainerConfig{Image: ref, HostConfig: docker.HostConfig{Privileged: true}})
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.ContainerInspect(ctx, id)
	if err != nil || !info.HostConfig.Privileged || p.Creates()[0].PrivilegedCleared {
		t.Fatalf("pass mode changed the request: %+v %v", info.HostConfig, err)
	}
}

// attach opens a hijacked attach stream the way the docker CLI does.
func attach(t *testing.T, sock, id string) io.Reader {
	t.Helper()
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /v1.41/containers/%s/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n", id)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("attach: %s", resp.Status)
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	return br
}
