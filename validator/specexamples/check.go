package specexamples

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/canonical"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// Mode says how a block was checked.
type Mode string

// Modes.
const (
	Document   Mode = "document"    // validated as a whole document
	Fragment   Mode = "fragment"    // a bundle excerpt, completed with placeholders
	SyntaxOnly Mode = "syntax-only" // an excerpt of unknown context: JSON syntax only
	Skipped    Mode = "skipped"     // hinted with skip
	NotJSON    Mode = "not-json"
)

// Result is what checking one block gave.
type Result struct {
	Block    Block
	Kind     validator.Kind
	Mode     Mode
	Findings []validator.Finding // positions are markdown lines and columns
}

// Options configure a check.
type Options struct {
	// Spec validates against this version; empty lets each document's
	// schemaVersion decide (a hint's spec= wins).
	Spec validator.Spec
	// MinSeverity is the lowest severity reported; the zero value reports
	// errors only (examples are illustrations, so warnings such as a missing
	// contentDigest are noise by default). Set IncludeWarnings to lower it.
	IncludeWarnings bool
	// SchemaDir validates against this schema folder (a spec pull request's
	// schema/) instead of the embedded schemas.
	SchemaDir string
	// Validate is the validator; nil means validator.Validate.
	Validate func(file string, data []byte, opts validator.Options) (validator.Result, error)
}

func (o Options) validate() func(string, []byte, validator.Options) (validator.Result, error) {
	if o.Validate != nil {
		return o.Validate
	}
	return validator.Validate
}

