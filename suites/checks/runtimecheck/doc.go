// Package runtimecheck holds the runtime profile's checks as pure functions.
// Inputs are what the harness recorded: container create requests from the
// Docker proxy, the probe's observation from inside the invocation
// container, the tool's exit code and output, files the tool wrote. Each
// check returns Failures naming rule IDs; the Ginkgo specs only gather the
// inputs and assert that no failure names their rules.
package runtimecheck
