package validator

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cnab-conformance/cnab-conformance/validator/catalog"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/fastschema"
	"github.com/cnab-conformance/cnab-conformance/validator/internal/jsontree"
)

// Result is what validating one document gives: the version and kind it was
// checked as, and every finding, sorted by position.
type Result struct {
	File     string    `json:"file"`
	Spec     Spec      `json:"spec,omitempty"`
	Kind     Kind      `json:"kind,omitempty"`
	Findings []Finding `json:"findings"`
}

// MaxSeverity is the highest severity among the findings, and false when
// there are none.
func (r Result) MaxSeverity() (Severity, bool) {
	if len(r.Findings) == 0 {
		return Info, false
	}
	m := Info
	for _, f := range r.Findings {
		m = max(m, f.Severity)
	}
	return m, true
}

var arenas = sync.Pool{New: func() any { return new(jsontree.Arena) }}

// MaxDepth is the deepest nesting of objects and arrays the decoder accepts.
const MaxDepth = 10000

// Option configures a Validator.
type Option func(*Options)

// WithSpec forces a spec version.
func WithSpec(s Spec) Option { return func(o *Options) { o.Spec = s } }

// WithKind forces a document kind.
func WithKind(k Kind) Option { return func(o *Options) { o.Kind = k } }

// WithMaxSize sets the input size cap in bytes.
func WithMaxSize(n int64) Option { return func(o *Options) { o.MaxSize = n } }

// WithSchemaDir validates against a schema folder instead of the embedded schemas.
func WithSchemaDir(dir string) Option { return func(o *Options) { o.SchemaDir = dir } }

// WithCanonical asks for the canonical-form check.
func WithCanonical(on bool) Option { return func(o *Options) { o.RequireCanonical = on } }

// WithOptions replaces every option at once.
func WithOptions(opts Options) Option { return func(o *Options) { *o = opts } }

// Validator checks documents with fixed options. Schemas are compiled once
// per process (per version, or per --schema-dir folder) on first use. A
// Validator is safe for concurrent use.
type Validator struct {
	opts   Options
	dirSet *schemaSet
}

// New checks the options and returns a Validator. It fails on an unknown
// spec or kind, a negative size cap or an unreadable schema folder.
func New(options ...Option) (*Validator, error) {
	var o Options
	for _, f := range options {
		f(&o)
	}
	if o.Spec != "" && !o.Spec.Known() {
		return nil, fmt.Errorf("unknown spec version %q (known: %s)", o.Spec, joinSpecs())
	}
	if o.Kind != "" && !slices.Contains(Kinds, o.Kind) {
		return nil, fmt.Errorf("unknown document kind %q (known: %s)", o.Kind, joinKinds())
	}
	if o.MaxSize < 0 {
		return nil, fmt.Errorf("the size cap must not be negative (got %d)", o.MaxSize)
	}
	if o.MaxSize == 0 {
		o.MaxSize = DefaultMaxSize
	}
	v := &Validator{opts: o}
	if o.SchemaDir != "" {
		s, err := dirSchemaSet(o.SchemaDir)
		if err != nil {
			return nil, err
		}
		v.dirSet = s
	}
	return v, nil
}

