// Package registry runs in-process CNCF distribution v3 registries for the
// conformance suites (in-memory storage, deletes enabled, logs silenced, on a
// free 127.0.0.1 port) and records every request they serve, in arrival
// order, so checks can judge what a tool wrote and when: "was this digest in
// that repository before request N", "what was the last write to this tag".
//
// External(host) wraps a registry the suite does not run; it records nothing,
// and checks that need the recording skip with that reason.
package registry
