package schemadiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
)

// Set is a loaded schema folder: every *.json file at its top level, indexed
// by file name and by every alias of its $id.
type Set struct {
	Name  string // what the user called it (a version name or a folder)
	files map[string]*file
	byID  map[string]*file
}

type file struct {
	name string // base name, e.g. bundle.schema.json
	base *url.URL
	root any
}

// Files lists the schema file names, sorted.
func (s *Set) Files() []string {
	out := make([]string, 0, len(s.files))
	for n := range s.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// LoadDir loads the schema files of a folder.
func LoadDir(dir string) (*Set, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	return LoadFS(os.DirFS(dir), dir)
}

// maxSchemaSize bounds each schema file read; CNAB schemas are a few KB.
const maxSchemaSize = 8 << 20

// LoadFS loads the schema files at the root of fsys. A folder without a
// single schema file is an error (almost always a wrong path).
func LoadFS(fsys fs.FS, name string) (*Set, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &Set{Name: name, files: map[string]*file{}, byID: map[string]*file{}}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Size() > maxSchemaSize {
			return nil, fmt.Errorf("%s/%s: schema larger than %d bytes", name, e.Name(), maxSchemaSize)
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", name, e.Name(), err)
		}
		if err := s.add(e.Name(), data); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", name, e.Name(), err)
		}
	}
	if len(s.files) == 0 {
		return nil, fmt.Errorf("%s: no *.json schema files", name)
	}
	return s, nil
}

func (s *Set) add(name string, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	switch root.(type) {
	case map[string]any, bool:
	default:
		return fmt.Errorf("not a JSON schema (an object or a boolean)")
	}
	f := &file{name: name, root: root}
	f.base, _ = url.Parse("file:///" + url.PathEscape(name))
	if m, ok := root.(map[string]any); ok {
		if id, ok := m["$id"].(string); ok && id != "" {
			if u, err := url.Parse(id); err == nil && u.IsAbs() {
				f.base = u
			}
		}
	}
	s.files[name] = f
	for _, alias := range idAliases(f.base) {
		s.byID[alias] = f
	}
	return nil
}

// idAliases are the keys a file can be found under: its $id without the
// fragment, in http and https (the spec switched scheme in PR #331, and the
// validator preloads both), and its file name.
func idAliases(u *url.URL) []string {
	c := *u
	c.Fragment = ""
	c.RawFragment = ""
	out := []string{c.String()}
	switch c.Scheme {
	case "http":
		c.Scheme = "https"
		out = append(out, c.String())
	case "https":
		c.Scheme = "http"
		out = append(out, c.String())
	}
	return append(out, "name:"+path.Base(u.Path))
}

// loc is a place in a schema: the file, the RFC 6901 pointer into it and the
// value found there.
type loc struct {
	f   *file
	ptr string
	val any
}

func (l loc) String() string { return l.f.name + "#" + l.ptr }

func (l loc) child(tokens ...string) loc {
	v := l.val
	p := l.ptr
	for _, t := range tokens {
		p += "/" + escapeToken(t)
		switch x := v.(type) {
		case map[string]any:
			v = x[t]
		case []any:
			i := 0
			if _, err := fmt.Sscanf(t, "%d", &i); err == nil && i >= 0 && i < len(x) {
				v = x[i]
			} else {
				v = nil
			}
		default:
			v = nil
		}
	}
	return loc{f: l.f, ptr: p, val: v}
}

func escapeToken(t string) string {
	t = strings.ReplaceAll(t, "~", "~0")
	return strings.ReplaceAll(t, "/", "~1")
}

func unescapeToken(t string) string {
	t = strings.ReplaceAll(t, "~1", "/")
	return strings.ReplaceAll(t, "~0", "~")
}

// resolve follows a $ref from within file f. ok is false when the target is
// outside the set (and not the draft-07 meta-schema) or the fragment is not a
// JSON pointer into it.
func (s *Set) resolve(f *file, ref string) (loc, bool) {
	u, err := url.Parse(ref)
	if err != nil {
		return loc{}, false
	}
	abs := f.base.ResolveReference(u)
	frag := abs.Fragment
	abs.Fragment, abs.RawFragment = "", ""
	var target *file
	if abs.String() == strings.SplitN(f.base.String(), "#", 2)[0] {
		target = f
	} else if t, ok := s.byID[abs.String()]; ok {
		target = t
	} else if isDraft07(abs) {
		target = draft07File()
	} else if t, ok := s.byID["name:"+path.Base(abs.Path)]; ok && !abs.IsAbs() {
		target = t
	} else if t, ok := s.byID["name:"+path.Base(abs.Path)]; ok && abs.Scheme == "file" {
		target = t
	}
	if target == nil {
		return loc{}, false
	}
	l := loc{f: target, ptr: "", val: target.root}
	if frag == "" {
		return l, true
	}
	if !strings.HasPrefix(frag, "/") {
		return loc{}, false // plain-name anchors are not used by CNAB schemas
	}
	for _, t := range strings.Split(frag[1:], "/") {
		l = l.child(unescapeToken(t))
		if l.val == nil {
			return loc{}, false
		}
	}
	return l, true
}

func isDraft07(u *url.URL) bool {
	return u.Host == "json-schema.org" && strings.TrimSuffix(u.Path, "#") == "/draft-07/schema"
}