func joinSpecs() string {
	s := make([]string, len(Specs))
	for i, v := range Specs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func joinKinds() string {
	s := make([]string, len(Kinds))
	for i, v := range Kinds {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

var (
	dirSetsMu sync.Mutex
	dirSets   = map[string]*schemaSet{}
)

// dirSchemaSet reads a schema folder once per process.
func dirSchemaSet(dir string) (*schemaSet, error) {
	dirSetsMu.Lock()
	defer dirSetsMu.Unlock()
	if s, ok := dirSets[dir]; ok {
		return s, nil
	}
	files, err := readSchemaFolder(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("reading schema folder: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("schema folder %s holds no *.json files (nor a schema/ folder with them)", dir)
	}
	s := newSchemaSet("schema folder "+dir, files, false)
	dirSets[dir] = s
	return s, nil
}

// SchemaDirNotes lists what could not be used from a --schema-dir folder
// that has been loaded: patterns Go's regexp cannot compile (ECMA-only
// syntax such as CNAB Core 1.0's lookahead), which were left out of the
// schema check. It is empty for folders not loaded yet.
func SchemaDirNotes(dir string) []string {
	dirSetsMu.Lock()
	s, ok := dirSets[dir]
	dirSetsMu.Unlock()
	if !ok {
		return nil
	}
	s.once.Do(s.compile)
	return slices.Clone(s.Dropped)
}

var (
	validatorsMu sync.Mutex
	validators   = map[Options]*Validator{}
)

// Validate checks one document held in memory. file is only used to label
// findings. The error is for unusable options or an unreadable schema
// folder; everything wrong with the document is a finding.
func Validate(file string, data []byte, opts Options) (Result, error) {
	validatorsMu.Lock()
	v, ok := validators[opts]
	validatorsMu.Unlock()
	if !ok {
		var err error
		if v, err = New(WithOptions(opts)); err != nil {
			return Result{File: file}, err
		}
		validatorsMu.Lock()
		if len(validators) < 256 { // a caller cycling through options must not grow this forever
			validators[opts] = v
		}
		validatorsMu.Unlock()
	}
	return v.Validate(file, data), nil
}

// ValidateReader reads at most the size cap (plus one byte, to tell) from r
// and checks it. Read errors are returned as errors.
func ValidateReader(file string, r io.Reader, opts Options) (Result, error) {
	max := opts.MaxSize
	if max <= 0 {
		max = DefaultMaxSize
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return Result{File: file}, err
	}
	if int64(len(data)) > max {
		v, err := New(WithOptions(opts))
		if err != nil {
			return Result{File: file}, err
		}
		return v.tooLarge(file, -1), nil
	}
	return Validate(file, data, opts)
}

// ValidateFile reads and checks one file. A file larger than the cap is not
// read at all; it gives finding V-06.
func (v *Validator) ValidateFile(path string) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{File: path}, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > v.opts.MaxSize {
		return v.tooLarge(path, st.Size()), nil
	}
	data, err := io.ReadAll(io.LimitReader(f, v.opts.MaxSize+1))
	if err != nil {
		return Result{File: path}, err
	}
	return v.Validate(path, data), nil
}

// ValidateFileBuffer is ValidateFile reading into *buf, which is grown as
// needed and can be reused for the next file: nothing in the Result refers
// to it. It saves an allocation per file when linting many files.
func (v *Validator) ValidateFileBuffer(path string, buf *[]byte) (Result, error) {
	b, size, tooLarge, err := readFileInto(path, *buf, v.opts.MaxSize)
	if b != nil {
		*buf = b
	}
	if err != nil {
		return Result{File: path}, err
	}
	if tooLarge {
		return v.tooLarge(path, size), nil
	}
	return v.Validate(path, b), nil
}

// ValidateReader is ValidateFile for a stream.
func (v *Validator) ValidateReader(file string, r io.Reader) (Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, v.opts.MaxSize+1))
	if err != nil {
		return Result{File: file}, err
	}
	if int64(len(data)) > v.opts.MaxSize {
		return v.tooLarge(file, -1), nil
	}
	return v.Validate(file, data), nil
}

// Options returns the validator's options (with defaults filled in).
func (v *Validator) Options() Options { return v.opts }

// tooLarge is the V-06 result; size < 0 means a stream cut at the limit.
func (v *Validator) tooLarge(file string, size int64) Result {
	msg := fmt.Sprintf("the input is %d bytes, more than the %d-byte limit; it was not checked", size, v.opts.MaxSize)
	if size < 0 {
		msg = fmt.Sprintf("the input is larger than the %d-byte limit; it was not checked", v.opts.MaxSize)
	}
	f := v.finish(file, nil, "", []rawFinding{{rule: "V-06", whole: true,
		message: msg,
		hint:    "Raise the limit with --max-size if the document is legitimately this large."}})
	return Result{File: file, Findings: f}
}

// Validate checks one document held in memory.
func (v *Validator) Validate(file string, data []byte) Result {
	if int64(len(data)) > v.opts.MaxSize {
		return v.tooLarge(file, int64(len(data)))
	}
	res := Result{File: file}
	// The tree lives only until this function returns (rules and the
	// schema layer keep no reference to it), so its containers go back to
	// a pool for the next document.
	arena := arenas.Get().(*jsontree.Arena)
	defer func() {
		arena.Release()
		arenas.Put(arena)
	}()
	root, problems := jsontree.DecodeArena(data, jsontree.Limits{MaxDepth: MaxDepth}, arena)
	var raws []rawFinding
	for _, p := range problems {
		raws = append(raws, problemFinding(p))
	}
	if len(problems) > 0 && problems[len(problems)-1].Fatal() {
		res.Findings = v.finish(file, data, "", raws)
		return res
	}

	kind := v.opts.Kind
	if kind == "" {
		k, ok := DetectKind(root)
		if !ok {
			raws = append(raws, rawFinding{rule: "V-08", offset: -1,
				message: "cannot tell what kind of CNAB document this is",
				hint:    "Pass --kind (" + joinKinds() + ")."})
			res.Findings = v.finish(file, data, "", raws)
			return res
		}
		kind = k
	}
	res.Kind = kind

	spec, badPtr, badVal := detectSpec(kind, root)
	if badPtr != "" {
		raws = append(raws, rawFinding{pointer: badPtr, rule: "B-101-03", offset: -1,
			message: fmt.Sprintf("schemaVersion %q is not a CNAB version this validator knows; checking against %s", badVal, LatestRelease),
			hint:    "Use v1.0.0, v1.1.0 or v1.2.0 (v1, v1.0.0-WD and v1.0.1 are also recognised)."})
	}
	if v.opts.Spec != "" {
		spec = v.opts.Spec
	}
	res.Spec = spec

	raws = append(raws, v.schemaCheck(kind, spec, root)...)
	raws = append(raws, runDocRules(kind, spec, root, data, &v.opts)...)
	raws = dropSuperseded(raws)
	res.Findings = v.finish(file, data, spec, raws)
	return res
}

// supersedes lists, per breaking-change rule, the schema rules whose finding
// at the same pointer it replaces: the breaking-change finding already says
// what is wrong and how to migrate, and the spec accepts both forms with a
// warning (BC-43: "cancelled" vs "canceled" is a warning keyed on the claims
// spec version, so the status enum's error must not show as well).
var supersedes = map[string][]string{
	"BC-43": {"C-400-08"},
}

// dropSuperseded removes schema findings a breaking-change finding at the
// same pointer replaces (see supersedes).
func dropSuperseded(raws []rawFinding) []rawFinding {
	type key struct{ rule, pointer string }
	var drop map[key]bool
	for _, r := range raws {
		for _, s := range supersedes[r.rule] {
			if drop == nil {
				drop = map[key]bool{}
			}
			drop[key{s, r.pointer}] = true
		}
	}
	if drop == nil {
		return raws
	}
	out := raws[:0]
	for _, r := range raws {
		if !r.whole && drop[key{r.rule, r.pointer}] {
			continue
		}
		out = append(out, r)
	}
	return out
}

func (v *Validator) schemaCheck(kind Kind, spec Spec, root any) []rawFinding {
	set := v.dirSet
	if set == nil {
		set = embeddedSet(schemaSpec(kind, spec))
	}
	ks := set.kind(kind)
	if ks.err != nil {
		return []rawFinding{{rule: "V-11", whole: true, message: "no schema check: " + ks.err.Error(),
			hint: "Point --schema-dir at a folder laid out like the spec repository's schema/ folder, with every file it refers to."}}
	}
	if ks.fast != nil && ks.fast.Check(root) == fastschema.Valid {
		return nil
	}
	gs, err := ks.gs()
	if err != nil {
		return []rawFinding{{rule: "V-11", whole: true, message: "no schema check: " + err.Error(),
			hint: "Point --schema-dir at a folder laid out like the spec repository's schema/ folder, with every file it refers to."}}
	}
	r, err := gs.Validate(newTreeLoader(root))
	if err != nil {
		return []rawFinding{{rule: "V-11", whole: true, message: "the schema check failed: " + err.Error(),
			hint: "Report this to the cnab-conformance maintainers."}}
	}
	if r.Valid() {
		return nil
	}
	return schemaFindings(kind, r.Errors())
}

// runDocRules runs every registered rule for the kind. A rule that panics is
// reported as V-12 instead of taking the process down.
func runDocRules(kind Kind, spec Spec, root any, data []byte, opts *Options) (out []rawFinding) {
	// Contexts are pooled: their memo holds arrays of a few KB that would
	// otherwise be allocated and zeroed for every document.
	c := contexts.Get().(*docContext)
	defer func() {
		c.reset()
		contexts.Put(c)
	}()
	c.Spec, c.Kind, c.Root, c.Options, c.Raw = spec, kind, root, opts, data
	c.report = func(pointer, rule, message, hint string) {
		out = append(out, rawFinding{pointer: pointer, rule: rule, message: message, hint: hint, offset: -1})
	}
	rules := rulesFor(kind)
	for i := 0; i < len(rules); {
		i = runRulesFrom(c, rules, i, &out)
	}
	return out
}

// runRulesFrom runs rules[i:] and returns len(rules); when a rule panics it
// records V-12 for it and returns the index of the next rule, which the
// caller resumes from. One recover for the whole run, instead of one per
// rule, keeps the common path (no panic) cheap.
func runRulesFrom(c *docContext, rules []*docRule, i int, out *[]rawFinding) (next int) {
	j := i
	defer func() {
		if p := recover(); p != nil {
			*out = append(*out, rawFinding{rule: "V-12", whole: true,
				message: fmt.Sprintf("check %s failed internally: %v", rules[j].ID, p),
				hint:    "Report the document to the cnab-conformance maintainers. " + firstFrame(debug.Stack())})
			next = j + 1
		}
	}()
	for ; j < len(rules); j++ {
		rules[j].Check(c)
	}
	return j
}

var contexts = sync.Pool{New: func() any { return new(docContext) }}

// reset makes c ready for the next document, dropping every reference into
// the last one. Only the used part of the memo's arrays is cleared.
func (c *docContext) reset() {
	c.memo.reset()
	c.Spec, c.Kind, c.Root, c.Options, c.Raw, c.report = "", "", nil, nil, nil, nil
}

// kindRules is docRules split by kind, for the docRules it was made from.
type kindRules struct {
	from   []docRule
	byKind map[Kind][]*docRule
}

var rulesCache atomic.Pointer[kindRules]

// rulesFor returns the registered rules that apply to kind, in registration
// order. The split is made once; tests that swap docRules get a new one.
func rulesFor(kind Kind) []*docRule {
	kr := rulesCache.Load()
	if kr == nil || len(kr.from) != len(docRules) || (len(docRules) > 0 && &kr.from[0] != &docRules[0]) {
		kr = &kindRules{from: docRules, byKind: map[Kind][]*docRule{}}
		for i := range docRules {
			for _, k := range docRules[i].Kinds {
				if l := kr.byKind[k]; len(l) > 0 && l[len(l)-1] == &docRules[i] {
					continue // a kind listed twice still runs the rule once
				}
				kr.byKind[k] = append(kr.byKind[k], &docRules[i])
			}
		}
		rulesCache.Store(kr)
	}
	return kr.byKind[kind]
}

func firstFrame(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.Contains(l, "panic(") && i+3 < len(lines) {
			return "(at " + strings.TrimSpace(lines[i+3]) + ")"
		}
	}
	return ""
}

