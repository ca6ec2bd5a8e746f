// Package docker is the project's own small Docker Engine API client: just
// what the reference tool, the recording proxy and the suites' leak check
// need (ping and version negotiation, image pull/inspect/tag/remove,
// container create/start/wait/logs/inspect/remove/list/stop, archive put and
// get). It speaks HTTP over a unix socket or TCP with optional TLS and honours
// DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH. The Docker SDK is not
// used on purpose: it would pull a large dependency tree into the project.
package docker
