package probe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/cnab-conformance/cnab-conformance/suites/harness/images"
)

// RunPath is where the CNAB spec wants the run tool.
const RunPath = "cnab/app/run"

// Package is the import path of the probe program.
const Package = "github.com/cnab-conformance/cnab-conformance/fixtures/tools/probe"

// Config says where the probe binary comes from.
type Config struct {
	// Binary is a prebuilt static linux/amd64 probe; empty means build it.
	Binary string
	// RepoRoot is the module root used to build the probe; empty means
	// found by walking up from the working directory to go.mod.
	RepoRoot string
	// CacheDir receives the built binary; empty means a directory under the
	// user cache dir (so repeated runs reuse it).
	CacheDir string
}

var (
	buildMu    sync.Mutex
	buildCache = map[string]string{}
)

// Binary returns the path of a static probe program, building it with
// CGO_ENABLED=0 GOOS=linux GOARCH=amd64 when no prebuilt one is named. A
// build happens at most once per process and cache directory.
func Binary(ctx context.Context, cfg Config) (string, error) {
	if cfg.Binary != "" {
		if _, err := os.Stat(cfg.Binary); err != nil {
			return "", fmt.Errorf("probe binary: %w", err)
		}
		return cfg.Binary, nil
	}
	root := cfg.RepoRoot
	if root == "" {
		r, err := findRoot()
		if err != nil {
			return "", err
		}
		root = r
	}
	cache := cfg.CacheDir
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cache = filepath.Join(base, "cnab-conformance")
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := buildCache[cache]; ok {
		return p, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("probe cache dir: %w", err)
	}
	out := filepath.Join(cache, "cnab-probe")
	// Build to a private name and rename: test binaries of several packages
	// may build into the same cache directory at once.
	tmp, err := os.MkdirTemp(cache, "build-")
	if err != nil {
		return "", fmt.Errorf("probe cache dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(tmp, "cnab-probe"), "./fixtures/tools/probe")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build probe: %v\n%s", err, b)
	}
	if err := os.Rename(filepath.Join(tmp, "cnab-probe"), out); err != nil {
		return "", fmt.Errorf("probe cache: %w", err)
	}
	buildCache[cache] = out
	return out, nil
}

// findRoot walks up from the working directory to the directory holding go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("probe: no go.mod above the working directory; set Config.Binary")
		}
		dir = parent
	}
}

// Image builds the probe image from the program bytes: /cnab, /cnab/app and
// /cnab/app/run (0755), plus extra files (absolute path -> content, mode
// 0644) for look-alike images, in one layer with no base image
// (images.BuildFromFiles).
func Image(program []byte, extra map[string][]byte) (v1.Image, error) {
	if len(program) == 0 {
		return nil, errors.New("probe image: empty program")
	}
	files := map[string]images.File{"/" + RunPath: {Content: program, Mode: 0o755}}
	for n, b := range extra {
		n = path.Clean("/" + n)
		if n == "/"+RunPath || n == "/" {
			return nil, fmt.Errorf("probe image: extra file %q clashes with the probe", n)
		}
		files[n] = images.File{Content: b, Mode: 0o644}
	}
	return images.BuildFromFiles(files, images.WithEntrypoint("/"+RunPath))
}

// Pushed describes an image in a registry.
type Pushed struct {
	Ref       string // the reference as pushed (repository:tag)
	Digest    string // manifest digest
	Size      int64  // manifest size
	MediaType string // manifest media type
}

// Digested is the repository@digest form of the reference.
func (p Pushed) Digested() string {
	repo := p.Ref
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	return repo + "@" + p.Digest
}

// Push uploads img to ref (HOST:PORT/repo:tag) with images.Push.
func Push(ctx context.Context, img v1.Image, ref string) (Pushed, error) {
	p, err := images.Push(ctx, img, ref)
	if err != nil {
		return Pushed{}, err
	}
	return Pushed{Ref: ref, Digest: p.Digest, Size: p.Size, MediaType: p.MediaType}, nil
}

// BuildAndPush gets the probe binary, builds the probe image (with extra
// files, nil for the plain probe) and pushes it to ref.
func BuildAndPush(ctx context.Context, cfg Config, ref string, extra map[string][]byte) (Pushed, error) {
	bin, err := Binary(ctx, cfg)
	if err != nil {
		return Pushed{}, err
	}
	prog, err := os.ReadFile(bin)
	if err != nil {
		return Pushed{}, fmt.Errorf("read probe binary: %w", err)
	}
	img, err := Image(prog, extra)
	if err != nil {
		return Pushed{}, fmt.Errorf("probe image: %w", err)
	}
	return Push(ctx, img, ref)
}
