package validator

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cnab-conformance/cnab-conformance/internal/testutil"
	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
)

// The golden corpus test: every document under fixtures/bundles is validated
// and its findings (rule, pointer, severity) compared exactly with its
// sidecar, NAME.json.expect. The sidecar format is documented in
// fixtures/bundles/README.md. Run with -update to rewrite the finding lines
// of every sidecar (directives and comments are kept); review the diff.

var updateCorpus = flag.Bool("update", false, "rewrite the fixtures/bundles sidecars from the current findings")

// corpusDir is fixtures/bundles at the repository root.
func corpusDir(t testing.TB) string {
	return filepath.Join(testutil.RepoRoot(t), "fixtures", "bundles")
}

// sidecar is a parsed NAME.json.expect.
type sidecar struct {
	spec     Spec
	kind     Kind
	options  []string // e.g. "require-canonical"
	also     []string // rule IDs an invalid fixture may show besides its own
	header   []string // directive and comment lines, kept by -update
	findings []string // "RULE POINTER SEVERITY", pointer as written
}

func readSidecar(path string) (sidecar, error) {
	var sc sidecar
	data, err := os.ReadFile(path)
	if err != nil {
		return sc, err
	}
	s := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "#"):
			sc.header = append(sc.header, line)
			key, val, ok := strings.Cut(strings.TrimSpace(line[1:]), ":")
			if !ok {
				continue
			}
			val = strings.TrimSpace(val)
			switch strings.TrimSpace(key) {
			case "spec":
				sc.spec = Spec(val)
				if !sc.spec.Known() {
					return sc, fmt.Errorf("%s:%d: unknown spec %q", path, n, val)
				}
			case "kind":
				sc.kind = Kind(val)
				if !slices.Contains(Kinds, sc.kind) {
					return sc, fmt.Errorf("%s:%d: unknown kind %q", path, n, val)
				}
			case "options":
				sc.options = strings.Fields(val)
			case "also":
				ids, _, _ := strings.Cut(val, "(")
				sc.also = strings.Fields(ids)
			}
		default:
			rule, ptr, sev, err := parseFindingLine(line)
			if err != nil {
				return sc, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			sc.findings = append(sc.findings, findingLine(rule, ptr, sev))
		}
	}
	sort.Strings(sc.findings)
	return sc, s.Err()
}

// parseFindingLine reads `RULE POINTER SEVERITY`; the pointer is bare, or a
// Go-quoted string ("" for the document root, or one holding spaces).
func parseFindingLine(line string) (rule, ptr, sev string, err error) {
	rule, rest, ok := strings.Cut(line, " ")
	if !ok {
		return "", "", "", errors.New("want RULE POINTER SEVERITY")
	}
	rest = strings.TrimSpace(rest)
	i := strings.LastIndexByte(rest, ' ')
	if i < 0 {
		return "", "", "", errors.New("want RULE POINTER SEVERITY")
	}
	ptr, sev = strings.TrimSpace(rest[:i]), rest[i+1:]
	if strings.HasPrefix(ptr, `"`) {
		if ptr, err = strconv.Unquote(ptr); err != nil {
			return "", "", "", fmt.Errorf("pointer: %v", err)
		}
	}
	if _, err := ParseSeverity(sev); err != nil {
		return "", "", "", err
	}
	return rule, ptr, sev, nil
}

// findingLine writes a finding as a sidecar line.
func findingLine(rule, ptr, sev string) string {
	if ptr == "" || strings.ContainsAny(ptr, " \t\"") {
		ptr = strconv.Quote(ptr)
	}
	return rule + " " + ptr + " " + sev
}

