package validator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"

	"github.com/cnab-conformance/cnab-conformance/validator/internal/fastschema"
	"github.com/cnab-conformance/cnab-conformance/validator/schemas"
)

// kindFiles names each kind's schema file, as in the spec repository.
var kindFiles = map[Kind]string{
	KindBundle:            "bundle.schema.json",
	KindClaim:             "claim.schema.json",
	KindClaimResult:       "claim-result.schema.json",
	KindDependencies:      "dependencies.schema.json",
	KindParameterSources:  "parameter-sources.schema.json",
	KindRelocationMapping: "relocation-mapping.schema.json",
	KindStatus:            "status.schema.json",
}

// metaSchemaIDs are served by gojsonschema itself; nothing is fetched.
var metaSchemaIDs = map[string]bool{
	"http://json-schema.org/draft-04/schema": true,
	"http://json-schema.org/draft-06/schema": true,
	"http://json-schema.org/draft-07/schema": true,
}

// schemaSet is one folder of schemas (a spec version, or --schema-dir),
// compiled once on first use and then shared by every goroutine.
type schemaSet struct {
	label   string
	files   map[string][]byte // file name -> bytes
	useFast bool              // the fast path is proven only on our own schemas

	once  sync.Once
	kinds map[Kind]*kindSchema
	// gsLoad loads every file into the gojsonschema loader; with the fast
	// path it runs only when a document first needs gojsonschema (most
	// runs never do: compiling costs more than checking thousands of
	// valid documents). gsMu serialises it and every Compile, since the
	// loader's document pool is not safe for concurrent use.
	gsMu   sync.Mutex
	gsLoad func() map[string]error // file name -> load error
	loader *gojsonschema.SchemaLoader
	// Dropped lists the patterns removed because RE2 cannot compile them
	// (CNAB Core 1.0's lookahead; rule B-101-26 checks that in code).
	Dropped []string
}

type kindSchema struct {
	fast *fastschema.Schema
	err  error

	set      *schemaSet
	file     string
	primary  string
	files    []string // the files reachable from this kind's schema
	gsDone   bool     // guarded by set.gsMu
	gsSchema *gojsonschema.Schema
	gsErr    error
}

// gs returns the kind's gojsonschema schema, compiling it on first use.
func (ks *kindSchema) gs() (*gojsonschema.Schema, error) {
	s := ks.set
	s.gsMu.Lock()
	defer s.gsMu.Unlock()
	if ks.gsDone {
		return ks.gsSchema, ks.gsErr
	}
	ks.gsDone = true
	loadErr := s.gsLoad()
	for _, f := range ks.files {
		if err := loadErr[f]; err != nil {
			ks.gsErr = fmt.Errorf("%s: %s: %v", s.label, f, err)
			return nil, ks.gsErr
		}
	}
	ks.gsSchema, ks.gsErr = s.loader.Compile(gojsonschema.NewReferenceLoader(ks.primary))
	if ks.gsErr != nil {
		ks.gsErr = fmt.Errorf("%s: %s: %v", s.label, ks.file, ks.gsErr)
	}
	return ks.gsSchema, ks.gsErr
}

// readSchemaFolder reads *.json at the root of fsys, or under schema/ when
// fsys is a checkout of the spec repository.
func readSchemaFolder(fsys fs.FS) (map[string][]byte, error) {
	read := func(dir string) (map[string][]byte, error) {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, err
		}
		out := map[string][]byte{}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			out[e.Name()] = b
		}
		return out, nil
	}
	files, err := read(".")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		if st, err := fs.Stat(fsys, "schema"); err == nil && st.IsDir() {
			return read("schema")
		}
	}
	return files, nil
}

// schemaAliases lists every URL a schema may be referred to by: its $id over http
// and https, with and without /specs/, claim vs claims, and the cnab.io URL
// named after the file. The spec changed these over time (PR #331 and the
// /specs/ ids of the extensions), and a $ref must match byte for byte.
func schemaAliases(id, name string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		u = strings.TrimSuffix(u, "#")
		for _, v := range []string{u, swapScheme(u)} {
			for _, w := range []string{v, toggleSpecs(v)} {
				for _, x := range []string{w, toggleClaims(w)} {
					if x != "" && !seen[x] {
						seen[x] = true
						out = append(out, x)
					}
				}
			}
		}
	}
	if id != "" {
		add(id)
	}
	add("https://cnab.io/v1/" + name)
	return out
}

