package runtimecheck

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
)

// Failure is one check failure.
type Failure struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func (f Failure) String() string { return f.Rule + ": " + f.Message }

// Failures is a list of failures.
type Failures []Failure

func (fs *Failures) add(rule, format string, args ...any) {
	*fs = append(*fs, Failure{Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// For returns the failures of the given rules.
func (fs Failures) For(rules ...string) Failures {
	var out Failures
	for _, f := range fs {
		for _, r := range rules {
			if f.Rule == r {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// Rules returns the distinct rule IDs that failed, in order of appearance.
func (fs Failures) Rules() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule)
		}
	}
	return out
}

func (fs Failures) String() string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = f.String()
	}
	return strings.Join(s, "\n")
}

// Create is the part of a Docker container create request the checks read.
type Create struct {
	Image        string   `json:"Image"`
	Env          []string `json:"Env"`
	Entrypoint   any      `json:"Entrypoint"` // string or list in the API
	Cmd          any      `json:"Cmd"`
	User         string   `json:"User"`
	NetworkingCf any      `json:"NetworkingConfig"`
	HostConfig   struct {
		Privileged bool     `json:"Privileged"`
		Binds      []string `json:"Binds"`
		Mounts     []struct {
			Type   string `json:"Type"`
			Source string `json:"Source"`
			Target string `json:"Target"`
		} `json:"Mounts"`
		NetworkMode  string   `json:"NetworkMode"`
		PidMode      string   `json:"PidMode"`
		IpcMode      string   `json:"IpcMode"`
		UTSMode      string   `json:"UTSMode"`
		UsernsMode   string   `json:"UsernsMode"`
		CgroupnsMode string   `json:"CgroupnsMode"`
		CapAdd       []string `json:"CapAdd"`
		Devices      []struct {
			PathOnHost string `json:"PathOnHost"`
		} `json:"Devices"`
		DeviceRequests []json.RawMessage `json:"DeviceRequests"`
		SecurityOpt    []string          `json:"SecurityOpt"`
		VolumesFrom    []string          `json:"VolumesFrom"`
	} `json:"HostConfig"`
}

// ParseCreate decodes a recorded create request.
func ParseCreate(raw []byte) (Create, error) {
	var c Create
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("create request: %w", err)
	}
	return c, nil
}

// EntrypointList returns the entrypoint as a list (nil when unset).
func (c Create) EntrypointList() []string { return stringList(c.Entrypoint) }

func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// EnvMap returns the request's Env as a map.
func (c Create) EnvMap() map[string]string {
	m := map[string]string{}
	for _, kv := range c.Env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

// ProbeVersion is the observation format this package reads.
const ProbeVersion = "cnab-probe/1"

// Observation is the probe's record (fixtures/tools/probe; keep in step).
type Observation struct {
	Probe           string            `json:"probe"`
	Action          string            `json:"action"`
	Env             map[string]string `json:"env"`
	Hashed          []string          `json:"hashed"`
	Files           []File            `json:"files"`
	Mounts          []Mount           `json:"mounts"`
	CapEff          string            `json:"capEff"`
	UID             int               `json:"uid"`
	GID             int               `json:"gid"`
	DockerSocket    Socket            `json:"dockerSocket"`
	Outputs         []string          `json:"outputs"`
	ExitCode        int               `json:"exitCode"`
	BehaviourAction string            `json:"behaviourAction"`
	Errors          []string          `json:"errors"`
}

// File is a file the probe saw under /cnab.
type File struct {
	Path    string `json:"path"`
	Mode    string `json:"mode"`
	Dir     bool   `json:"dir"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	Content string `json:"content"`
}

// Mount is a mount the probe saw.
type Mount struct {
	MountPoint string `json:"mountPoint"`
	Root       string `json:"root"`
	FSType     string `json:"fsType"`
	Source     string `json:"source"`
}

// Socket is the probe's Docker socket finding.
type Socket struct {
	Path      string `json:"path"`
	Exists    bool   `json:"exists"`
	Reachable bool   `json:"reachable"`
}

// ErrNoObservation means no probe record was found.
var ErrNoObservation = errors.New("no probe observation found")

// ParseObservation finds the probe's record: a whole document, or one line
// of container output.
func ParseObservation(text []byte) (*Observation, error) {
	try := func(b []byte) *Observation {
		var o Observation
		if json.Unmarshal(b, &o) == nil && o.Probe == ProbeVersion {
			return &o
		}
		return nil
	}
	if o := try(text); o != nil {
		return o, nil
	}
	sc := bufio.NewScanner(strings.NewReader(string(text)))
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		if o := try([]byte(strings.TrimSpace(sc.Text()))); o != nil {
			return o, nil
		}
	}
	return nil, ErrNoObservation
}

// File returns the file at p, nil when the probe did not see it.
func (o *Observation) File(p string) *File {
	if o == nil {
		return nil
	}
	p = path.Clean(p)
	for i := range o.Files {
		if o.Files[i].Path == p {
			return &o.Files[i]
		}
	}
	return nil
}

// Hash is how the probe records secret values and file contents.
func Hash(v string) string {
	s := sha256.Sum256([]byte(v))
	return "sha256:" + hex.EncodeToString(s[:])
}

// EnvValue returns an env var and whether it was set; a value the probe
// hashed (a secret) is compared by its hash.
func (o *Observation) EnvValue(name string) (string, bool) {
	if o == nil {
		return "", false
	}
	v, ok := o.Env[name]
	return v, ok
}

// hashed reports whether the probe recorded name as a hash.
func (o *Observation) hashed(name string) bool {
	for _, h := range o.Hashed {
		if h == name {
			return true
		}
	}
	return false
}

// EnvEquals reports whether env var name holds want (comparing hashes for
// secrets).
func (o *Observation) EnvEquals(name, want string) bool {
	v, ok := o.EnvValue(name)
	if !ok {
		return false
	}
	if o.hashed(name) {
		return v == Hash(want)
	}
	return v == want
}
