package runtimecheck

import (
	"slices"
	"testing"
)

func mustCreate(t *testing.T, s string) Create {
	t.Helper()
	c, err := ParseCreate([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// expectRules asserts fs names exactly the rules in want.
func expectRules(t *testing.T, name string, fs Failures, want ...string) {
	t.Helper()
	got := fs.Rules()
	slices.Sort(got)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("%s: failed rules %v, want %v\n%s", name, got, w, fs)
	}
}

func TestPrivilegeDefaults(t *testing.T) {
	for _, tc := range []struct {
		name, req string
		obs       *Observation
		want      []string
	}{
		{"cnab-go defaults", `{"Image":"x","Entrypoint":["/cnab/app/run"],"HostConfig":{}}`, &Observation{CapEff: "00000000a80425fb"}, nil},
		{"privileged", `{"HostConfig":{"Privileged":true}}`, nil, []string{"CP-01"}},
		{"socket bind", `{"HostConfig":{"Binds":["/var/run/docker.sock:/var/run/docker.sock"]}}`, nil, []string{"CP-02"}},
		{"socket mount", `{"HostConfig":{"Mounts":[{"Type":"bind","Source":"/run/docker.sock","Target":"/var/run/docker.sock"}]}}`, nil, []string{"CP-02"}},
		{"socket reachable", `{"HostConfig":{}}`, &Observation{DockerSocket: Socket{Path: "/var/run/docker.sock", Exists: true, Reachable: true}}, []string{"CP-02"}},
		{"host network", `{"HostConfig":{"NetworkMode":"host"}}`, nil, []string{"CP-03"}},
		{"pid", `{"HostConfig":{"PidMode":"host"}}`, nil, []string{"CP-03"}},
		{"caps", `{"HostConfig":{"CapAdd":["SYS_ADMIN"]}}`, nil, []string{"CP-03"}},
		{"device", `{"HostConfig":{"Devices":[{"PathOnHost":"/dev/fuse"}]}}`, nil, []string{"CP-03"}},
		{"host path", `{"HostConfig":{"Binds":["/etc:/host-etc:ro"]}}`, nil, []string{"CP-03"}},
		{"named volume ok", `{"HostConfig":{"Binds":["data:/data"]}}`, nil, nil},
		{"capeff", `{"HostConfig":{}}`, &Observation{CapEff: "000001ffffffffff"}, []string{"CP-03"}},
	} {
		expectRules(t, tc.name, PrivilegeDefaults(mustCreate(t, tc.req), tc.obs), tc.want...)
	}
}

func TestOptIn(t *testing.T) {
	sock := `{"HostConfig":{"Binds":["/var/run/docker.sock:/var/run/docker.sock"]}}`
	for _, tc := range []struct {
		name, req    string
		priv, socket bool
		want         []string
	}{
		{"socket asked and given", sock, false, true, nil},
		{"socket asked, not given", `{"HostConfig":{}}`, false, true, []string{"CP-04"}},
		{"privileged asked and given", `{"HostConfig":{"Privileged":true}}`, true, false, nil},
		{"privileged asked, socket given too", `{"HostConfig":{"Privileged":true,"Binds":["/var/run/docker.sock:/var/run/docker.sock"]}}`, true, false, []string{"CP-04"}},
		{"socket asked, host network added", `{"HostConfig":{"NetworkMode":"host","Binds":["/var/run/docker.sock:/var/run/docker.sock"]}}`, false, true, []string{"CP-04"}},
	} {
		expectRules(t, tc.name, OptIn(mustCreate(t, tc.req), nil, tc.priv, tc.socket), tc.want...)
	}
	// All capabilities are part of privileged mode.
	expectRules(t, "privileged caps", OptIn(mustCreate(t, `{"HostConfig":{"Privileged":true}}`), &Observation{CapEff: "000001ffffffffff"}, true, false))
}

func TestInvocation(t *testing.T) {
	obs := &Observation{Probe: ProbeVersion, Env: map[string]string{
		"CNAB_ACTION": "install", "CNAB_INSTALLATION_NAME": "i", "CNAB_BUNDLE_NAME": "b",
		"CNAB_CLAIMS_VERSION": "CNAB-Claims-1.0.0", "CNAB_REVISION": "01ARZ3NDEKTSV4RRFFQ69G5FAV"},
		Files: []File{{Path: "/cnab/bundle.json", Content: `{"name":"b", "version":"1"}`},
			{Path: "/cnab/claim.json", Content: `{"id":"x","installation":"i","action":"install","revision":"01ARZ3NDEKTSV4RRFFQ69G5FAV"}`}}}
	want := Expect{Action: "install", Installation: "i", BundleName: "b"}
	expectRules(t, "env ok", Env(obs, want))
	expectRules(t, "wrong action", Env(obs, Expect{Action: "upgrade", Installation: "i", BundleName: "b"}), "R-103-06")
	expectRules(t, "bundle ok", BundleMounted(obs, []byte(`{"version":"1","name":"b"}`)))
	expectRules(t, "bundle differs", BundleMounted(obs, []byte(`{"name":"c"}`)), "R-103-03")
	expectRules(t, "claims env", ClaimsEnv(obs))
	expectRules(t, "claim ok", ClaimMounted(obs, want))
	expectRules(t, "claim wrong action", ClaimMounted(obs, Expect{Action: "upgrade", Installation: "i"}), "C-400-12")
	expectRules(t, "entrypoint ok", Entrypoint(mustCreate(t, `{"Entrypoint":["/cnab/app/run"]}`), obs))
	expectRules(t, "entrypoint default", Entrypoint(mustCreate(t, `{}`), obs))
	expectRules(t, "entrypoint other", Entrypoint(mustCreate(t, `{"Entrypoint":"/bin/sh"}`), obs), "R-103-01")
	expectRules(t, "did not run", Entrypoint(mustCreate(t, `{}`), nil), "R-103-01")
	expectRules(t, "rev new", Revision(obs, "", true))
	expectRules(t, "rev reused", Revision(obs, "01ARZ3NDEKTSV4RRFFQ69G5FAV", true), "R-103-07")
	expectRules(t, "rev kept", Revision(obs, "01ARZ3NDEKTSV4RRFFQ69G5FAV", false))
	expectRules(t, "rev changed on non-modifying", Revision(obs, "01ARZ3NDEKTSV4RRFFQ69G5FAW", false), "R-103-07")

	delete(obs.Env, "CNAB_ACTION")
	delete(obs.Env, "CNAB_CLAIMS_VERSION")
	obs.Files = nil
	expectRules(t, "action missing", Env(obs, want), "R-103-04", "R-103-06")
	expectRules(t, "no claims version", ClaimsEnv(obs), "C-400-11")
	expectRules(t, "no claim", ClaimMounted(obs, want), "C-400-12")
	expectRules(t, "no bundle", BundleMounted(obs, []byte(`{}`)), "R-103-03")
	obs.Env["CNAB_REVISION"] = "not-a-ulid"
	expectRules(t, "rev not ulid", Revision(obs, "", true), "R-103-07")
}

func TestDigestAndImages(t *testing.T) {
	clean := &Observation{Probe: ProbeVersion}
	marked := &Observation{Probe: ProbeVersion, Files: []File{{Path: "/cnab/app/tampered"}}}
	expectRules(t, "pinned ran", Digest(clean, true, "/cnab/app/tampered"))
	expectRules(t, "refused", Digest(nil, false, "/cnab/app/tampered"))
	expectRules(t, "tag ran", Digest(marked, true, "/cnab/app/tampered"), "B-101-15")
	expectRules(t, "ok without run", Digest(nil, true, "/cnab/app/tampered"), "B-101-15")
	expectRules(t, "first", FirstImage(clean, "/cnab/app/tampered"))
	expectRules(t, "later", FirstImage(marked, "/cnab/app/tampered"), "B-101-17")
	expectRules(t, "none ran", FirstImage(nil, "/x"), "B-101-17")
}

func TestValues(t *testing.T) {
	obs := &Observation{Probe: ProbeVersion, Env: map[string]string{"PORT": "8080", "ON": "true", "OBJ": `{"a":1}`, "S": "a b",
		"TOKEN": Hash("cred")}, Hashed: []string{"TOKEN"},
		Files: []File{{Path: "/cnab/app/cfg", SHA256: Hash(`{"a":1}`)}, {Path: "/cnab/app/empty", SHA256: Hash("")}}}
	envs := map[string]any{"PORT": float64(8080), "ON": true, "OBJ": map[string]any{"a": 1}, "S": "a b"}
	expectRules(t, "names ok", ParamEnvNames(obs, envs))
	expectRules(t, "values ok", ParamEnvValues(obs, envs))
	expectRules(t, "name missing", ParamEnvNames(obs, map[string]any{"NOPE": "x"}), "R-103-15")
	expectRules(t, "missing is not an encoding failure", ParamEnvValues(obs, map[string]any{"NOPE": "x"}))
	expectRules(t, "encoding", ParamEnvValues(obs, map[string]any{"S": `"a b"`}), "R-103-17")
	expectRules(t, "files ok", ParamFiles(RuleParamFile, obs, map[string]any{"/cnab/app/cfg": map[string]any{"a": 1}, "/cnab/app/empty": ""}))
	expectRules(t, "file missing", ParamFiles(RuleParamFile, obs, map[string]any{"/cnab/app/nope": "x"}), "R-103-18")
	expectRules(t, "file content", ParamFiles(RuleParamFile, obs, map[string]any{"/cnab/app/cfg": "x"}), "R-103-18")
	expectRules(t, "secret env ok", EnvValues(RuleParamVsCred, obs, map[string]any{"TOKEN": "cred"}))
	expectRules(t, "secret env wrong", EnvValues(RuleParamVsCred, obs, map[string]any{"TOKEN": "param"}), "B-101-36")
	expectRules(t, "absent", EnvAbsent(RuleApplyTo, obs, "LATE"))
	expectRules(t, "present", EnvAbsent(RuleApplyTo, obs, "PORT"), "B-101-31")
	obs.Env["CNAB_ACTION"] = "install"
	expectRules(t, "reserved kept", ReservedEnv(obs, "CNAB_ACTION", "hijack", "install"))
	obs.Env["CNAB_ACTION"] = "hijack"
	expectRules(t, "reserved overridden", ReservedEnv(obs, "CNAB_ACTION", "hijack", "install"), "B-101-37")
}

func TestToolResults(t *testing.T) {
	expectRules(t, "no secret", WriteOnly("installed ok", "s3cr3t"))
	expectRules(t, "secret printed", WriteOnly("param pw=s3cr3t", "s3cr3t"), "B-101-21")
	expectRules(t, "refused", Refused(RuleRequired, false, 0))
	expectRules(t, "ran anyway", Refused(RuleRequired, true, 1), "B-101-30")
	expectRules(t, "failed after create", Refused(RuleValidation, false, 1), "R-103-20")
	expectRules(t, "failure reported", Failed(false, 3, "exit 3"))
	expectRules(t, "failure hidden", Failed(true, 3, "exit 3"), "R-103-14")
	expectRules(t, "ok", Succeeded(RuleActions, true, 0, "install"))
	expectRules(t, "not ok", Succeeded(RuleStateless, false, 1, "stateless action"), "B-101-42")
	expectRules(t, "no leaks", Leaks(nil))
	expectRules(t, "leak", Leaks([]string{"abc"}), "CP-07")
	expectRules(t, "extension told", Extension("error: unsupported extension io.x.y", "io.x.y", false))
	expectRules(t, "extension silent", Extension("done", "io.x.y", true), "B-101-46")
	expectRules(t, "only the probe quotes it", Extension(`{"probe":"cnab-probe/1","files":[{"content":"io.x.y"}]}`+"\ndone", "io.x.y", true), "B-101-46")
	expectRules(t, "endpoint used", Endpoint(RuleDockerHost, 1, true))
	expectRules(t, "endpoint bypassed", Endpoint(RuleDockerHost, 0, true), "CP-05")
	expectRules(t, "tls failed", Endpoint(RuleDockerTLS, 1, false), "CP-06")
	got := map[string]string{"greeting": "hello\n", "fallback": "dflt", "late": "x"}
	expectRules(t, "outputs ok", Outputs(got, map[string]string{"greeting": "hello", "fallback": "dflt"}))
	expectRules(t, "output missing", Outputs(got, map[string]string{"nope": "x"}), "B-101-48")
	expectRules(t, "output wrong", Outputs(got, map[string]string{"fallback": "x"}), "B-101-48")
	expectRules(t, "applyTo ok", OutputsApplyTo(got, "other"))
	expectRules(t, "applyTo broken", OutputsApplyTo(got, "late"), "B-101-31")
	expectRules(t, "status ok", Status(map[string]string{"status": `{"status":"Ready"}`}))
	expectRules(t, "status missing", Status(got), "X-804-01")
	expectRules(t, "status not json", Status(map[string]string{"status": "Ready"}), "X-804-01")
	expectRules(t, "status not string", Status(map[string]string{"status": `{"status":1}`}), "X-804-01")
}

func TestParseObservation(t *testing.T) {
	doc := `{"probe":"cnab-probe/1","action":"install","env":{"A":"b"}}`
	for _, in := range []string{doc, "noise\n" + doc + "\nmore noise\n"} {
		o, err := ParseObservation([]byte(in))
		if err != nil || o.Action != "install" {
			t.Errorf("%q: %+v %v", in, o, err)
		}
	}
	for _, in := range []string{"", "{}", `{"probe":"other/2"}`} {
		if _, err := ParseObservation([]byte(in)); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	var nilObs *Observation
	if nilObs.File("/x") != nil {
		t.Error("nil observation has files")
	}
	if Encoded("a") != "a" || Encoded(true) != "true" || Encoded(map[string]any{"foo": 23}) != `{"foo":23}` {
		t.Error("Encoded")
	}
}

func TestRelocation(t *testing.T) {
	obs := func(mapping string) *Observation {
		return &Observation{Probe: ProbeVersion, Files: []File{{Path: RelocationPath, Content: mapping}}}
	}
	const orig = "src/probe:v1"
	create := mustCreate(t, `{"Image":"dst/bundle@sha256:aa"}`)
	expectRules(t, "relocated", Relocation(obs(`{"src/probe:v1":"dst/bundle@sha256:aa"}`), create, orig))
	expectRules(t, "tagged relocated", Relocation(obs(`{"src/probe:v1":"dst/bundle:v1@sha256:aa"}`), create, orig))
	expectRules(t, "not mounted", Relocation(&Observation{Probe: ProbeVersion}, create, orig), "R-103-24")
	expectRules(t, "no entry", Relocation(obs(`{"other":"x"}`), create, orig), "R-103-24")
	expectRules(t, "not a map", Relocation(obs(`[1]`), create, orig), "R-103-24")
	expectRules(t, "original ran", Relocation(obs(`{"src/probe:v1":"dst/bundle@sha256:aa"}`), mustCreate(t, `{"Image":"src/probe:v1"}`), orig), "R-103-24")
}

func TestCredentialsAtRest(t *testing.T) {
	files := map[string][]byte{"state/claims/i/1.json": []byte(`{"parameters":{"region":"eu"}}`)}
	expectRules(t, "clean", CredentialsAtRest(files, "tok-123"))
	files["state/claims/i/2.json"] = []byte(`{"credentials":{"token":"tok-123"}}`)
	expectRules(t, "stored", CredentialsAtRest(files, "tok-123"), "C-400-07")
}