func problemFinding(p jsontree.Problem) rawFinding {
	f := rawFinding{pointer: p.Pointer, offset: p.Offset, message: p.Message}
	switch p.Kind {
	case jsontree.Syntax:
		f.rule, f.hint = "V-01", "Fix the JSON syntax at this position (trailing commas, comments and single quotes are not JSON)."
	case jsontree.BadUTF8:
		f.rule, f.hint = "V-02", "Re-encode the file as UTF-8."
	case jsontree.BOM:
		f.rule, f.hint = "V-03", "Save the file as UTF-8 without a byte order mark."
	case jsontree.Duplicate:
		f.rule, f.hint = "V-04", "Remove all but one occurrence of the key; tools disagree on which one wins."
	case jsontree.TooDeep:
		f.rule, f.hint = "V-05", "Flatten the document; no CNAB document nests this deep."
	case jsontree.BigNumber:
		f.rule, f.hint = "V-07", "Use a number of ordinary size, or a string."
	case jsontree.Empty:
		f.rule, f.hint, f.offset, f.whole = "V-09", "Check that the file was written completely.", 0, true
	}
	return f
}

// unknownRuleIDs collects IDs reported by checks but missing from the
// catalogue; tests fail when it is not empty.
var unknownRuleIDs sync.Map

// specTag is the spec repository ref for links of a version.
func specTag(s Spec) string {
	if s == "" {
		return "main"
	}
	return string(s)
}

