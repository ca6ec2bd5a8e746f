package docker

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func writeContext(t *testing.T, dir, name, meta string, tlsFiles ...string) {
	t.Helper()
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	md := filepath.Join(dir, "contexts", "meta", id)
	if err := os.MkdirAll(md, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(md, "meta.json"), []byte(meta), 0o644); err != nil {
		t.Fatal(err)
	}
	td := filepath.Join(dir, "contexts", "tls", id, "docker")
	for _, f := range tlsFiles {
		if err := os.MkdirAll(td, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(td, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDockerContexts(t *testing.T) {
	dir := t.TempDir()
	writeContext(t, dir, "prod", `{"Name":"prod","Endpoints":{"docker":{"Host":"tcp://127.0.0.1:2376","SkipTLSVerify":false}}}`, "ca.pem", "cert.pem", "key.pem")
	writeContext(t, dir, "local", `{"Name":"local","Endpoints":{"docker":{"Host":"unix:///run/other.sock"}}}`)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"currentContext":"local"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Config
	}{
		{"DOCKER_CONTEXT with TLS", map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "prod"},
			Config{Host: "tcp://127.0.0.1:2376", TLSVerify: true, CertPath: filepath.Join(dir, "contexts", "tls", hexName("prod"), "docker")}},
		{"currentContext", map[string]string{"DOCKER_CONFIG": dir}, Config{Host: "unix:///run/other.sock"}},
		{"DOCKER_HOST wins", map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "prod", "DOCKER_HOST": "unix:///x.sock"}, Config{Host: "unix:///x.sock"}},
		{"default context", map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "default"}, Config{}},
		{"unknown context", map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "nope"}, Config{}},
	} {
		got := ConfigFromEnv(func(k string) string { return tc.env[k] })
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func hexName(n string) string {
	s := sha256.Sum256([]byte(n))
	return hex.EncodeToString(s[:])
}
