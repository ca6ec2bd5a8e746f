package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Redacted replaces every secret in a report.
const Redacted = "[REDACTED]"

// MinSecretLength is the shortest value the Redactor removes verbatim:
// shorter values would wipe out ordinary text ("a", "no"). Such values are
// still caught when they follow a password=, token= or similar key.
const MinSecretLength = 4

// Redactor removes secrets from everything a report writes: command lines,
// tool output, failure messages, notes, and the raw container create
// requests and probe observations (where credential values turn up as
// environment variables or file contents).
//
// It knows two kinds of secret: values the runner feeds it (credential
// values, writeOnly parameter values, registry passwords), removed wherever
// they appear, also JSON-escaped; and values that follow a secret-looking
// key (password=..., "token": "...", Authorization: Bearer ...), removed by
// pattern. The zero value and nil apply the patterns only. It is safe for
// concurrent use.
type Redactor struct {
	mu      sync.Mutex
	secrets []string
}

// NewRedactor returns a Redactor that removes the given values.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers secret values. Values shorter than MinSecretLength are
// ignored (see MinSecretLength).
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < MinSecretLength || slices.Contains(r.secrets, s) {
			continue
		}
		r.secrets = append(r.secrets, s)
		// The escaped forms are how the value appears inside recorded
		// requests ("pa\"ss" for pa"ss) and in XML or HTML files a
		// redacted text is not rendered from (Ginkgo's own reports).
		for _, esc := range escapedForms(s) {
			if esc != s && !slices.Contains(r.secrets, esc) {
				r.secrets = append(r.secrets, esc)
			}
		}
	}
	// Longest first, so a secret that contains another is removed whole.
	sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// escapedForms returns s as it reads inside a JSON string, and in XML and
// HTML text and attributes.
func escapedForms(s string) []string {
	var out []string
	if b, err := json.Marshal(s); err == nil {
		out = append(out, string(b[1:len(b)-1]))
	}
	var x bytes.Buffer
	if xml.EscapeText(&x, []byte(s)) == nil {
		out = append(out, x.String())
	}
	return append(out, html.EscapeString(s))
}

// secretPatterns match a secret-looking key followed by its value; the value
// is the last capture group. Keys are matched case-insensitively and may be
// quoted, as in JSON, env (KEY=value) and command-line (--password value) form.
var secretPatterns = []*regexp.Regexp{
	// Authorization headers.
	regexp.MustCompile(`(?i)(\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)([^\s"',;]+)`),
	regexp.MustCompile(`(?i)(\bbearer\s+)([A-Za-z0-9\-._~+/]{8,}=*)`),
	// key=value, key: value, "key": "value", --key=value (DB_PASSWORD=x too).
	regexp.MustCompile(`(?i)((?:^|[^A-Za-z0-9])[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_-]*["']?\s*[:=]\s*["']?)([^\s"'&,;{}\[\]]+)`),
	// --password value, -p is too ambiguous to catch.
	regexp.MustCompile(`(?i)((?:^|\s)--?[A-Za-z0-9_-]*(?:password|passwd|passphrase|secret|token|api-?key)[A-Za-z0-9_-]*\s+["']?)([^\s"']+)`),
	// user:password@ in URLs.
	regexp.MustCompile(`(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)`),
}

// String returns s with every secret replaced by Redacted.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	if r != nil {
		r.mu.Lock()
		for _, sec := range r.secrets {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
		r.mu.Unlock()
	}
	for _, re := range secretPatterns {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatchIndex(m)
			// Replace the value group (2), keep any trailing group (3, the "@").
			start, end := sub[4], sub[5]
			if m[start:end] == Redacted || strings.HasPrefix(m[start:end], Redacted) {
				return m
			}
			return m[:start] + Redacted + m[end:]
		})
	}
	return s
}

// JSON redacts a raw JSON value and keeps it valid JSON: secret values are
// replaced inside string values, and pattern rules apply to the values of
// secret-looking keys.
func (r *Redactor) JSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	var v any
	// Numbers stay json.Number, so large integers (seeds, sizes) survive.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		// Not JSON after all: redact as text and wrap it as a JSON string,
		// so the results file stays valid.
		b, _ := json.Marshal(r.String(string(raw)))
		return b
	}
	v = r.value("", v)
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}

