// Package suites is the CNAB conformance suite: Ginkgo specs that drive a
// CNAB tool through push -> promote -> pull and install -> upgrade ->
// invoke -> uninstall against two local registries and the Docker engine,
// and judge what the tool did, check by check, each check naming the rule
// IDs of validator/catalog it enforces.
//
// Three ways to run it:
//
//   - the runner binary: cnab-conformance run --tool PROFILE (see
//     cmd/cnab-conformance), which calls Run with a minimal GinkgoTestingT;
//   - go test: a tool author's TestConformance(t) calls Test(t, cfg);
//   - embedded in a tool author's own Ginkgo suite: Register(&cfg) at the
//     top level, or, next to their own BeforeSuite, RegisterSpecs(&cfg) plus
//     NewEnv/UseEnv/DeferCleanup(env.Close) in it (suites/embedtest shows both).
//
// Config (NewConfig for the defaults) selects the tool (a YAML profile, see
// suites/tool/profile, or a Go tool.Tool), the profiles (smoke, registry,
// runtime, archive), the spec version (a Ginkgo sem-ver filter over the
// rules' versions), the registry (embedded or an external host), the report
// directory, the per-operation timeout and the Docker privileged mode.
//
// Env is the harness of a run, set up once before the first spec: the tool,
// the source and destination registries (suites/harness/registry), the
// Docker recording proxy (suites/harness/dockerproxy) when a profile that
// installs is selected, the probe invocation image and a private work
// directory. Everything it creates is torn down in reverse order after the
// last spec (also on SIGINT), and a leak check follows: containers created
// through the proxy that still exist, images pulled from the run's
// registries, per-spec directories.
//
// Checks are declared with Check(profile, ruleIDs, text, body): an It
// labelled with its rule IDs, its profile and the level of its first rule
// (see check.go); an unknown rule ID panics while the tree is built. Spec
// files add their profile's specs with addSpecs from an init function;
// fixture lifecycles are Ordered containers (lifecycle(cfg)).
//
// Outcomes: Pass; Fail (the tool broke the rule); Skip (the tool does not
// declare the operation: Env.Run skips with "tool does not declare <op>");
// Disabled (filtered out by the user); Error (the harness broke: a failure
// message starting with reports.HarnessPrefix, raised by HarnessError). A run
// passes (Outcome.Passed, the runner's exit 0) only when every selected MUST
// check passed and no suite-level node failed.
package suites
