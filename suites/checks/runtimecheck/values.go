package runtimecheck

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Encoded is how the spec (1.0.1+) passes a value: strings raw, other types
// as compact JSON.
func Encoded(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ParamEnvNames judges R-103-15: each env destination (env name -> any) is
// exported under exactly that name.
func ParamEnvNames(obs *Observation, envs map[string]any) Failures {
	var fs Failures
	for _, k := range sortedKeys(envs) {
		if _, ok := obs.EnvValue(k); !ok {
			fs.add(RuleParamEnv, "parameter destination env %s is not set", k)
		}
	}
	return fs
}

// ParamEnvValues judges R-103-17 for the destinations that are set: the
// value is encoded as the spec says. Missing ones are R-103-15's concern.
func ParamEnvValues(obs *Observation, envs map[string]any) Failures {
	var fs Failures
	for _, k := range sortedKeys(envs) {
		v, ok := obs.EnvValue(k)
		if !ok {
			continue
		}
		if want := Encoded(envs[k]); !obs.EnvEquals(k, want) {
			fs.add(RuleEncoding, "%s=%q, want %q (strings raw, other types compact JSON)", k, v, want)
		}
	}
	return fs
}

// ParamFiles judges R-103-18 (rule given, so B-101-28 and B-101-33 can reuse
// it): each path holds exactly the encoded value, an empty value included.
func ParamFiles(rule string, obs *Observation, files map[string]any) Failures {
	var fs Failures
	for _, p := range sortedKeys(files) {
		f := obs.File(p)
		want := Encoded(files[p])
		switch {
		case f == nil:
			fs.add(rule, "%s was not created", p)
		case f.SHA256 != Hash(want):
			fs.add(rule, "%s holds %d bytes (%s), want exactly %q", p, f.Size, f.SHA256, redact(want))
		}
	}
	return fs
}

// EnvValues judges that env vars hold values (rule given: B-101-28,
// B-101-33, R-103-16, B-101-36).
func EnvValues(rule string, obs *Observation, envs map[string]any) Failures {
	var fs Failures
	for _, k := range sortedKeys(envs) {
		want := Encoded(envs[k])
		if !obs.EnvEquals(k, want) {
			v, ok := obs.EnvValue(k)
			if obs.hashed(k) {
				v = "(hashed)"
			}
			fs.add(rule, "%s=%q (set=%v), want %q", k, v, ok, redact(want))
		}
	}
	return fs
}

// EnvAbsent judges that env vars are not set (rule given: B-101-31 for
// applyTo).
func EnvAbsent(rule string, obs *Observation, names ...string) Failures {
	var fs Failures
	for _, n := range names {
		if _, ok := obs.EnvValue(n); ok {
			fs.add(rule, "%s is set although it does not apply to action %q", n, obs.Action)
		}
	}
	return fs
}

// ReservedEnv judges B-101-37: a parameter whose destination is a CNAB_*
// variable the runtime sets does not replace the runtime's value.
func ReservedEnv(obs *Observation, name, paramValue, runtimeValue string) Failures {
	var fs Failures
	if v, _ := obs.EnvValue(name); v == paramValue && paramValue != runtimeValue {
		fs.add(RuleReservedEnv, "%s=%q: a parameter overrode the runtime's CNAB_* variable (want %q)", name, v, runtimeValue)
	}
	return fs
}

func redact(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// WriteOnly judges B-101-21: no secret value appears in what the tool
// printed.
func WriteOnly(output string, secrets ...string) Failures {
	var fs Failures
	for _, s := range secrets {
		if s != "" && strings.Contains(output, s) {
			fs.add(RuleWriteOnly, "a writeOnly value (%d characters) appears in the tool's output", len(s))
		}
	}
	return fs
}

// Refused judges a run that must stop before any container (rule given:
// B-101-30 missing required value, R-103-20 invalid value, B-101-34
// missing credential): the tool exits non-zero and creates nothing.
func Refused(rule string, toolOK bool, creates int) Failures {
	var fs Failures
	if toolOK {
		fs.add(rule, "the tool reported success")
	}
	if creates > 0 {
		fs.add(rule, "%d container(s) were created before the error was caught", creates)
	}
	return fs
}

// Failed judges R-103-14: an invocation image that exits non-zero (or
// hangs) makes the tool fail.
func Failed(toolOK bool, exitCode int, what string) Failures {
	var fs Failures
	if toolOK {
		fs.add(RuleFailure, "the tool exited 0 although %s", what)
	}
	return fs
}

// Succeeded judges an action that must work (rule given: R-103-11,
// B-101-42 stateless action).
func Succeeded(rule string, toolOK bool, exitCode int, what string) Failures {
	var fs Failures
	if !toolOK {
		fs.add(rule, "%s failed (exit %d)", what, exitCode)
	}
	return fs
}

// Leaks judges CP-07: no container created for the action is left.
func Leaks(leaked []string) Failures {
	var fs Failures
	if len(leaked) > 0 {
		fs.add(RuleRemoved, "containers left behind: %s", strings.Join(leaked, ", "))
	}
	return fs
}

// Extension judges B-101-46: when the tool does not support a required
// extension it tells the user, whether it goes on or stops. The suite's
// extension is invented, so no tool supports it.
func Extension(output, extension string, toolOK bool) Failures {
	var fs Failures
	// The probe's record, if the tool relays it, quotes bundle.json; only
	// what the tool itself says counts.
	var own []string
	for _, l := range strings.Split(output, "\n") {
		if _, err := ParseObservation([]byte(l)); err != nil {
			own = append(own, l)
		}
	}
	if !strings.Contains(strings.Join(own, "\n"), extension) {
		fs.add(RuleExtension, "the tool said nothing about the unsupported required extension %s (exit ok=%v)", extension, toolOK)
	}
	return fs
}

// Outputs judges B-101-48: outputs came back with the right values, and a
// missing output got its default (outputs name -> expected value; got name
// -> value read from the tool, missing when absent).
func Outputs(got map[string]string, want map[string]string) Failures {
	var fs Failures
	for _, k := range sortedKeys(want) {
		v, ok := got[k]
		switch {
		case !ok:
			fs.add(RuleOutputs, "output %q did not come back", k)
		case strings.TrimRight(v, "\n") != want[k]:
			fs.add(RuleOutputs, "output %q = %q, want %q", k, redact(v), want[k])
		}
	}
	return fs
}

// OutputsApplyTo judges B-101-31 for outputs: outputs that do not apply to
// the action are not reported.
func OutputsApplyTo(got map[string]string, notApplicable ...string) Failures {
	var fs Failures
	for _, n := range notApplicable {
		if _, ok := got[n]; ok {
			fs.add(RuleApplyTo, "output %q came back for an action it does not apply to", n)
		}
	}
	return fs
}

// Status judges X-804-01: io.cnab.status produced a status output that is a
// JSON object with a string "status" (status.schema.json).
func Status(got map[string]string) Failures {
	var fs Failures
	v, ok := got["status"]
	if !ok {
		fs.add(RuleStatus, "io.cnab.status produced no \"status\" output")
		return fs
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		fs.add(RuleStatus, "the status output is not a JSON object: %v", err)
		return fs
	}
	if st, ok := s["status"]; ok {
		if _, isStr := st.(string); !isStr {
			fs.add(RuleStatus, "status.status is not a string")
		}
	}
	return fs
}

// RuleCredentialsStored is the claims rule that credentials are never stored.
const RuleCredentialsStored = "C-400-07"

// CredentialsAtRest judges C-400-07: no file the tool keeps (its state
// directory: claims and results; outputs) holds a credential value.
// files maps a path to its content.
func CredentialsAtRest(files map[string][]byte, credentials ...string) Failures {
	var fs Failures
	for _, p := range sortedKeys(files) {
		for _, c := range credentials {
			if c != "" && strings.Contains(string(files[p]), c) {
				fs.add(RuleCredentialsStored, "%s holds a credential value (%d characters)", p, len(c))
			}
		}
	}
	return fs
}
