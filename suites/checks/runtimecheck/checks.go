package runtimecheck

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Rule IDs used by this package.
const (
	RulePrivileged   = "CP-01"
	RuleSocket       = "CP-02"
	RuleHostAccess   = "CP-03"
	RuleOptIn        = "CP-04"
	RuleDockerHost   = "CP-05"
	RuleDockerTLS    = "CP-06"
	RuleRemoved      = "CP-07"
	RuleEntrypoint   = "R-103-01"
	RuleBundle       = "R-103-03"
	RuleEnv          = "R-103-04"
	RuleAction       = "R-103-06"
	RuleRevision     = "R-103-07"
	RuleActions      = "R-103-11"
	RuleFailure      = "R-103-14"
	RuleParamEnv     = "R-103-15"
	RuleResolution   = "R-103-16"
	RuleEncoding     = "R-103-17"
	RuleParamFile    = "R-103-18"
	RuleValidation   = "R-103-20"
	RuleDigest       = "B-101-15"
	RuleFirstImage   = "B-101-17"
	RuleWriteOnly    = "B-101-21"
	RuleBoth         = "B-101-28"
	RuleRequired     = "B-101-30"
	RuleApplyTo      = "B-101-31"
	RuleCredential   = "B-101-33"
	RuleParamVsCred  = "B-101-36"
	RuleReservedEnv  = "B-101-37"
	RuleStateless    = "B-101-42"
	RuleExtension    = "B-101-46"
	RuleOutputs      = "B-101-48"
	RuleClaimsEnv    = "C-400-11"
	RuleClaimMounted = "C-400-12"
	RuleStatus       = "X-804-01"
)

// DockerSocket is the engine socket path checked in binds, mounts and by
// the probe.
const DockerSocket = "/var/run/docker.sock"

// defaultCaps is Docker's default effective capability set (CAP_CHOWN,
// DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP,
// NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP).
const defaultCaps = 0xa80425fb

func isSocket(p string) bool {
	return strings.HasSuffix(strings.TrimRight(p, "/"), "docker.sock")
}

// socketBinds lists the binds and mounts that reach a Docker socket.
func socketBinds(c Create) []string {
	var out []string
	for _, b := range c.HostConfig.Binds {
		src, _, _ := strings.Cut(b, ":")
		if isSocket(src) {
			out = append(out, b)
		}
	}
	for _, m := range c.HostConfig.Mounts {
		if isSocket(m.Source) || isSocket(m.Target) {
			out = append(out, m.Source+"->"+m.Target)
		}
	}
	return out
}

// hostAccess lists host access other than privileged mode and the socket.
func hostAccess(c Create, obs *Observation) []string {
	h := c.HostConfig
	var out []string
	for _, ns := range []struct{ name, v string }{{"NetworkMode", h.NetworkMode}, {"PidMode", h.PidMode}, {"IpcMode", h.IpcMode}, {"UTSMode", h.UTSMode}, {"UsernsMode", h.UsernsMode}, {"CgroupnsMode", h.CgroupnsMode}} {
		if ns.v == "host" {
			out = append(out, ns.name+"=host")
		}
	}
	if len(h.CapAdd) > 0 {
		out = append(out, "CapAdd="+strings.Join(h.CapAdd, ","))
	}
	for _, d := range h.Devices {
		out = append(out, "device "+d.PathOnHost)
	}
	if len(h.DeviceRequests) > 0 {
		out = append(out, "DeviceRequests")
	}
	for _, s := range h.SecurityOpt {
		out = append(out, "SecurityOpt "+s)
	}
	if len(h.VolumesFrom) > 0 {
		out = append(out, "VolumesFrom "+strings.Join(h.VolumesFrom, ","))
	}
	for _, b := range h.Binds {
		src, _, _ := strings.Cut(b, ":")
		if strings.HasPrefix(src, "/") && !isSocket(src) {
			out = append(out, "host path bind "+b)
		}
	}
	for _, m := range h.Mounts {
		if m.Type == "bind" && !isSocket(m.Source) {
			out = append(out, "host path mount "+m.Source+"->"+m.Target)
		}
	}
	if obs != nil && obs.CapEff != "" {
		if v, err := strconv.ParseUint(obs.CapEff, 16, 64); err == nil && v&^defaultCaps != 0 {
			out = append(out, fmt.Sprintf("effective capabilities %s exceed Docker's default set", obs.CapEff))
		}
	}
	return out
}

// PrivilegeDefaults judges a container created without any opt-in
// (CP-01, CP-02, CP-03). obs may be nil.
func PrivilegeDefaults(c Create, obs *Observation) Failures {
	var fs Failures
	if c.HostConfig.Privileged {
		fs.add(RulePrivileged, "the container was created with HostConfig.Privileged=true although no opt-in was given")
	}
	if s := socketBinds(c); len(s) > 0 {
		fs.add(RuleSocket, "the Docker socket was given to the container without an opt-in: %s", strings.Join(s, ", "))
	} else if obs != nil && obs.DockerSocket.Reachable {
		fs.add(RuleSocket, "a Docker engine answered at %s inside the container without an opt-in", obs.DockerSocket.Path)
	}
	if h := hostAccess(c, obs); len(h) > 0 {
		fs.add(RuleHostAccess, "host access without an opt-in: %s", strings.Join(h, "; "))
	}
	return fs
}

