package docker

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// contextConfig resolves a Docker CLI context (DOCKER_CONTEXT, else the
// currentContext of config.json) to an endpoint, as the docker CLI stores
// it: contexts/meta/<sha256(name)>/meta.json holds the host, and
// contexts/tls/<sha256(name)>/docker/ the CA, certificate and key. ok is
// false for the default context or when no context is set.
func contextConfig(getenv func(string) string) (cfg Config, ok bool, err error) {
	dir := getenv("DOCKER_CONFIG")
	if dir == "" {
		home, herr := os.UserHomeDir()
		if herr != nil {
			return Config{}, false, nil
		}
		dir = filepath.Join(home, ".docker")
	}
	name := getenv("DOCKER_CONTEXT")
	if name == "" {
		b, rerr := os.ReadFile(filepath.Join(dir, "config.json"))
		if rerr != nil {
			return Config{}, false, nil
		}
		var c struct {
			CurrentContext string `json:"currentContext"`
		}
		if json.Unmarshal(b, &c) != nil {
			return Config{}, false, nil
		}
		name = c.CurrentContext
	}
	if name == "" || name == "default" {
		return Config{}, false, nil
	}
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:])
	b, err := os.ReadFile(filepath.Join(dir, "contexts", "meta", id, "meta.json"))
	if err != nil {
		return Config{}, false, fmt.Errorf("docker context %q: %w", name, err)
	}
	var meta struct {
		Endpoints map[string]struct {
			Host          string `json:"Host"`
			SkipTLSVerify bool   `json:"SkipTLSVerify"`
		} `json:"Endpoints"`
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		return Config{}, false, fmt.Errorf("docker context %q: %w", name, err)
	}
	ep, found := meta.Endpoints["docker"]
	if !found || ep.Host == "" {
		return Config{}, false, fmt.Errorf("docker context %q has no docker endpoint", name)
	}
	cfg = Config{Host: ep.Host}
	tlsDir := filepath.Join(dir, "contexts", "tls", id, "docker")
	if _, err := os.Stat(filepath.Join(tlsDir, "ca.pem")); err == nil {
		cfg.CertPath, cfg.TLSVerify = tlsDir, !ep.SkipTLSVerify
	} else if _, err := os.Stat(filepath.Join(tlsDir, "cert.pem")); err == nil {
		cfg.CertPath = tlsDir
	}
	return cfg, true, nil
}
