package images

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"path"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// File is one regular file of an image layer.
type File struct {
	Content []byte
	Mode    int64 // permission bits; 0 means 0644
}

// BuildOption adjusts the image configuration.
type BuildOption func(*v1.Config)

// WithEntrypoint sets the image's entrypoint.
func WithEntrypoint(argv ...string) BuildOption {
	return func(c *v1.Config) { c.Entrypoint = argv }
}

// WithCmd sets the image's default command.
func WithCmd(argv ...string) BuildOption { return func(c *v1.Config) { c.Cmd = argv } }

// WithEnv adds KEY=VALUE entries to the image's environment.
func WithEnv(kv ...string) BuildOption { return func(c *v1.Config) { c.Env = append(c.Env, kv...) } }

// WithLabels sets image labels.
func WithLabels(labels map[string]string) BuildOption {
	return func(c *v1.Config) {
		if c.Labels == nil {
			c.Labels = map[string]string{}
		}
		for k, v := range labels {
			c.Labels[k] = v
		}
	}
}

// BuildFromFiles returns a linux/amd64 OCI image with a single layer holding
// files (keys are absolute or relative paths inside the image; parent
// directories are created 0755). Timestamps are zero, so the digest depends
// only on the input.
func BuildFromFiles(files map[string]File, opts ...BuildOption) (v1.Image, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("images: no files to build an image from")
	}
	data, err := tarFiles(files)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, fmt.Errorf("images: layer: %w", err)
	}
	return assemble([]v1.Layer{layer}, opts)
}

// Random returns an image of layers layers of seeded pseudo-random content:
// the same seed and layer count always give the same digest, different
// seeds give different images. Used for component images.
func Random(seed int64, layers int, opts ...BuildOption) (v1.Image, error) {
	if layers < 1 {
		return nil, fmt.Errorf("images: an image needs at least one layer, got %d", layers)
	}
	rng := rand.New(rand.NewSource(seed))
	ls := make([]v1.Layer, 0, layers)
	for i := 0; i < layers; i++ {
		content := make([]byte, 256+rng.Intn(768))
		rng.Read(content)
		data, err := tarFiles(map[string]File{fmt.Sprintf("/data/layer-%d-%d.bin", seed, i): {Content: content}})
		if err != nil {
			return nil, err
		}
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		}, tarball.WithMediaType(types.OCILayer))
		if err != nil {
			return nil, fmt.Errorf("images: layer: %w", err)
		}
		ls = append(ls, l)
	}
	return assemble(ls, opts)
}

func assemble(layers []v1.Layer, opts []BuildOption) (v1.Image, error) {
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	img, err := mutate.AppendLayers(base, layers...)
	if err != nil {
		return nil, fmt.Errorf("images: append layers: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("images: config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	for _, o := range opts {
		o(&cf.Config)
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("images: config: %w", err)
	}
	return img, nil
}

// tarFiles writes a reproducible tar: sorted entries, zero times, root owner.
func tarFiles(files map[string]File) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		clean := strings.TrimPrefix(path.Clean("/"+n), "/")
		if clean == "" || clean == "." {
			return nil, fmt.Errorf("images: bad file path %q", n)
		}
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	for _, n := range names {
		clean := strings.TrimPrefix(path.Clean("/"+n), "/")
		// Parent directories first, once each.
		parts := strings.Split(clean, "/")
		for i := 1; i < len(parts); i++ {
			dir := strings.Join(parts[:i], "/") + "/"
			if dirs[dir] {
				continue
			}
			dirs[dir] = true
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, Format: tar.FormatPAX}); err != nil {
				return nil, err
			}
		}
		f := files[n]
		mode := f.Mode
		if mode == 0 {
			mode = 0o644
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: clean, Mode: mode,
			Size: int64(len(f.Content)), Format: tar.FormatPAX}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.Content); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Pushed describes an image written to a registry.
type Pushed struct {
	Ref          string // REGISTRY/REPO@DIGEST
	Tagged       string // the reference as given (may carry a tag)
	Repository   string // REGISTRY/REPO
	Digest       string // manifest digest (what a bundle's contentDigest holds)
	Size         int64  // manifest size in bytes
	MediaType    string // manifest media type
	ConfigDigest string // config digest, i.e. the image ID (never a contentDigest)
}

// PushOption adjusts Push.
type PushOption func(*pushOptions)

type pushOptions struct{ insecure bool }

// Insecure forces plain HTTP (127.0.0.1 and localhost use it anyway).
func Insecure() PushOption { return func(o *pushOptions) { o.insecure = true } }

// Push writes img to ref (REGISTRY/REPO:TAG or REGISTRY/REPO@DIGEST):
// layers and config first, the manifest last.
func Push(ctx context.Context, img v1.Image, ref string, opts ...PushOption) (Pushed, error) {
	var o pushOptions
	for _, opt := range opts {
		opt(&o)
	}
	r, err := client.ParseRef(ref)
	if err != nil {
		return Pushed{}, fmt.Errorf("images: %w", err)
	}
	c := client.New(client.Insecure(o.insecure))
	layers, err := img.Layers()
	if err != nil {
		return Pushed{}, fmt.Errorf("images: %w", err)
	}
	for _, l := range layers {
		rc, err := l.Compressed()
		if err != nil {
			return Pushed{}, fmt.Errorf("images: layer: %w", err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return Pushed{}, fmt.Errorf("images: layer: %w", err)
		}
		if _, err := c.PutBlob(ctx, r.Repo, b); err != nil {
			return Pushed{}, fmt.Errorf("images: push %s: %w", ref, err)
		}
	}
	cfg, err := img.RawConfigFile()
	if err != nil {
		return Pushed{}, fmt.Errorf("images: config: %w", err)
	}
	if _, err := c.PutBlob(ctx, r.Repo, cfg); err != nil {
		return Pushed{}, fmt.Errorf("images: push %s: %w", ref, err)
	}
	raw, err := img.RawManifest()
	if err != nil {
		return Pushed{}, fmt.Errorf("images: manifest: %w", err)
	}
	mt, err := img.MediaType()
	if err != nil {
		return Pushed{}, fmt.Errorf("images: manifest: %w", err)
	}
	if _, err := c.PutManifest(ctx, r.Repo, r.Reference(), string(mt), raw); err != nil {
		return Pushed{}, fmt.Errorf("images: push %s: %w", ref, err)
	}
	return Describe(img, ref, r.Repo.String())
}

// Describe returns what Push would report for img at ref without pushing.
func Describe(img v1.Image, ref, repository string) (Pushed, error) {
	d, err := img.Digest()
	if err != nil {
		return Pushed{}, err
	}
	size, err := img.Size()
	if err != nil {
		return Pushed{}, err
	}
	mt, err := img.MediaType()
	if err != nil {
		return Pushed{}, err
	}
	cfg, err := img.ConfigName()
	if err != nil {
		return Pushed{}, err
	}
	return Pushed{Ref: repository + "@" + d.String(), Tagged: ref, Repository: repository,
		Digest: d.String(), Size: size, MediaType: string(mt), ConfigDigest: cfg.String()}, nil
}
