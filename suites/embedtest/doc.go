// Package embedtest guards the two ways a tool author runs the suites from
// their own Go tests (as csi-test's hack/_embedded does for its sanity
// package): embedded in their own Ginkgo suite next to their own BeforeSuite
// and specs (embed_test.go), and through suites.Test from go test
// (gotest/). It has no code of its own.
package embedtest