// OptIn judges a container created with opt-ins (CP-04): what was asked for
// is there and nothing more. obs may be nil.
func OptIn(c Create, obs *Observation, privileged, socket bool) Failures {
	var fs Failures
	if c.HostConfig.Privileged != privileged {
		fs.add(RuleOptIn, "privileged=%v in the create request, want %v", c.HostConfig.Privileged, privileged)
	}
	s := socketBinds(c)
	switch {
	case socket && len(s) == 0:
		fs.add(RuleOptIn, "Docker host access was requested but no docker.sock bind or mount was made")
	case !socket && len(s) > 0:
		fs.add(RuleOptIn, "docker.sock given without being asked: %s", strings.Join(s, ", "))
	}
	if h := hostAccess(c, obs); len(h) > 0 {
		// With the privileged opt-in the kernel grants every capability;
		// that is part of what was asked for, not extra.
		var extra []string
		for _, x := range h {
			if privileged && strings.HasPrefix(x, "effective capabilities") {
				continue
			}
			extra = append(extra, x)
		}
		if len(extra) > 0 {
			fs.add(RuleOptIn, "more access than requested: %s", strings.Join(extra, "; "))
		}
	}
	return fs
}

// Endpoint judges whether the tool used the proxy it was pointed at
// (CP-05 for DOCKER_HOST, CP-06 for the TLS variant): at least one container
// create arrived through it.
func Endpoint(rule string, creates int, toolOK bool) Failures {
	var fs Failures
	if creates == 0 {
		fs.add(rule, "no container create request reached the engine named by the environment (tool exit ok=%v): the tool used another engine", toolOK)
	} else if !toolOK {
		fs.add(rule, "the tool reached the engine but the operation failed")
	}
	return fs
}

// Entrypoint judges R-103-01: /cnab/app/run ran. The create request either
// names it as the entrypoint or leaves the image's own (which is
// /cnab/app/run in the probe image); the probe's record proves it ran.
func Entrypoint(c Create, obs *Observation) Failures {
	var fs Failures
	ep := c.EntrypointList()
	if len(ep) > 0 && ep[0] != "/cnab/app/run" {
		fs.add(RuleEntrypoint, "entrypoint %q is not /cnab/app/run", ep)
	}
	if obs == nil {
		fs.add(RuleEntrypoint, "the probe at /cnab/app/run left no record: it did not run")
	}
	return fs
}

// BundleMounted judges R-103-03: /cnab/bundle.json is there and holds the
// bundle (compared as JSON values: a tool may re-serialise it).
func BundleMounted(obs *Observation, bundle []byte) Failures {
	var fs Failures
	f := obs.File("/cnab/bundle.json")
	if f == nil {
		fs.add(RuleBundle, "/cnab/bundle.json is missing in the invocation container")
		return fs
	}
	if !jsonEqual([]byte(f.Content), bundle) {
		fs.add(RuleBundle, "/cnab/bundle.json (%d bytes) does not hold the bundle", f.Size)
	}
	return fs
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// Expect is what the invocation should have been given.
type Expect struct {
	Action       string
	Installation string
	BundleName   string
}

// Env judges R-103-04 (CNAB_INSTALLATION_NAME, CNAB_BUNDLE_NAME and
// CNAB_ACTION are set, the first two to the right values) and R-103-06
// (CNAB_ACTION is the requested action).
func Env(obs *Observation, want Expect) Failures {
	var fs Failures
	if v, ok := obs.EnvValue("CNAB_INSTALLATION_NAME"); !ok || v != want.Installation {
		fs.add(RuleEnv, "CNAB_INSTALLATION_NAME=%q (set=%v), want %q", v, ok, want.Installation)
	}
	if v, ok := obs.EnvValue("CNAB_BUNDLE_NAME"); !ok || v != want.BundleName {
		fs.add(RuleEnv, "CNAB_BUNDLE_NAME=%q (set=%v), want %q", v, ok, want.BundleName)
	}
	v, ok := obs.EnvValue("CNAB_ACTION")
	if !ok {
		fs.add(RuleEnv, "CNAB_ACTION is not set")
	}
	if v != want.Action {
		fs.add(RuleAction, "CNAB_ACTION=%q, want %q", v, want.Action)
	}
	return fs
}

// ClaimsVersion is the Claims 1.0.0 value of CNAB_CLAIMS_VERSION.
const ClaimsVersion = "CNAB-Claims-1.0.0"

// ClaimsEnv judges C-400-11: CNAB_CLAIMS_VERSION is CNAB-Claims-1.0.0.
func ClaimsEnv(obs *Observation) Failures {
	var fs Failures
	if v, ok := obs.EnvValue("CNAB_CLAIMS_VERSION"); !ok || v != ClaimsVersion {
		fs.add(RuleClaimsEnv, "CNAB_CLAIMS_VERSION=%q (set=%v), want %q", v, ok, ClaimsVersion)
	}
	return fs
}

// ClaimMounted judges C-400-12: /cnab/claim.json is the claim of this
// operation (Claims 1.0.0): installation, action and revision match.
func ClaimMounted(obs *Observation, want Expect) Failures {
	var fs Failures
	f := obs.File("/cnab/claim.json")
	if f == nil {
		fs.add(RuleClaimMounted, "/cnab/claim.json is missing")
		return fs
	}
	var c struct {
		ID           string `json:"id"`
		Installation string `json:"installation"`
		Action       string `json:"action"`
		Revision     string `json:"revision"`
	}
	if err := json.Unmarshal([]byte(f.Content), &c); err != nil {
		fs.add(RuleClaimMounted, "/cnab/claim.json is not a JSON claim: %v", err)
		return fs
	}
	if c.Installation != want.Installation || c.Action != want.Action || c.ID == "" {
		fs.add(RuleClaimMounted, "/cnab/claim.json is for installation %q action %q (id %q), want %q %q", c.Installation, c.Action, c.ID, want.Installation, want.Action)
	}
	if rev, ok := obs.EnvValue("CNAB_REVISION"); ok && c.Revision != rev {
		fs.add(RuleClaimMounted, "/cnab/claim.json revision %q differs from CNAB_REVISION %q", c.Revision, rev)
	}
	return fs
}

// IsULID reports whether s looks like a ULID.
func IsULID(s string) bool {
	if len(s) != 26 || s[0] > '7' {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", r) {
			return false
		}
	}
	return true
}

