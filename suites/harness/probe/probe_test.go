package probe

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"testing"
	"time"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"

	"github.com/cnab-conformance/cnab-conformance/internal/docker"
)

func TestImageShape(t *testing.T) {
	a, err := Image([]byte("prog"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Image([]byte("prog"), map[string][]byte{"/cnab/app/tampered": []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	da, _ := a.Digest()
	db, _ := b.Digest()
	a2, _ := Image([]byte("prog"), nil)
	da2, _ := a2.Digest()
	if da == db || da != da2 {
		t.Fatalf("digests: plain %s again %s tampered %s", da, da2, db)
	}
	if _, err := Image(nil, nil); err == nil {
		t.Fatal("empty program accepted")
	}
	if _, err := Image([]byte("p"), map[string][]byte{"cnab/app/run": nil}); err == nil {
		t.Fatal("extra file over the probe accepted")
	}
	cf, _ := a.ConfigFile()
	if cf.OS != "linux" || len(cf.Config.Entrypoint) != 1 || cf.Config.Entrypoint[0] != "/cnab/app/run" {
		t.Fatalf("config %+v", cf)
	}
}

// TestProbeRuns builds the real probe, pushes it, runs it in the engine and
// decodes its observation from stdout.
func TestProbeRuns(t *testing.T) {
	dc, err := docker.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := dc.Ping(ctx); err != nil {
		t.Skipf("no Docker engine: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	p, err := BuildAndPush(ctx, Config{}, ln.Addr().String()+"/cnabconf/probe:v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	ref := p.Digested()
	if err := dc.ImagePull(ctx, ref); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = dc.ImageRemove(context.Background(), ref, true) }()
	id, err := dc.ContainerCreate(ctx, "cnabconf-probetest-"+p.Digest[7:19], docker.ContainerConfig{Image: ref,
		Env: []string{"CNAB_ACTION=install", "PROBE_EXIT={\"install\":7}", `PROBE_OUTPUTS={"greeting":"hi"}`}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = dc.ContainerRemove(context.Background(), id, true) }()
	if err := dc.ContainerStart(ctx, id); err != nil {
		t.Fatal(err)
	}
	code, err := dc.ContainerWait(ctx, id)
	if err != nil || code != 7 {
		t.Fatalf("exit %d %v", code, err)
	}
	logs, err := dc.ContainerLogs(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	var obs struct {
		Probe   string            `json:"probe"`
		Action  string            `json:"action"`
		Env     map[string]string `json:"env"`
		Outputs []string          `json:"outputs"`
		CapEff  string            `json:"capEff"`
		Mounts  []json.RawMessage `json:"mounts"`
		Files   []struct {
			Path string `json:"path"`
			Mode string `json:"mode"`
		} `json:"files"`
	}
	if err := json.Unmarshal(logs.Stdout, &obs); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, logs.Stdout)
	}
	if obs.Probe != "cnab-probe/1" || obs.Action != "install" || obs.CapEff == "" || len(obs.Mounts) == 0 ||
		len(obs.Outputs) != 1 || obs.Outputs[0] != "greeting" {
		t.Fatalf("observation %+v", obs)
	}
	found := false
	for _, f := range obs.Files {
		found = found || (f.Path == "/cnab/app/run" && f.Mode == "0755")
	}
	if !found {
		t.Fatalf("run not seen: %+v", obs.Files)
	}
}