// finish turns raw findings into findings: severity from the catalogue
// level, spec link for the version used, line and column, stable order.
func (v *Validator) finish(file string, data []byte, spec Spec, raws []rawFinding) []Finding {
	if len(raws) == 0 {
		return nil
	}
	if len(raws) > MaxFindings {
		// Checks may report in map order; sort before cutting so the same
		// findings are kept on every run.
		sort.Slice(raws, func(i, j int) bool {
			a, b := raws[i], raws[j]
			if a.pointer != b.pointer {
				return a.pointer < b.pointer
			}
			if a.rule != b.rule {
				return a.rule < b.rule
			}
			return a.message < b.message
		})
		dropped := len(raws) - MaxFindings
		raws = append(raws[:MaxFindings:MaxFindings], rawFinding{rule: "V-13", whole: true,
			message: fmt.Sprintf("%d more findings were not reported (at most %d per document)", dropped, MaxFindings),
			hint:    "Fix the findings above and run again."})
	}
	out := make([]Finding, 0, len(raws))
	for _, r := range raws {
		// The texts may share memory with the decoded document (a rule can
		// report a substring of a value as it is); cloning them keeps a
		// Result from pinning the document's bytes. Findings are few.
		f := Finding{File: file, Pointer: strings.Clone(r.pointer), Rule: r.rule,
			Message: strings.Clone(r.message), Hint: strings.Clone(r.hint)}
		if cr, ok := catalog.Lookup(r.rule); ok {
			f.Severity = v.severity(r.rule, cr.Level)
			if cr.Link != "" {
				f.URL = strings.Replace(cr.Link, "/blob/main/", "/blob/"+specTag(spec)+"/", 1)
			}
		} else {
			unknownRuleIDs.Store(r.rule, true)
			f.Severity = Error
			f.Message = "[rule ID not in the catalogue] " + f.Message
		}
		out = append(out, f)
	}
	locate(data, raws, out)
	SortFindings(out)
	return out
}