// CheckDir checks every *.md file under dir (recursively), in path order.
// Findings name each file by its path as walked (dir joined with the
// file's path below it).
func CheckDir(dir string, opts Options) ([]Result, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == ".git" || e.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !e.IsDir() && strings.EqualFold(filepath.Ext(p), ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Result
	for _, f := range files {
		md, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		rs, err := CheckMarkdown(filepath.ToSlash(f), md, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// CheckMarkdown checks every json block of one markdown file.
func CheckMarkdown(file string, md []byte, opts Options) ([]Result, error) {
	var out []Result
	for _, b := range Extract(file, md) {
		r, err := CheckBlock(b, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

var (
	placeholderRe = regexp.MustCompile(`\.\.\.|…`)
	yamlLineRe    = regexp.MustCompile(`(?m)^\s*(- )?[A-Za-z_][\w.-]*:(\s|$)`)
)

// CheckBlock checks one block.
func CheckBlock(b Block, opts Options) (Result, error) {
	r := Result{Block: b}
	if b.Hint.Skip {
		r.Mode = Skipped
		return r, nil
	}
	if len(b.Hint.Unknown) > 0 {
		r.Findings = append(r.Findings, finding(b, 0, 0, "V-08", validator.Warning,
			fmt.Sprintf("hint comment has words cnab-validate does not understand: %s (known: skip, kind=KIND, fragment, spec=VERSION)", strings.Join(b.Hint.Unknown, " "))))
	}
	if f, bad := syntax(b); bad {
		r.Mode = NotJSON
		r.Findings = append(r.Findings, f)
		return r, nil
	}
	var root any
	dec := json.NewDecoder(bytes.NewReader(b.Text))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		// The strict parser accepted it; encoding/json should too.
		return r, fmt.Errorf("%s:%d: decoding a block the syntax check passed: %w", b.File, b.Line, err)
	}
	spec := opts.Spec
	if b.Hint.Spec != "" {
		spec = validator.Spec(b.Hint.Spec)
		if !spec.Known() {
			r.Mode = SyntaxOnly
			r.Findings = append(r.Findings, finding(b, 0, 0, "V-08", validator.Warning,
				fmt.Sprintf("hint names unknown spec version %q; the block was only checked for JSON syntax", b.Hint.Spec)))
			return r, nil
		}
	}
	if b.Hint.Kind != "" && !slices.Contains(validator.Kinds, validator.Kind(b.Hint.Kind)) {
		r.Mode = SyntaxOnly
		r.Findings = append(r.Findings, finding(b, 0, 0, "V-08", validator.Warning,
			fmt.Sprintf("hint names unknown document kind %q; the block was only checked for JSON syntax", b.Hint.Kind)))
		return r, nil
	}
	kind, whole := kindOf(b, root)
	r.Kind = kind
	switch {
	case kind == "":
		r.Mode = SyntaxOnly
		return r, nil
	case whole:
		r.Mode = Document
		res, err := opts.validate()(b.File, b.Text, validator.Options{Kind: kind, Spec: spec, SchemaDir: opts.SchemaDir})
		if err != nil {
			return r, err
		}
		for _, f := range res.Findings {
			if keep(f, opts) {
				r.Findings = append(r.Findings, relocate(b, f, f.Line, f.Column))
			}
		}
		return r, nil
	}
	// A bundle fragment: complete it, validate, keep what lies inside it.
	m := root.(map[string]any)
	r.Mode = Fragment
	doc := completeBundle(m, spec)
	data, err := json.Marshal(doc)
	if err != nil {
		return r, err
	}
	res, err := opts.validate()(b.File, data, validator.Options{Kind: validator.KindBundle, Spec: spec, SchemaDir: opts.SchemaDir})
	if err != nil {
		return r, err
	}
	for _, f := range res.Findings {
		top := topKey(f.Pointer)
		if _, shown := m[top]; !shown || f.Pointer == "" || !keep(f, opts) || crossReference(f.Rule, m) {
			continue
		}
		line, col := 0, 0
		if off, _ := jsontree.Locate(b.Text, f.Pointer); off >= 0 {
			line, col = jsontree.LineCol(b.Text, off)
		}
		r.Findings = append(r.Findings, relocate(b, f, line, col))
	}
	return r, nil
}

// illustrationRules are rules an example is not expected to meet: spec
// examples show shapes, not bundles ready to publish.
var illustrationRules = map[string]bool{
	"B-101-14": true, // contentDigest on every image before transmission
}

func keep(f validator.Finding, opts Options) bool {
	if illustrationRules[f.Rule] {
		return false
	}
	if opts.IncludeWarnings {
		return f.Severity >= validator.Warning
	}
	return f.Severity >= validator.Error
}

// syntax reports a block that is not JSON, with the reason a spec author
// needs (a YAML block, a placeholder, a trailing comma).
func syntax(b Block) (validator.Finding, bool) {
	text := b.Text
	if len(bytes.TrimSpace(text)) == 0 {
		return finding(b, 1, 1, "V-09", validator.Error, "empty json block"), true
	}
	_, err := canonical.Canonicalize(text, canonical.JCS)
	var ce *canonical.Error
	if err == nil || !errors.As(err, &ce) || errors.Is(err, canonical.ErrNumber) {
		return validator.Finding{}, false
	}
	line, col := jsontree.LineCol(text, ce.Offset)
	rule := "V-01"
	msg := "not JSON: " + ce.Msg
	switch {
	case errors.Is(err, canonical.ErrDuplicateKey):
		rule, msg = "V-04", ce.Msg
	case errors.Is(err, canonical.ErrEncoding):
		rule = "V-02"
	case errors.Is(err, canonical.ErrDepth):
		rule = "V-05"
	case !bytes.HasPrefix(bytes.TrimSpace(text), []byte("{")) && !bytes.HasPrefix(bytes.TrimSpace(text), []byte("[")) && yamlLineRe.Match(text):
		line, col = 1, 1
		msg = "not JSON: this block looks like YAML; label it yaml (```yaml) or rewrite it as JSON"
	case placeholderRe.Match(text):
		msg += "; the block has a placeholder (...): mark it <!-- cnab-validate: skip --> if it is not meant to be JSON"
	}
	return finding(b, line, col, rule, validator.Error, msg), true
}

func finding(b Block, line, col int, rule string, sev validator.Severity, msg string) validator.Finding {
	f := validator.Finding{File: b.File, Rule: rule, Severity: sev, Message: msg}
	if line > 0 {
		f.Line, f.Column = b.Line+line, col
	} else {
		f.Line, f.Column = b.Line, 1
	}
	return f
}

// relocate moves a finding's position from the block to the markdown file.
func relocate(b Block, f validator.Finding, line, col int) validator.Finding {
	f.File = b.File
	if line > 0 {
		f.Line, f.Column = b.Line+line, col
	} else {
		f.Line, f.Column = b.Line, 1
	}
	return f
}

func topKey(pointer string) string {
	parts := jsontree.SplitPointer(pointer)
	if len(parts) == 0 {
		return ""
	}
	return parts[0]
}

// bundleRootKeys are the top-level fields a bundle may have in any version.
var bundleRootKeys = []string{"schemaVersion", "name", "version", "description", "keywords", "maintainers",
	"license", "invocationImages", "images", "credentials", "parameters", "outputs", "definitions",
	"actions", "custom", "requiredExtensions"}

// crossRefs lists rules that check one section against another; in a
// fragment that leaves the other section out they would only report noise.
var crossRefs = map[string][]string{
	"B-101-24": {"definitions"},
	"B-101-20": {"definitions"},
	"B-101-31": {"actions"},
	"B-101-35": {"parameters", "credentials"},
	"B-101-45": {"custom"},
	"X-810-01": {"parameters", "outputs"},
	"D-500-03": {"custom"},
}

func crossReference(rule string, m map[string]any) bool {
	for _, section := range crossRefs[rule] {
		if _, ok := m[section]; !ok {
			return true
		}
	}
	return false
}

// placeholders fill the required bundle fields a fragment leaves out.
func completeBundle(m map[string]any, spec validator.Spec) map[string]any {
	doc := make(map[string]any, len(m)+4)
	for k, v := range m {
		doc[k] = v
	}
	if _, ok := doc["schemaVersion"]; !ok {
		doc["schemaVersion"] = schemaVersionFor(spec)
	}
	if _, ok := doc["name"]; !ok {
		doc["name"] = "example"
	}
	if _, ok := doc["version"]; !ok {
		doc["version"] = "0.1.0"
	}
	if _, ok := doc["invocationImages"]; !ok {
		doc["invocationImages"] = []any{map[string]any{"imageType": "oci", "image": "example.com/example/installer:0.1.0"}}
	}
	return doc
}

func schemaVersionFor(spec validator.Spec) string {
	switch spec {
	case validator.SpecCore10:
		return "v1.0.0"
	case validator.SpecCore11, validator.SpecClaims100:
		return "v1.1.0"
	}
	return "v1.2.0"
}

// kindOf works out the kind a block shows, and whether it is a whole
// document (false: a bundle fragment; kind "": syntax only).
func kindOf(b Block, root any) (validator.Kind, bool) {
	if b.Hint.Kind != "" {
		k := validator.Kind(b.Hint.Kind)
		if k == validator.KindBundle && b.Hint.Fragment {
			if _, ok := root.(map[string]any); ok {
				return k, false
			}
		}
		return k, true
	}
	m, isObj := root.(map[string]any)
	if !isObj {
		return "", false
	}
	if k, ok := validator.DetectKind(root); ok {
		if k != validator.KindBundle {
			return k, true
		}
		_, sv := m["schemaVersion"]
		_, ii := m["invocationImages"]
		if sv || ii {
			return k, true
		}
	}
	if isBundleFragment(m) && contextKind(b) == validator.KindBundle {
		return validator.KindBundle, false
	}
	return "", false
}

func isBundleFragment(m map[string]any) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		if !slices.Contains(bundleRootKeys, k) {
			return false
		}
	}
	return true
}

// contextKind is the kind the block's heading, or failing that its file,
// talks about.
func contextKind(b Block) validator.Kind {
	h := strings.ToLower(b.Heading)
	switch {
	case strings.Contains(h, "claim result"):
		return validator.KindClaimResult
	case strings.Contains(h, "claim"):
		return validator.KindClaim
	case strings.Contains(h, "dependenc"):
		return validator.KindDependencies
	case strings.Contains(h, "relocation"):
		return validator.KindRelocationMapping
	case strings.Contains(h, "parameter source"):
		return validator.KindParameterSources
	case strings.Contains(h, "status"):
		return validator.KindStatus
	case strings.Contains(h, "bundle"):
		return validator.KindBundle
	}
	base := filepath.Base(b.File)
	switch {
	case strings.HasPrefix(base, "101"), strings.HasPrefix(base, "104"), strings.HasPrefix(base, "201"),
		strings.HasPrefix(base, "810"), strings.HasPrefix(base, "804"):
		// 810 and 804 show bundles that declare the extension or action.
		return validator.KindBundle
	case strings.HasPrefix(base, "103"):
		return validator.KindRelocationMapping
	case strings.HasPrefix(base, "400"):
		return validator.KindClaim
	case strings.HasPrefix(base, "500"):
		return validator.KindDependencies
	}
	return ""
}