func (sc sidecar) write(path string, findings []string) error {
	var b strings.Builder
	for _, h := range sc.header {
		b.WriteString(h + "\n")
	}
	for _, f := range findings {
		b.WriteString(f + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// corpusFixture is one document of the corpus with its sidecar.
type corpusFixture struct {
	rel  string // path under fixtures/bundles, slash-separated
	path string
	sc   sidecar
}

func loadCorpus(t *testing.T) []corpusFixture {
	t.Helper()
	root := corpusDir(t)
	if _, err := os.Stat(root); err != nil {
		t.Fatalf("corpus folder: %v", err)
	}
	var out []corpusFixture
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		sc, err := readSidecar(p + ".expect")
		if err != nil && !(*updateCorpus && errors.Is(err, fs.ErrNotExist)) {
			return err
		}
		out = append(out, corpusFixture{rel: filepath.ToSlash(rel), path: p, sc: sc})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("the corpus is empty")
	}
	return out
}

// corpusOptions turns sidecar directives into validation options.
func corpusOptions(sc sidecar) Options {
	o := Options{Spec: sc.spec, Kind: sc.kind}
	for _, opt := range sc.options {
		if opt == "require-canonical" {
			o.RequireCanonical = true
		}
	}
	return o
}

// corpusFindings validates one fixture and returns its sidecar lines, sorted.
func corpusFindings(t *testing.T, f corpusFixture) []string {
	t.Helper()
	data, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fd := range validateForCorpus(t, f.rel, data, corpusOptions(f.sc)) {
		out = append(out, findingLine(fd.Rule, fd.Pointer, fd.Severity.String()))
	}
	sort.Strings(out)
	return out
}

func TestCorpusGolden(t *testing.T) {
	for _, f := range loadCorpus(t) {
		t.Run(f.rel, func(t *testing.T) {
			got := corpusFindings(t, f)
			want := f.sc.findings
			if *updateCorpus {
				if !slices.Equal(got, want) || f.sc.findings == nil && f.sc.header == nil {
					if err := f.sc.write(f.path+".expect", got); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			if !slices.Equal(got, want) {
				t.Errorf("findings differ from %s.expect (run go test ./validator -run TestCorpusGolden -update and review the diff)\n got:\n\t%s\nwant:\n\t%s",
					f.rel, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}

// invalidID is the rule ID an invalid fixture is named after:
// invalid/B-101-09.json and invalid/B-101-09-2.json both give B-101-09.
func invalidID(rel string) string {
	name := strings.TrimSuffix(strings.TrimPrefix(rel, "invalid/"), ".json")
	if _, ok := catalog.Lookup(name); ok {
		return name
	}
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

// TestCorpusInvalidFixtures: each invalid fixture shows its own rule, and no
// other rule at warning or error level except those its "also" directive
// names (forms the schema rejects as well, such as a missing schemaVersion).
func TestCorpusInvalidFixtures(t *testing.T) {
	for _, f := range loadCorpus(t) {
		if !strings.HasPrefix(f.rel, "invalid/") {
			continue
		}
		t.Run(f.rel, func(t *testing.T) {
			id := invalidID(f.rel)
			if _, ok := catalog.Lookup(id); !ok {
				t.Fatalf("fixture is named after %s, which is not in the catalogue", id)
			}
			own := false
			var others []string
			seen := map[string]bool{}
			for _, line := range corpusFindings(t, f) {
				rule, _, sev, _ := parseFindingLine(line)
				seen[rule] = true
				if rule == id {
					own = true
					continue
				}
				if sev != "info" && !slices.Contains(f.sc.also, rule) && !slices.Contains(others, rule) {
					others = append(others, rule)
				}
			}
			for _, a := range f.sc.also {
				if !seen[a] {
					t.Errorf("the also directive names %s, which the fixture does not produce; remove it", a)
				}
			}
			if !own {
				t.Errorf("fixture does not produce %s", id)
			}
			if others != nil {
				t.Errorf("fixture for %s also produces %v at warning or error level; make it minimal, or list them in an \"# also:\" directive with the reason", id, others)
			}
		})
	}
}

// enforcedDocRules are the catalogue IDs the validator claims to check in a
// document: every registered rule, and every D/C rule the catalogue says
// the schema enforces.
func enforcedDocRules() []string {
	ids := map[string]bool{}
	for _, r := range docRules {
		ids[r.ID] = true
	}
	for _, r := range catalog.All() {
		if r.Schema && (slices.Contains(r.Targets, "D") || slices.Contains(r.Targets, "C")) && r.Level != catalog.Informative {
			ids[r.ID] = true
		}
	}
	out := make([]string, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// TestCorpusCoversEveryRule: every enforced document rule has an invalid
// fixture.
func TestCorpusCoversEveryRule(t *testing.T) {
	have := map[string]bool{}
	for _, f := range loadCorpus(t) {
		if strings.HasPrefix(f.rel, "invalid/") {
			have[invalidID(f.rel)] = true
		}
	}
	for _, id := range enforcedDocRules() {
		if !have[id] {
			t.Errorf("rule %s has no fixture under fixtures/bundles/invalid/", id)
		}
	}
}

// TestCorpusValidIsClean: nothing in valid/ is an error, every known spec
// version has a folder, and every legacy document shows at least one
// breaking-change rule.
func TestCorpusValidIsClean(t *testing.T) {
	specs := map[Spec]bool{}
	for _, f := range loadCorpus(t) {
		switch {
		case strings.HasPrefix(f.rel, "valid/"):
			specs[Spec(strings.Split(f.rel, "/")[1])] = true
			for _, line := range corpusFindings(t, f) {
				if _, _, sev, _ := parseFindingLine(line); sev == "error" {
					t.Errorf("%s: %s", f.rel, line)
				}
			}
		case strings.HasPrefix(f.rel, "legacy/"):
			bc := false
			for _, line := range corpusFindings(t, f) {
				bc = bc || strings.HasPrefix(line, "BC-")
			}
			if !bc {
				t.Errorf("%s: a legacy document without any breaking-change finding", f.rel)
			}
		}
	}
	for _, s := range Specs {
		if !specs[s] {
			t.Errorf("no valid fixtures for spec %s (want fixtures/bundles/valid/%s/)", s, s)
		}
	}
}

// validateForCorpus runs the public pipeline on one fixture.
func validateForCorpus(t *testing.T, name string, data []byte, opts Options) []Finding {
	t.Helper()
	res, err := Validate(name, data, opts)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res.Findings
}