func swapScheme(u string) string {
	switch {
	case strings.HasPrefix(u, "https://"):
		return "http://" + strings.TrimPrefix(u, "https://")
	case strings.HasPrefix(u, "http://"):
		return "https://" + strings.TrimPrefix(u, "http://")
	}
	return u
}

func toggleSpecs(u string) string {
	if strings.Contains(u, "cnab.io/specs/v1/") {
		return strings.Replace(u, "cnab.io/specs/v1/", "cnab.io/v1/", 1)
	}
	return strings.Replace(u, "cnab.io/v1/", "cnab.io/specs/v1/", 1)
}

func toggleClaims(u string) string {
	switch {
	case strings.HasSuffix(u, "/claims.schema.json"):
		return strings.TrimSuffix(u, "claims.schema.json") + "claim.schema.json"
	case strings.HasSuffix(u, "/claim.schema.json"):
		return strings.TrimSuffix(u, "claim.schema.json") + "claims.schema.json"
	}
	return u
}

func decodeSchema(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// prepare decodes a schema file, removes patterns RE2 cannot compile and
// returns its $ref targets (absolute, without fragment).
func prepare(b []byte, base string, dropped *[]string, name string) (any, []string, error) {
	doc, err := decodeSchema(b)
	if err != nil {
		return nil, nil, err
	}
	var refs []string
	baseURL, _ := url.Parse(base)
	var walk func(v any, ptr string, schemaPos bool)
	walk = func(v any, ptr string, schemaPos bool) {
		switch x := v.(type) {
		case map[string]any:
			if schemaPos {
				if p, ok := x["pattern"].(string); ok {
					if _, err := regexp.Compile(p); err != nil {
						delete(x, "pattern")
						*dropped = append(*dropped, fmt.Sprintf("%s#%s/pattern %q", name, ptr, p))
					}
				}
				if r, ok := x["$ref"].(string); ok && !strings.HasPrefix(r, "#") {
					if ru, err := url.Parse(r); err == nil && baseURL != nil {
						abs := baseURL.ResolveReference(ru)
						abs.Fragment = ""
						refs = append(refs, strings.TrimSuffix(abs.String(), "#"))
					}
				}
			}
			for k, e := range x {
				switch {
				case !schemaPos:
					walk(e, ptr+"/"+k, true)
				case k == "enum" || k == "const" || k == "default" || k == "examples":
				case k == "properties" || k == "patternProperties" || k == "definitions" || k == "dependencies":
					walk(e, ptr+"/"+k, false)
				default:
					walk(e, ptr+"/"+k, true)
				}
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s/%d", ptr, i), schemaPos)
			}
		}
	}
	walk(doc, "", true)
	return doc, refs, nil
}

func newSchemaSet(label string, files map[string][]byte, fast bool) *schemaSet {
	return &schemaSet{label: label, files: files, useFast: fast}
}

// kind returns the compiled schema of a kind, compiling the whole set once.
func (s *schemaSet) kind(k Kind) *kindSchema {
	s.once.Do(s.compile)
	if ks, ok := s.kinds[k]; ok {
		return ks
	}
	return &kindSchema{err: fmt.Errorf("%s has no %s", s.label, kindFiles[k])}
}

func (s *schemaSet) compile() {
	s.kinds = map[Kind]*kindSchema{}
	names := make([]string, 0, len(s.files))
	for n := range s.files {
		names = append(names, n)
	}
	sort.Strings(names)

	type entry struct {
		name    string
		primary string
		all     []string
		refs    []string
		err     error
	}
	owner := map[string]string{} // alias -> file name; first file wins
	var entries []*entry
	for _, n := range names {
		e := &entry{name: n}
		var probe map[string]any
		_ = json.Unmarshal(s.files[n], &probe)
		id, _ := probe["$id"].(string)
		for _, a := range schemaAliases(id, n) {
			if _, taken := owner[a]; !taken {
				owner[a] = n
				e.all = append(e.all, a)
			}
		}
		if len(e.all) == 0 {
			continue
		}
		e.primary = e.all[0]
		var dropped []string
		_, refs, err := prepare(s.files[n], e.primary, &dropped, n)
		e.refs, e.err = refs, err
		s.Dropped = append(s.Dropped, dropped...)
		entries = append(entries, e)
	}
	byName := map[string]*entry{}
	for _, e := range entries {
		byName[e.name] = e
	}

	// Loading every file under every alias into one loader; refs that point
	// outside the folder would make gojsonschema fetch them, so a kind that
	// reaches one is refused instead.
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.AutoDetect = false
	sl.Validate = false
	s.loader = sl
	var loadErr map[string]error
	s.gsLoad = func() map[string]error {
		if loadErr != nil {
			return loadErr
		}
		loadErr = map[string]error{}
		for _, e := range entries {
			if e.err != nil {
				continue
			}
			for _, a := range e.all {
				var ignored []string
				doc, _, _ := prepare(s.files[e.name], a, &ignored, e.name)
				if m, ok := doc.(map[string]any); ok {
					m["$id"] = a
				}
				if err := sl.AddSchemas(gojsonschema.NewGoLoader(doc)); err != nil {
					loadErr[e.name] = err
					break
				}
			}
		}
		return loadErr
	}
	fastDocs := fastschema.Docs{}
	if s.useFast {
		if meta, err := schemas.Meta(); err == nil {
			if m, err := decodeSchema(meta); err == nil {
				fastDocs["http://json-schema.org/draft-07/schema"] = m
			}
		}
		for _, e := range entries {
			if e.err != nil {
				continue
			}
			for _, a := range e.all {
				var ignored []string
				fdoc, _, _ := prepare(s.files[e.name], a, &ignored, e.name)
				if m, ok := fdoc.(map[string]any); ok {
					m["$id"] = a
				}
				fastDocs[a] = fdoc
			}
		}
	}

	for k, file := range kindFiles {
		e, ok := byName[file]
		if !ok {
			continue
		}
		ks := &kindSchema{set: s, file: file, primary: e.primary}
		s.kinds[k] = ks
		// every file reachable through $ref must be in the folder and loaded
		seen := map[string]bool{}
		queue := []*entry{e}
		for len(queue) > 0 && ks.err == nil {
			cur := queue[0]
			queue = queue[1:]
			if seen[cur.name] {
				continue
			}
			seen[cur.name] = true
			ks.files = append(ks.files, cur.name)
			if cur.err != nil {
				ks.err = fmt.Errorf("%s: %s: %v", s.label, cur.name, cur.err)
				break
			}
			for _, r := range cur.refs {
				if metaSchemaIDs[r] {
					continue
				}
				on, ok := owner[r]
				if !ok {
					ks.err = fmt.Errorf("%s: %s refers to %s, which is not in the folder (schemas are never fetched over the network)", s.label, cur.name, r)
					break
				}
				queue = append(queue, byName[on])
			}
		}
		if ks.err != nil {
			continue
		}
		if s.useFast {
			if fs, err := fastschema.Compile(fastDocs, e.primary); err == nil {
				ks.fast = fs
				// gojsonschema waits until a document needs it. The fast
				// path is only used on our embedded schemas, which the
				// agreement tests prove gojsonschema compiles.
				continue
			}
		}
		// Without the fast path every document needs gojsonschema: compile
		// now, and report a schema that does not compile for every document.
		if _, err := ks.gs(); err != nil {
			ks.err = err
		}
	}
}

// treeLoader hands gojsonschema the already decoded document: gojsonschema's
// own GoLoader would marshal and re-parse it.
type treeLoader struct {
	gojsonschema.JSONLoader
	root any
}

func (t treeLoader) JsonSource() any        { return t.root }
func (t treeLoader) LoadJSON() (any, error) { return t.root, nil }
func newTreeLoader(root any) gojsonschema.JSONLoader {
	return treeLoader{JSONLoader: gojsonschema.NewGoLoader(nil), root: root}
}

// embedded schema sets, one per spec version, compiled on first use.
var (
	embeddedMu   sync.Mutex
	embeddedSets = map[Spec]*schemaSet{}
)

func embeddedSet(spec Spec) *schemaSet {
	embeddedMu.Lock()
	defer embeddedMu.Unlock()
	if s, ok := embeddedSets[spec]; ok {
		return s
	}
	files := map[string][]byte{}
	if dir, err := schemas.Dir(string(spec)); err == nil {
		files, _ = readSchemaFolder(dir)
	}
	s := newSchemaSet("embedded "+string(spec)+" schemas", files, true)
	embeddedSets[spec] = s
	return s
}