var secretKey = regexp.MustCompile(`(?i)(password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)`)

func (r *Redactor) value(key string, v any) any {
	switch t := v.(type) {
	case string:
		if key != "" && secretKey.MatchString(key) && t != "" {
			return Redacted
		}
		return r.String(t)
	case []any:
		for i := range t {
			t[i] = r.value("", t[i])
		}
		return t
	case map[string]any:
		for k, e := range t {
			t[k] = r.value(k, e)
		}
		return t
	}
	return v
}

// Learn adds the values a recorded JSON document keeps under
// secret-looking names: "KEY": "value" members and "KEY=value" strings (a
// container's Env), so that the same values are also removed where they
// turn up unlabelled, such as in a tool's output or a failure message.
func (r *Redactor) Learn(raw json.RawMessage) {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch t := v.(type) {
		case string:
			if key != "" && secretKey.MatchString(key) && learnable(t) {
				r.Add(t)
			} else if k, val, ok := strings.Cut(t, "="); ok && !strings.ContainsAny(k, " \t") && secretKey.MatchString(k) && learnable(val) {
				r.Add(val)
			}
		case []any:
			for _, e := range t {
				walk("", e)
			}
		case map[string]any:
			for k, e := range t {
				walk(k, e)
			}
		}
	}
	walk("", v)
}

// learnable keeps Learn from taking flags and counts for secrets
// (TOKEN_TTL=3600, SECRET_ENABLED=true): removing those everywhere would
// wreck the report.
func learnable(v string) bool {
	if len(v) < 6 {
		return false
	}
	switch strings.ToLower(v) {
	case "true", "false", "null", "enabled", "disabled":
		return false
	}
	// A digest of a secret is evidence (the probe reports hashes so that
	// checks can compare values without holding them), not the secret.
	if digestLike.MatchString(v) {
		return false
	}
	return strings.Trim(v, "0123456789.-") != ""
}

var digestLike = regexp.MustCompile(`^([a-z0-9]+:)?[0-9a-f]{32,}$`)

// Evidence redacts every field of ev in place.
func (r *Redactor) Evidence(ev *Evidence) {
	if ev == nil {
		return
	}
	for i := range ev.Commands {
		c := &ev.Commands[i]
		c.Command, c.Stdout, c.Stderr = r.String(c.Command), r.String(c.Stdout), r.String(c.Stderr)
	}
	for i := range ev.RegistryRequests {
		q := &ev.RegistryRequests[i]
		q.Path = r.String(q.Path)
	}
	for i := range ev.ContainerCreates {
		ev.ContainerCreates[i] = r.JSON(ev.ContainerCreates[i])
	}
	ev.Probe = r.JSON(ev.Probe)
	for i := range ev.Notes {
		ev.Notes[i] = r.String(ev.Notes[i])
	}
}

// Results redacts every free-text field of res in place, after learning
// the secret values its recorded create requests and probe observations
// label (see Learn). A nil Redactor applies the pattern rules only.
func (r *Redactor) Results(res *Results) {
	if r != nil {
		for _, c := range res.Checks {
			if c.Evidence == nil {
				continue
			}
			for _, cr := range c.Evidence.ContainerCreates {
				r.Learn(cr)
			}
			r.Learn(c.Evidence.Probe)
		}
	}
	for i := range res.Checks {
		c := &res.Checks[i]
		c.Reason, c.Output = r.String(c.Reason), r.String(c.Output)
		if c.Failure != nil {
			c.Failure.Message = r.String(c.Failure.Message)
			for j := range c.Failure.Additional {
				c.Failure.Additional[j] = r.String(c.Failure.Additional[j])
			}
		}
		r.Evidence(c.Evidence)
	}
	for i := range res.SuiteErrors {
		res.SuiteErrors[i].Message = r.String(res.SuiteErrors[i].Message)
	}
	for i := range res.Notes {
		res.Notes[i] = r.String(res.Notes[i])
	}
	for i := range res.Verdicts {
		for j := range res.Verdicts[i].Reasons {
			res.Verdicts[i].Reasons[j] = r.String(res.Verdicts[i].Reasons[j])
		}
	}
	res.LabelFilter = r.String(res.LabelFilter)
}