// severity is the severity of a finding of rule: the rule's level, except
// for rules whose catalogue text makes it depend on the options. B-101-14
// (contentDigest missing) is a MUST for a bundle ready to be transmitted;
// a bundle under development has no digests yet, so it is a warning unless
// release checks are on (Options.RequireCanonical, --canonical).
func (v *Validator) severity(rule string, l catalog.Level) Severity {
	if rule == "B-101-14" && !v.opts.RequireCanonical {
		return Warning
	}
	return SeverityOf(l)
}

// locate fills in line and column. Positions are found in one pass over the
// document whatever the number of findings, so a large document with many
// findings stays linear.
func locate(data []byte, raws []rawFinding, out []Finding) {
	if data == nil {
		return
	}
	var ptrs []string
	var ptrIdx []int
	offs := make([]int, len(raws))
	for i, r := range raws {
		offs[i] = r.offset
		if !r.whole && r.offset < 0 {
			ptrs = append(ptrs, r.pointer)
			ptrIdx = append(ptrIdx, i)
		}
	}
	switch len(ptrs) {
	case 0:
	case 1:
		offs[ptrIdx[0]], _ = jsontree.Locate(data, ptrs[0])
	default:
		for j, off := range jsontree.LocateAll(data, ptrs) {
			offs[ptrIdx[j]] = off
		}
	}
	pos := jsontree.LineCols(data, offs)
	for i, r := range raws {
		if !r.whole {
			out[i].Line, out[i].Column = pos[i].Line, pos[i].Column
		}
	}
}

// MaxFindings caps the findings of one document; the rest are counted in a
// V-13 finding.
const MaxFindings = 1000

// SeverityOf maps an RFC 2119 level to a severity.
func SeverityOf(l catalog.Level) Severity {
	switch l {
	case catalog.Must, catalog.MustNot, catalog.Required:
		return Error
	case catalog.Should, catalog.ShouldNot, catalog.Recommended:
		return Warning
	}
	return Info
}

// SortFindings orders findings by file, position, pointer, rule and message.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Pointer != b.Pointer:
			return a.Pointer < b.Pointer
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// RuleIDs lists every rule ID the validator can report: input rules, the
// rules schema errors map to, version detection, and every registered
// document rule. Sorted.
func RuleIDs() []string {
	set := map[string]bool{"B-101-03": true}
	for _, r := range catalog.All() {
		if catalog.Prefix(r.ID) == "V" {
			set[r.ID] = true
		}
	}
	for _, id := range schemaRuleIDs {
		set[id] = true
	}
	for _, r := range docRules {
		set[r.ID] = true
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
