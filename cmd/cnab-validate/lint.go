package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cnab-conformance/cnab-conformance/internal/cli"
	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/output"
)

// Hooks for inputs other packages handle. They are set by init functions in
// this command's other files, so the validator package itself imports no
// archive or registry code.
var (
	// archiveLinter lints a thick bundle archive (.tgz, .tar.gz, .tar).
	archiveLinter func(path string, opts validator.Options) ([]validator.Finding, error)
	// ociLinter lints a bundle in an OCI registry (oci://REF).
	ociLinter func(ref string, opts validator.Options) ([]validator.Finding, error)
)

func init() {
	commands.Default = runLint
	commands.Add(cli.Command{Name: "lint", Summary: "check CNAB documents (the default action)", Run: runLint})
}

type lintFlags struct {
	spec, kind, format, failOn, schemaDir, maxSize string
	canonical                                      bool
	jobs                                           int
}

func lintUsage(fl *flag.FlagSet, w io.Writer) {
	fmt.Fprintln(w, `Usage: cnab-validate [flags] PATH...

Checks CNAB documents. PATH is a file, a folder (every *.json below it), a
thick bundle archive (.tgz, .tar.gz, .tar), oci://REFERENCE, or - for stdin.
Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error.

Flags:`)
	fl.SetOutput(w)
	fl.PrintDefaults()
	fmt.Fprintln(w, `
Other commands: rules, explain RULE, canonicalize, diff OLD NEW, spec-examples DIR
('cnab-validate help' lists them; 'cnab-validate COMMAND -h' shows a command's flags).`)
}

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var lf lintFlags
	fl := flag.NewFlagSet("cnab-validate", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	fl.StringVar(&lf.spec, "spec", "", "check against this spec version instead of the document's schemaVersion ("+specNames()+")")
	fl.StringVar(&lf.kind, "kind", "", "document kind instead of detecting it ("+kindNames()+")")
	fl.StringVar(&lf.format, "format", "text", "output format: "+strings.Join(output.Formats, ", "))
	fl.StringVar(&lf.failOn, "fail-on", "error", "exit 1 when a finding is at or above this severity: error, warning, info")
	fl.BoolVar(&lf.canonical, "canonical", false, "release checks for signed or registry-bound bundles: require canonical JSON, and make a missing contentDigest (B-101-14) an error instead of a warning")
	fl.StringVar(&lf.schemaDir, "schema-dir", "", "validate against the schemas in this folder (laid out like the spec's schema/)")
	fl.StringVar(&lf.maxSize, "max-size", "10MiB", "largest input read, in bytes (suffixes KiB, MiB, GiB, KB, MB, GB)")
	fl.IntVar(&lf.jobs, "jobs", runtime.GOMAXPROCS(0), "files checked in parallel")
	fl.BoolVar(&ociInsecure, "insecure", false, "use plain HTTP for oci:// registries (localhost and 127.0.0.1 always use it)")
	// Flags may follow the paths: cnab-validate bundles/ --format json.
	paths, code, ok := parseCommand("cnab-validate", fl, args, func(w io.Writer) { lintUsage(fl, w) }, stdout, stderr)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "cnab-validate: no PATH given (use - to read stdin)")
		lintUsage(fl, stderr)
		return cli.ExitUsage
	}
	failOn, err := validator.ParseSeverity(lf.failOn)
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate: --fail-on: %v\n", err)
		return cli.ExitUsage
	}
	max, err := parseSize(lf.maxSize)
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate: --max-size: %v\n", err)
		return cli.ExitUsage
	}
	if lf.jobs < 1 {
		fmt.Fprintf(stderr, "cnab-validate: --jobs must be at least 1 (got %d)\n", lf.jobs)
		return cli.ExitUsage
	}
	opts := validator.Options{Spec: validator.Spec(lf.spec), Kind: validator.Kind(lf.kind),
		RequireCanonical: lf.canonical, MaxSize: max, SchemaDir: lf.schemaDir}
	v, err := validator.New(validator.WithOptions(opts))
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate: %v\n", err)
		return cli.ExitUsage
	}
	w, err := output.New(lf.format, stdout, output.Options{FailOn: failOn})
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate: --format: %v\n", err)
		return cli.ExitUsage
	}

	items, ioErrs := expand(paths)
	for _, e := range ioErrs {
		fmt.Fprintf(stderr, "cnab-validate: %v\n", e)
	}
	tuneGC()
	if stop := startProfile(stderr); stop != nil {
		defer stop()
	}
	code = cli.ExitOK
	if len(ioErrs) > 0 {
		code = cli.ExitUsage
	}
	failed := false
	lintItems(items, lf.jobs, func(it item, buf *[]byte) itemResult {
		return lintOne(v, it, stdin, buf)
	}, func(r itemResult) {
		if r.err != nil {
			fmt.Fprintf(stderr, "cnab-validate: %s: %v\n", r.res.File, r.err)
			code = cli.ExitUsage
			return
		}
		if err := w.Write(r.res); err != nil {
			fmt.Fprintf(stderr, "cnab-validate: writing output: %v\n", err)
			code = cli.ExitUsage
		}
		if s, ok := r.res.MaxSeverity(); ok && s >= failOn {
			failed = true
		}
	})
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "cnab-validate: writing output: %v\n", err)
		return cli.ExitUsage
	}
	if lf.schemaDir != "" {
		for _, n := range validator.SchemaDirNotes(lf.schemaDir) {
			fmt.Fprintf(stderr, "cnab-validate: note: not checked, Go cannot compile this ECMA pattern: %s\n", n)
		}
	}
	if code == cli.ExitOK && failed {
		code = cli.ExitFindings
	}
	return code
}

