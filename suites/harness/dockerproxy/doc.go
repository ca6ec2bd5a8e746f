// Package dockerproxy is the suite's Docker Engine API recording proxy. The
// tool under test gets DOCKER_HOST pointing at a unix socket in a private
// temp dir (and, optionally, at a TCP+TLS endpoint on 127.0.0.1 with
// generated certificates); every request is forwarded to the real engine,
// hijacked attach streams and streaming responses included.
//
// The proxy records each container create request as the tool sent it, the
// container ID and name from the engine's answer, and the container's logs
// and inspect data when a wait on it ends and again before a removal is
// forwarded. Privilege is judged from the recorded request. Because
// privileged containers cannot start on every host, the default mode
// (Record) keeps the privileged flag in the record but clears it in what is
// forwarded; Pass forwards it untouched. Containers created through the
// proxy are tracked for the leak check, and Cleanup removes only those.
package dockerproxy
