// Package depcheck holds the dependency budget tests: the validator is
// embedded by other tools, so it must not drag in a registry server, a Docker
// client or a test framework (go-containerregistry's depcheck is the model).
package depcheck
