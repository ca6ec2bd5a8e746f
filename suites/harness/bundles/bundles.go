package bundles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	suitebundles "github.com/cnab-conformance/cnab-conformance/fixtures/suite-bundles"
	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
)

// Image is an image pushed during the run.
type Image struct {
	Ref       string // full reference the bundle names (host/repo@digest or host/repo:tag)
	Digest    string // manifest digest
	Size      int64  // manifest size
	MediaType string // manifest media type
}

// Data is what a template sees.
type Data struct {
	SchemaVersion string // e.g. "v1.2.0"; also picks the canonical JSON form
	Name          string // bundle name (unique per run, so repositories do not collide)
	Version       string // bundle version; templates may hard-code their own
	Invocation    Image  // the probe invocation image
	Images        map[string]Image
	Vars          map[string]any // anything else a template needs
}

// SchemaVersionFor maps a spec version ("1.2.0", "1.1", "main") to the
// schemaVersion a bundle of that version declares.
func SchemaVersionFor(spec string) string {
	v := strings.TrimPrefix(strings.TrimSpace(spec), "v")
	switch v {
	case "", "main":
		return "v1.2.0"
	case "1.0", "1.0.0":
		return "v1.0.0"
	case "1.1":
		return "v1.1.0"
	case "1.2":
		return "v1.2.0"
	}
	return "v" + v
}

// Templates lists the templates of a profile ("smoke" -> ["smoke/probe"]).
func Templates(profile string) ([]string, error) {
	return templatesIn(suitebundles.FS, profile)
}

func templatesIn(fsys fs.FS, profile string) ([]string, error) {
	matches, err := fs.Glob(fsys, profile+"/*.json.tmpl")
	if err != nil {
		return nil, err
	}
	for i, m := range matches {
		matches[i] = strings.TrimSuffix(m, ".json.tmpl")
	}
	sort.Strings(matches)
	return matches, nil
}

// Render renders the embedded template name ("smoke/probe") into canonical
// bundle.json bytes.
func Render(name string, data Data) ([]byte, error) {
	return RenderFS(suitebundles.FS, name, data)
}

// RenderFS renders the template name+".json.tmpl" of fsys.
func RenderFS(fsys fs.FS, name string, data Data) ([]byte, error) {
	file := name + ".json.tmpl"
	text, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("bundle template %s: %w", name, err)
	}
	tm, err := template.New(path.Base(file)).Option("missingkey=error").Funcs(template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"image": func(n string) (Image, error) {
			img, ok := data.Images[n]
			if !ok {
				return Image{}, fmt.Errorf("no image %q in the data", n)
			}
			return img, nil
		},
	}).Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("bundle template %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := tm.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("bundle template %s: %w", name, err)
	}
	mode, err := canonical.ModeForSpec(data.SchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("bundle template %s: %w", name, err)
	}
	out, err := canonical.Canonicalize(buf.Bytes(), mode)
	if err != nil {
		return nil, fmt.Errorf("bundle template %s renders to invalid JSON: %w\n%s", name, err, buf.String())
	}
	return out, nil
}

// WriteFile renders name into dir/bundle.json and returns the path and the bytes.
func WriteFile(dir, name string, data Data) (string, []byte, error) {
	b, err := Render(name, data)
	if err != nil {
		return "", nil, err
	}
	p := filepath.Join(dir, "bundle.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return "", nil, err
	}
	return p, b, nil
}
