package catalog

// Community practice rules (CP-NN) for running invocation images. The CNAB
// spec says nothing about privilege, Docker socket access or the Docker
// endpoint (R-103-25: "implementation choices, not conformance points"), so
// these are not spec rules. They record what the CNAB community settled and
// what the main tools do, and each says where it comes from:
//
//   - the CNAB community meeting this project comes from: do not run
//     invocation images privileged or with the Docker socket by default,
//     offer an explicit option, support a production-like Docker endpoint
//     (URL and certificates, Docker contexts);
//   - cnab-go's Docker driver defaults (HostConfig left empty: not
//     privileged, no binds or mounts, default network; DOCKER_HOST,
//     DOCKER_TLS_VERIFY and DOCKER_CERT_PATH honoured; CLEANUP_CONTAINERS
//     defaulting to true);
//   - duffle PR #661 (2019), which removed the always-on socket mount;
//   - Porter's --allow-docker-host-access, the model of an explicit opt-in.

const (
	srcMeeting = "CNAB community meeting decision (privilege defaults; recorded in this project's issue 7)"
	srcCnabGo  = "cnab-go driver/docker defaults (v0.26.4: empty HostConfig)"
	srcDuffle  = "duffle PR #661 (2019-03-11) removed the default Docker socket mount"
	srcPorter  = "Porter --allow-docker-host-access (explicit opt-in; socket bind mount, privileged only when the bundle asks)"
)

func cp(id string, lvl Level, title, text, source, fix string) Rule {
	return Rule{ID: id, Level: lvl, Section: "community", Versions: "all", Targets: []Target{TTool},
		Title: title, Text: text + " The CNAB spec is silent on this (R-103-25); this is community practice, not a spec requirement.",
		Source: source, Fix: fix, Link: SectionLink("103", "")}
}

func init() {
	register(
		cp("CP-01", MustNot, "invocation image not privileged by default",
			"Without an explicit opt-in from the user, the runtime does not create the invocation container privileged (HostConfig.Privileged is false).",
			srcMeeting+"; "+srcCnabGo+"; "+srcPorter,
			"Leave HostConfig.Privileged false; offer a flag (such as --privileged) that the user must pass."),
		cp("CP-02", MustNot, "no Docker socket by default",
			"Without an explicit opt-in, the runtime gives the invocation container no access to the Docker engine: no docker.sock in HostConfig.Binds or HostConfig.Mounts, and the socket is not reachable inside the container.",
			srcMeeting+"; "+srcDuffle+"; "+srcCnabGo,
			"Do not bind-mount /var/run/docker.sock unless the user asks (Porter: --allow-docker-host-access)."),
		cp("CP-03", ShouldNot, "no other host access by default",
			"Without an opt-in, the invocation container does not share the host's network, PID, IPC or UTS namespace, gets no added capabilities or devices, no host path bind mounts and no extra security options.",
			srcMeeting+"; "+srcCnabGo,
			"Create the container with default namespaces, capabilities and mounts; put files in with the archive API instead of bind mounts."),
		cp("CP-04", Should, "opt-in grants exactly what was asked",
			"When the user opts in to privileged mode or Docker host access, the container gets that access (privileged flag; the engine's socket) and nothing more.",
			srcMeeting+"; "+srcPorter,
			"Map each opt-in to one HostConfig change."),
		cp("CP-05", Must, "the Docker engine named by DOCKER_HOST is used",
			"The runtime talks to the Docker engine named by the environment (DOCKER_HOST, or the current Docker context), not a hard-coded socket, so invocation images run on the engine the user chose.",
			srcMeeting+" (support a production-like Docker endpoint); "+srcCnabGo+" (docker CLI client initialisation)",
			"Build the Docker client from the environment (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CONTEXT)."),
		cp("CP-06", Should, "a TLS Docker endpoint works",
			"With DOCKER_HOST=tcp://HOST:PORT, DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH holding ca.pem, cert.pem and key.pem, the runtime reaches the engine over TLS with the client certificate and runs the invocation image there.",
			srcMeeting+" (URL and certificates); "+srcCnabGo+" (DOCKER_TLS_VERIFY and DOCKER_CERT_PATH handled)",
			"Load the CA and client key pair from DOCKER_CERT_PATH and verify the server when DOCKER_TLS_VERIFY is set."),
		cp("CP-07", Should, "invocation containers are removed",
			"After an action ends (success, failure or timeout) the invocation container is removed, so parameter and credential files do not outlive the action (R-103-10) and containers do not pile up.",
			srcCnabGo+" (CLEANUP_CONTAINERS defaults to true); Porter and duffle remove the container",
			"Remove the container after collecting outputs and logs, also on error paths."),
	)
}
