package suites

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/cnab-conformance/cnab-conformance/reports"
	"github.com/cnab-conformance/cnab-conformance/suites/checks/archivecheck"
	"github.com/cnab-conformance/cnab-conformance/suites/tool"
	"github.com/cnab-conformance/cnab-conformance/validator"
	"github.com/cnab-conformance/cnab-conformance/validator/archive"
	"github.com/cnab-conformance/cnab-conformance/validator/oci"
	"github.com/cnab-conformance/cnab-conformance/validator/oci/client"
)

// The archive profile (thick bundles, spec 104): each fixture bundle is
// pushed to a private source registry, exported twice, and imported into
// the destination registry with the source stopped. The lifecycle runs once
// per fixture in BeforeAll; each check judges what it gathered with the
// pure checks of suites/checks/archivecheck and the archive reader and
// linter of validator/archive (the same code `cnab-validate` runs on a
// .tgz). The fixtures are the registry profile's templates.
func init() { addSpecs(ProfileArchive, archiveSpecs) }

// archiveFixtures are the registry profile's fixtures: the same bundles,
// exported instead of promoted.
var archiveFixtures = registryFixtures

// archiveRun is everything one fixture's lifecycle produced.
type archiveRun struct {
	fixtureBundle
	srcRef   string
	push     tool.Result
	pushed   *oci.Artifact
	fetchErr error

	export1, export2 tool.Result
	data1, data2     []byte // the two archives' bytes ("" when the export failed)
	contents         *archive.Contents
	readErr          error
	lint             []validator.Finding // validator/archive's findings on the first export

	stopped     bool
	dstRef      string
	imp         tool.Result
	imported    *oci.Artifact
	importedErr error
}

func archiveSpecs(cfg *Config) {
	for _, fx := range archiveFixtures {
		fx := fx
		name := strings.TrimPrefix(fx.template, "registry/")
		Describe("bundle "+name, append(lifecycle(cfg), ContinueOnFailure, func() {
			var r *archiveRun
			BeforeAll(func() {
				r = runArchiveLifecycle(env, fx.template, name, fx.components)
			})

			Check(ProfileArchive, []string{"F-104-05"}, "export writes a gzipped tar with bundle.json at its root and an OCI image layout under artifacts/layout", func() {
				r.requireExported()
				fail(archivecheck.FromValidator(r.lint, "F-104-05"), "archive layout")
			})

			Check(ProfileArchive, []string{"F-104-04"}, "the archive holds every invocation image and image by contentDigest, with verified digests and sizes", func() {
				r.requireExported()
				fs := append(archivecheck.FromValidator(r.lint, "F-104-04"), archivecheck.CheckImages(r.contents, r.pushed, r.parsed)...)
				fail(fs, "archive images")
			})

			Check(ProfileArchive, []string{"F-104-06"}, "the archive's bundle.json is the pushed canonical bundle.json, contentDigests unchanged", func() {
				r.requireExported()
				b, ok := r.contents.Members["bundle.json"]
				if !ok || b.Content == nil {
					Skip("the archive has no readable bundle.json at its root (see the F-104-05 check)")
				}
				fail(archivecheck.CheckBundle(b.Content, r.bundle), "archive bundle.json")
			})

			Check(ProfileArchive, []string{"F-104-06"}, "exporting the same bundle twice gives byte-identical archives", func() {
				r.requireExported()
				env.Evidence(commandEvidence(tool.Export, r.export2))
				requireOK(tool.Export, r.export2)
				if r.data2 == nil {
					Fail("the second export exited 0 but wrote no archive")
				}
				fail(archivecheck.CheckDeterministic(r.data1, r.data2), "determinism")
			})

			Check(ProfileArchive, []string{"F-104-01"}, "the archive imports into another registry with the source stopped, with every image", func() {
				r.requireExported()
				r.requireImportRan()
				r.noteAirGap()
				requireOK(tool.Import, r.imp)
				if r.imported == nil {
					Fail(fmt.Sprintf("the import exited 0 but %s cannot be read: %v", r.dstRef, r.importedErr))
				}
				fail(archivecheck.CheckImport(r.pushed, r.imported).ForRules("F-104-01"), "import")
			})

			Check(ProfileArchive, []string{"F-104-06"}, "the import reproduces the exported bundle's index digest and bundle.json", func() {
				r.requireExported()
				r.requireImportRan()
				if !r.imp.OK() || r.imported == nil {
					Skip("the import did not produce a bundle (see the F-104-01 check)")
				}
				r.noteAirGap()
				fail(archivecheck.CheckImport(r.pushed, r.imported).ForRules("F-104-06"), "import")
			})
		})...)
	}
}