// Revision judges R-103-07 for one action given the revision seen by the
// previous action of the installation ("" for none): a modifying action gets
// a new revision (a ULID, SHOULD), a non-modifying one keeps it.
func Revision(obs *Observation, previous string, modifies bool) Failures {
	var fs Failures
	rev, ok := obs.EnvValue("CNAB_REVISION")
	if modifies {
		switch {
		case !ok || rev == "":
			fs.add(RuleRevision, "CNAB_REVISION is not set for a modifying action")
		case rev == previous:
			fs.add(RuleRevision, "CNAB_REVISION %q was reused: a modifying action needs a new revision", rev)
		case !IsULID(rev):
			fs.add(RuleRevision, "CNAB_REVISION %q is not a ULID", rev)
		}
		return fs
	}
	if rev != previous {
		fs.add(RuleRevision, "CNAB_REVISION changed from %q to %q on an action with modifies:false", previous, rev)
	}
	return fs
}

// Digest judges B-101-15 in the tamper test: the tag was moved to a
// look-alike image (marked by a file at marker). The tool must refuse
// (non-zero exit, the container never started) or run the pinned image.
func Digest(obs *Observation, toolOK bool, marker string) Failures {
	var fs Failures
	if obs == nil {
		if toolOK {
			fs.add(RuleDigest, "the tool reported success but the invocation image left no record")
		}
		return fs
	}
	if obs.File(marker) != nil {
		fs.add(RuleDigest, "the image that ran holds %s: the tool ran the moved tag, not the contentDigest it was pinned to", marker)
	}
	return fs
}

// FirstImage judges B-101-17: the image that ran is not the later one
// (marked by marker).
func FirstImage(obs *Observation, marker string) Failures {
	var fs Failures
	if obs == nil {
		fs.add(RuleFirstImage, "no invocation image ran")
	} else if obs.File(marker) != nil {
		fs.add(RuleFirstImage, "a later invocation image ran (it holds %s) although an earlier one was runnable", marker)
	}
	return fs
}

// RelocationPath is where a runtime mounts the relocation mapping.
const RelocationPath = "/cnab/app/relocation-mapping.json"

// RuleRelocation is the relocation mapping rule.
const RuleRelocation = "R-103-24"

// Relocation judges R-103-24 for an install of a relocated bundle (pulled
// from a registry, so its images live in the bundle repository): the
// mapping is at /cnab/app/relocation-mapping.json, maps the bundle's
// invocation image, and the container runs the image it maps to.
func Relocation(obs *Observation, c Create, original string) Failures {
	var fs Failures
	f := obs.File(RelocationPath)
	if f == nil {
		fs.add(RuleRelocation, "%s is not mounted for a relocated bundle", RelocationPath)
		return fs
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(f.Content), &m); err != nil {
		fs.add(RuleRelocation, "%s is not a map of strings: %v", RelocationPath, err)
		return fs
	}
	to, ok := m[original]
	if !ok {
		fs.add(RuleRelocation, "%s has no entry for the invocation image %s", RelocationPath, original)
		return fs
	}
	if c.Image != to && !sameDigest(c.Image, to) {
		fs.add(RuleRelocation, "the container ran %s, not the relocated image %s", c.Image, to)
	}
	return fs
}

// sameDigest reports whether two references name the same repository and
// digest (a tool may add the digest to a relocated tagged reference).
func sameDigest(a, b string) bool {
	ra, da, oka := strings.Cut(a, "@")
	rb, db, okb := strings.Cut(b, "@")
	return oka && okb && da == db && trimTag(ra) == trimTag(rb)
}

func trimTag(repo string) string {
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		return repo[:i]
	}
	return repo
}
