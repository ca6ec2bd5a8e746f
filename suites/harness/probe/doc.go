// Package probe builds the conformance suite's probe invocation image: the
// static probe program (fixtures/tools/probe) at /cnab/app/run in a single
// layer with no base image, pushed to a registry on 127.0.0.1. It also builds
// look-alike images (same program, one extra file) for the digest tamper test.
package probe