// tuneGC trades memory for speed while linting: the live heap is small
// (compiled schemas plus the documents in flight), so collecting less often
// saves CPU; the soft limit keeps the process well under 100 MB. An explicit
// GOGC or GOMEMLIMIT wins.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
}

// startProfile writes a CPU profile to $CNAB_VALIDATE_CPUPROFILE when set,
// for performance work on whole runs (as kubeconform does).
func startProfile(stderr io.Writer) func() {
	path := os.Getenv("CNAB_VALIDATE_CPUPROFILE")
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "cnab-validate: CPU profile: %v\n", err)
		return nil
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(stderr, "cnab-validate: CPU profile: %v\n", err)
		f.Close()
		return nil
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

type itemKind int

const (
	itemFile itemKind = iota
	itemStdin
	itemArchive
	itemOCI
)

type item struct {
	kind itemKind
	path string
}

type itemResult struct {
	res validator.Result
	err error
}

func isArchive(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".tgz") || strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".tar")
}

// expand turns the arguments into items, in order: folders are walked (only
// *.json files, sorted), everything else is taken as given.
func expand(paths []string) ([]item, []error) {
	var items []item
	var errs []error
	for _, p := range paths {
		switch {
		case p == "-":
			items = append(items, item{kind: itemStdin, path: "-"})
			continue
		case strings.HasPrefix(p, "oci://"):
			items = append(items, item{kind: itemOCI, path: p})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !st.IsDir() {
			k := itemFile
			if isArchive(p) {
				k = itemArchive
			}
			items = append(items, item{kind: k, path: p})
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") {
				found = append(found, q)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
		sort.Strings(found)
		for _, q := range found {
			items = append(items, item{kind: itemFile, path: q})
		}
	}
	return items, errs
}

func lintOne(v *validator.Validator, it item, stdin io.Reader, buf *[]byte) itemResult {
	switch it.kind {
	case itemStdin:
		r, err := v.ValidateReader("-", stdin)
		return itemResult{res: r, err: err}
	case itemArchive:
		if archiveLinter == nil {
			return itemResult{res: validator.Result{File: it.path}, err: errors.New("thick bundle archives are not supported by this build")}
		}
		fs, err := archiveLinter(it.path, v.Options())
		validator.SortFindings(fs)
		return itemResult{res: validator.Result{File: it.path, Findings: fs}, err: err}
	case itemOCI:
		if ociLinter == nil {
			return itemResult{res: validator.Result{File: it.path}, err: errors.New("oci:// references are not supported by this build")}
		}
		fs, err := ociLinter(strings.TrimPrefix(it.path, "oci://"), v.Options())
		validator.SortFindings(fs)
		return itemResult{res: validator.Result{File: it.path, Findings: fs}, err: err}
	}
	r, err := v.ValidateFileBuffer(it.path, buf)
	return itemResult{res: r, err: err}
}

// lintItems runs check on the items with jobs workers and calls emit in
// input order. Workers take items in order and may run at most a window
// ahead of emit, so memory stays flat however many files there are.
func lintItems(items []item, jobs int, check func(item, *[]byte) itemResult, emit func(itemResult)) {
	if len(items) == 0 {
		return
	}
	if jobs > len(items) {
		jobs = len(items)
	}
	window := jobs * 64
	slots := make(chan struct{}, window)
	done := make([]chan itemResult, len(items))
	for i := range done {
		done[i] = make(chan itemResult, 1)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for {
				slots <- struct{}{}
				i := int(next.Add(1) - 1)
				if i >= len(items) {
					<-slots
					return
				}
				done[i] <- check(items[i], &buf)
				if cap(buf) > 1<<20 {
					buf = nil // do not keep a huge buffer for the small files that follow
				}
			}
		}()
	}
	for i := range items {
		emit(<-done[i])
		done[i] = nil
		<-slots
	}
	wg.Wait()
}

// parseSize reads a byte count with an optional unit.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive size (examples: 1048576, 512KiB, 10MiB)", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n * mult, nil
}

func specNames() string {
	s := make([]string, len(validator.Specs))
	for i, v := range validator.Specs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func kindNames() string {
	s := make([]string, len(validator.Kinds))
	for i, v := range validator.Kinds {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