// runArchiveLifecycle pushes one fixture, exports it twice, stops the
// source and imports the archive. Tool failures are recorded, not fatal.
func runArchiveLifecycle(e *Env, template, name string, components []string) *archiveRun {
	GinkgoHelper()
	ctx := e.Context()
	r := &archiveRun{fixtureBundle: prepareFixture(e, template, "archive-"+name, 104729, components)}

	r.srcRef = r.src.Host() + "/" + e.Repository("archive-"+name) + ":v1"
	c := client.New()
	r.push = e.Run(tool.Push, tool.Request{Bundle: r.bundleFile, Reference: r.srcRef})
	if !r.push.OK() {
		return r
	}
	if r.pushed, r.fetchErr = oci.Fetch(ctx, c, r.srcRef); r.fetchErr != nil {
		return r
	}

	// Two exports of the same bundle, each into a fresh folder.
	export := func() (tool.Result, string, []byte) {
		out := filepath.Join(e.TempDir(), "bundle.tgz")
		res := e.Run(tool.Export, tool.Request{Reference: r.srcRef, Archive: out})
		if !res.OK() {
			return res, out, nil
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return res, out, nil
		}
		return res, out, b
	}
	var archiveFile string
	r.export1, archiveFile, r.data1 = export()
	if r.data1 == nil {
		return r
	}
	r.export2, _, r.data2 = export()
	r.contents, r.readErr = archive.ReadFile(archiveFile, archive.Limits{})
	if r.readErr == nil {
		var err error
		if r.lint, err = archive.CheckFile(archiveFile, archive.Config{}); err != nil {
			HarnessError("checking the archive: %v", err)
		}
	}

	// Air gap: the import may only read the archive.
	if r.privateSrc {
		if err := r.src.Stop(); err != nil {
			HarnessError("stopping the source registry: %v", err)
		}
		r.stopped = true
	}
	if !e.Tool.Supports(tool.Import) {
		return r
	}
	r.dstRef = e.Destination.Host() + "/" + e.Repository("archive-"+name+"-imported") + ":v1"
	r.imp = e.Run(tool.Import, tool.Request{Archive: archiveFile, Reference: r.dstRef, WorkDir: e.TempDir()})
	if r.imp.OK() {
		r.imported, r.importedErr = oci.Fetch(ctx, c, r.dstRef)
	}
	return r
}

// requireExported skips a check whose input the push or the first export
// did not produce, and fails it when the export itself failed.
func (r *archiveRun) requireExported() {
	GinkgoHelper()
	if !r.push.OK() {
		Skip("the push the export starts from failed:\n" + DescribeFailure(tool.Push, r.push))
	}
	if r.pushed == nil {
		Skip(fmt.Sprintf("the pushed bundle %s cannot be read back: %v", r.srcRef, r.fetchErr))
	}
	env.Evidence(commandEvidence(tool.Export, r.export1))
	requireOK(tool.Export, r.export1)
	if r.data1 == nil {
		Fail("the export exited 0 but wrote no archive")
	}
	if r.readErr != nil {
		Fail(fmt.Sprintf("the archive cannot be read safely: %v", r.readErr))
	}
	env.Evidence(reports.Evidence{Notes: []string{fmt.Sprintf("export of %s: %d bytes, %s, %d entries",
		r.srcRef, len(r.data1), client.Digest(r.data1), len(r.contents.Names))}})
}

func (r *archiveRun) requireImportRan() {
	GinkgoHelper()
	if r.imp.Command == "" {
		Skip("tool does not declare import")
	}
	env.Evidence(commandEvidence(tool.Import, r.imp))
}

func (r *archiveRun) noteAirGap() {
	if !r.stopped {
		env.Note("the source registry is external and was not stopped: the import was not shown to need only the archive")
	}
}

// commandEvidence repeats a lifecycle command (run in BeforeAll, so attached
// to the first check only) in the evidence of the check that judges it.
func commandEvidence(op tool.Operation, res tool.Result) reports.Evidence {
	if res.Command == "" {
		return reports.Evidence{}
	}
	return reports.Evidence{Commands: []reports.CommandRun{{Operation: string(op), Command: res.Command, ExitCode: res.ExitCode,
		TimedOut: res.TimedOut, Duration: res.Duration, Stdout: Excerpt(res.Stdout), Stderr: Excerpt(res.Stderr)}}}
}
