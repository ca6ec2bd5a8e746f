package embedtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/cnab-conformance/cnab-conformance/suites"
)

// cfg is the tool author's configuration: their tool profile, the profiles
// they certify. Here: the reference tool, the registry half of the smoke
// profile (no Docker needed).
var cfg = func() suites.Config {
	c := suites.NewConfig()
	c.ToolProfile = filepath.Join("..", "..", "fixtures", "adapters", "reference.yaml")
	c.Profiles = []string{suites.ProfileSmoke}
	c.ReportDir = "none"
	return c
}()

var ownSetupRan bool

// The author's own suite setup: builds their tool, then sets up the
// conformance harness next to it.
var _ = BeforeSuite(func(ctx SpecContext) {
	ownSetupRan = true
	bin := filepath.Join(GinkgoT().TempDir(), "cnab-ref")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../fixtures/tools/reference")
	out, err := build.CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), "%s", out)
	cfg.ToolBinary = bin
	env, err := suites.NewEnv(ctx, &cfg)
	Expect(err).NotTo(HaveOccurred())
	suites.UseEnv(env)
	DeferCleanup(func(ctx context.Context) error { return env.Close(ctx) })
})

// The author's own specs live next to the conformance checks.
var _ = Describe("my tool", func() {
	It("has its own specs next to the conformance checks", func() {
		Expect(ownSetupRan).To(BeTrue())
		Expect(suites.CurrentEnv()).NotTo(BeNil())
	})
})

// The conformance checks, inside the author's own container.
var _ = Describe("CNAB conformance", func() {
	suites.RegisterSpecs(&cfg)
})

func TestEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the reference tool")
	}
	if _, err := os.Stat("../../fixtures/adapters/reference.yaml"); err != nil {
		t.Skip("reference profile not found")
	}
	RegisterFailHandler(Fail)
	sc, rc := GinkgoConfiguration()
	sc.FocusStrings = []string{"push, pull and promote", "my tool"}
	if !RunSpecs(t, "embedded conformance", sc, rc) {
		t.Fatal("the embedded suite failed")
	}
	if r := ranSpecs(); r < 4 {
		t.Errorf("%d specs ran, want the smoke registry checks and the author's own", r)
	}
}

var ran int

var _ = ReportAfterEach(func(r SpecReport) {
	if r.State == types.SpecStatePassed {
		ran++
	}
})

func ranSpecs() int { return ran }
