package reports

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

func TestRedactorString(t *testing.T) {
	r := NewRedactor("hunter2-value", `pa"ss-word`, "abc") // "abc" is too short to redact verbatim
	tests := []struct {
		in, want string
	}{
		{"login with hunter2-value now", "login with [REDACTED] now"},
		{`{"v":"pa\"ss-word"}`, `{"v":"[REDACTED]"}`},
		{`<failure message="pa&#34;ss-word">`, `<failure message="[REDACTED]">`}, // XML, as Ginkgo's JUnit report escapes it
		{`<pre>pa&#34;ss-word</pre>`, `<pre>[REDACTED]</pre>`},                   // HTML
		{"password=opensesame&user=x", "password=[REDACTED]&user=x"},
		{"DB_PASSWORD=opensesame", "DB_PASSWORD=[REDACTED]"},
		{`"api_key": "k-123"`, `"api_key": "[REDACTED]"`},
		{"tool login --password opensesame --user x", "tool login --password [REDACTED] --user x"},
		{"Authorization: Bearer eyJhbGciOi.payload.sig", "Authorization: Bearer [REDACTED]"},
		{"Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [REDACTED]"},
		{"got bearer abcdefgh12345678 back", "got bearer [REDACTED] back"},
		{"https://user:s3cret@registry.example.com/v2/", "https://user:[REDACTED]@registry.example.com/v2/"},
		// Ordinary text stays.
		{"abc is short; the token bucket was full", "abc is short; the token bucket was full"},
		{"CNAB_ACTION=install", "CNAB_ACTION=install"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var nilR *Redactor
	if got := nilR.String("password=x1"); got != "password=[REDACTED]" {
		t.Errorf("nil redactor: %q", got)
	}
}

func TestRedactorJSON(t *testing.T) {
	r := NewRedactor("opaque-cred-value")
	raw := json.RawMessage(`{"Env":["A=1","TOKEN=t-1","C=opaque-cred-value"],"Labels":{"registry_password":"pw","plain":"ok"},"N":3}`)
	got := string(r.JSON(raw))
	for _, leak := range []string{"t-1", "opaque-cred-value", `"pw"`} {
		if strings.Contains(got, leak) {
			t.Errorf("JSON keeps %s: %s", leak, got)
		}
	}
	if !json.Valid([]byte(got)) || !strings.Contains(got, `"plain":"ok"`) || !strings.Contains(got, `"A=1"`) || !strings.Contains(got, `"N":3`) {
		t.Errorf("JSON damaged: %s", got)
	}
	if got := r.JSON(json.RawMessage(`not json opaque-cred-value`)); !json.Valid(got) || strings.Contains(string(got), "opaque") {
		t.Errorf("non-JSON evidence: %s", got)
	}
}

// Large numbers in redacted JSON keep every digit.
func TestRedactorJSONKeepsNumbers(t *testing.T) {
	got := string(NewRedactor().JSON(json.RawMessage(`{"RandomSeed":1796418530123456789,"Size":12.5}`)))
	if !strings.Contains(got, "1796418530123456789") || !strings.Contains(got, "12.5") {
		t.Errorf("numbers changed: %s", got)
	}
}

func TestRedactorConcurrentAdd(t *testing.T) {
	r := NewRedactor()
	done := make(chan bool)
	for i := range 4 {
		go func() {
			r.Add(strings.Repeat("s", 5+i))
			_ = r.String("ssssssss")
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
	if got := r.String("ssssssss"); strings.Contains(got, "s") {
		t.Errorf("longest secret not removed whole: %q", got)
	}
}

// A value the runner did not declare secret is still removed everywhere
// once a recorded create request labels it (DB_PASSWORD=...).
func TestRedactorLearnsLabelledValues(t *testing.T) {
	create := json.RawMessage(`{"Env":["CNAB_ACTION=install","DB_PASSWORD=learned-pw-1"],"Labels":{"x":"y"}}`)
	probe := json.RawMessage(`{"env":{"API_TOKEN":"learned-tok-2","REGION":"eu"}}`)
	s := spec{containers: []string{"runtime"}, text: "writeOnly values never appear in the tool's output", labels: labels("runtime", "B-101-21"),
		state: types.SpecStateFailed, msg: "B-101-21: the tool printed learned-pw-1 and learned-tok-2", line: 10,
		entries: []types.ReportEntry{evidenceEntry(Evidence{ContainerCreates: []json.RawMessage{create}, Probe: probe,
			Commands: []CommandRun{{Operation: "install", Command: "tool install", Stdout: "params: learned-pw-1"}}})}}
	info := syntheticInfo()
	info.Redactor = nil // the runner declared nothing
	r := FromGinkgo(syntheticReport([]spec{s}), info)
	data, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"learned-pw-1", "learned-tok-2"} {
		if strings.Contains(string(data), leak) {
			t.Errorf("results keep %s", leak)
		}
	}
	if !strings.Contains(string(data), "REGION") || !strings.Contains(string(data), `\"eu\"`) && !strings.Contains(string(data), `"eu"`) {
		t.Error("ordinary values were removed")
	}
}

func TestRedactorLearnSkipsFlagsAndCounts(t *testing.T) {
	r := NewRedactor()
	r.Learn(json.RawMessage(`{"Env":["TOKEN_TTL=360000","SECRET_ENABLED=true","API_KEY=k3y-value-9"],"password":"12345678"}`))
	got := r.String("ttl 360000, enabled true, key k3y-value-9, 12345678")
	if got != "ttl 360000, enabled true, key [REDACTED], 12345678" {
		t.Errorf("got %q", got)
	}
}

// Embedded documents (a bundle.json inside a probe observation) keep their
// shape: a secret-looking key with an object value is not a secret.
func TestRedactorKeepsEmbeddedDocuments(t *testing.T) {
	r := NewRedactor("hunter22")
	in := `{"credentials":{"token":{"env":"API_TOKEN"}},"parameters":{"password":{"definition":"secret"}},"secret":[1,2],"password":"hunter22"}`
	want := `{"credentials":{"token":{"env":"API_TOKEN"}},"parameters":{"password":{"definition":"secret"}},"secret":[1,2],"password":"[REDACTED]"}`
	if got := r.String(in); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	r.Learn(json.RawMessage(`{"env":{"API_TOKEN":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}`))
	if got := r.String("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"); strings.Contains(got, Redacted) {
		t.Errorf("a digest was learned as a secret: %s", got)
	}
}
