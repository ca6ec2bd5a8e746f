package docker

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ContainerConfig is the container create body: the engine's Config with a
// HostConfig inside. Only the fields the project sets or checks are typed.
type ContainerConfig struct {
	Image        string            `json:"Image"`
	Env          []string          `json:"Env,omitempty"`
	Entrypoint   []string          `json:"Entrypoint,omitempty"`
	Cmd          []string          `json:"Cmd,omitempty"`
	User         string            `json:"User,omitempty"`
	WorkingDir   string            `json:"WorkingDir,omitempty"`
	Labels       map[string]string `json:"Labels,omitempty"`
	AttachStdout bool              `json:"AttachStdout"`
	AttachStderr bool              `json:"AttachStderr"`
	Tty          bool              `json:"Tty"`
	HostConfig   HostConfig        `json:"HostConfig"`
}

// HostConfig is the privilege-relevant part of the engine's HostConfig.
type HostConfig struct {
	Privileged  bool           `json:"Privileged"`
	Binds       []string       `json:"Binds,omitempty"`
	Mounts      []Mount        `json:"Mounts,omitempty"`
	NetworkMode string         `json:"NetworkMode,omitempty"`
	PidMode     string         `json:"PidMode,omitempty"`
	IpcMode     string         `json:"IpcMode,omitempty"`
	UTSMode     string         `json:"UTSMode,omitempty"`
	UsernsMode  string         `json:"UsernsMode,omitempty"`
	CapAdd      []string       `json:"CapAdd,omitempty"`
	CapDrop     []string       `json:"CapDrop,omitempty"`
	Devices     []DeviceConfig `json:"Devices,omitempty"`
	SecurityOpt []string       `json:"SecurityOpt,omitempty"`
	GroupAdd    []string       `json:"GroupAdd,omitempty"`
	AutoRemove  bool           `json:"AutoRemove,omitempty"`
}

// Mount is one HostConfig.Mounts entry.
type Mount struct {
	Type     string `json:"Type"`
	Source   string `json:"Source,omitempty"`
	Target   string `json:"Target"`
	ReadOnly bool   `json:"ReadOnly,omitempty"`
}

// DeviceConfig is one HostConfig.Devices entry.
type DeviceConfig struct {
	PathOnHost        string `json:"PathOnHost"`
	PathInContainer   string `json:"PathInContainer"`
	CgroupPermissions string `json:"CgroupPermissions"`
}

// ContainerCreate creates a container named name ("" lets the engine pick)
// and returns its ID.
func (c *Client) ContainerCreate(ctx context.Context, name string, cfg ContainerConfig) (string, error) {
	return c.ContainerCreateRaw(ctx, name, cfg)
}

// ContainerCreateRaw is ContainerCreate with any JSON-encodable body, for
// callers that need fields ContainerConfig does not type.
func (c *Client) ContainerCreateRaw(ctx context.Context, name string, body any) (string, error) {
	var q url.Values
	if name != "" {
		q = url.Values{"name": {name}}
	}
	var out struct {
		ID string `json:"Id"`
	}
	if err := c.doJSON(ctx, "container create", http.MethodPost, "/containers/create", q, body, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", errors.New("docker container create: engine returned no ID")
	}
	return out.ID, nil
}

// ContainerStart starts a created container.
func (c *Client) ContainerStart(ctx context.Context, id string) error {
	return c.doJSON(ctx, "container start", http.MethodPost, "/containers/"+id+"/start", nil, nil, nil)
}

// ContainerWait blocks until the container is no longer running and returns
// its exit code. Cancel ctx to give up waiting (the container keeps running).
func (c *Client) ContainerWait(ctx context.Context, id string) (int, error) {
	var out struct {
		StatusCode int `json:"StatusCode"`
		Error      *struct {
			Message string `json:"Message"`
		} `json:"Error"`
	}
	q := url.Values{"condition": {"not-running"}}
	if err := c.doJSON(ctx, "container wait", http.MethodPost, "/containers/"+id+"/wait", q, nil, &out); err != nil {
		return -1, err
	}
	if out.Error != nil && out.Error.Message != "" {
		return out.StatusCode, fmt.Errorf("docker container wait: %s", out.Error.Message)
	}
	return out.StatusCode, nil
}

// ContainerStop stops a running container, killing it after timeout.
func (c *Client) ContainerStop(ctx context.Context, id string, timeout time.Duration) error {
	q := url.Values{"t": {strconv.Itoa(int(timeout.Seconds()))}}
	err := c.doJSON(ctx, "container stop", http.MethodPost, "/containers/"+id+"/stop", q, nil, nil)
	var e *Error
	if errors.As(err, &e) && e.Status == http.StatusNotModified {
		return nil // already stopped
	}
	return err
}

// ContainerRemove removes a container; force kills it first if running.
func (c *Client) ContainerRemove(ctx context.Context, id string, force bool) error {
	q := url.Values{"force": {boolStr(force)}, "v": {"1"}}
	return c.doJSON(ctx, "container remove", http.MethodDelete, "/containers/"+id, q, nil, nil)
}

// ContainerInfo is the part of a container inspect the project uses; Raw
// keeps the whole document for reports.
type ContainerInfo struct {
	ID    string `json:"Id"`
	Name  string `json:"Name"`
	Image string `json:"Image"`
	State struct {
		Status   string `json:"Status"`
		Running  bool   `json:"Running"`
		ExitCode int    `json:"ExitCode"`
	} `json:"State"`
	Config struct {
		Image string   `json:"Image"`
		Env   []string `json:"Env"`
		Tty   bool     `json:"Tty"`
	} `json:"Config"`
	HostConfig HostConfig      `json:"HostConfig"`
	Raw        json.RawMessage `json:"-"`
}

// ContainerInspect returns a container's details.
func (c *Client) ContainerInspect(ctx context.Context, id string) (ContainerInfo, error) {
	var raw json.RawMessage
	if err := c.doJSON(ctx, "container inspect", http.MethodGet, "/containers/"+id+"/json", nil, nil, &raw); err != nil {
		return ContainerInfo{}, err
	}
	var info ContainerInfo
	if err := json.Unmarshal(raw, &info); err != nil {
		return ContainerInfo{}, fmt.Errorf("docker container inspect: %w", err)
	}
	info.Raw = raw
	return info, nil
}

// ContainerSummary is one entry of a container list.
type ContainerSummary struct {
	ID     string            `json:"Id"`
	Names  []string          `json:"Names"`
	Image  string            `json:"Image"`
	State  string            `json:"State"`
	Labels map[string]string `json:"Labels"`
}

// ContainerList lists containers (all: include stopped ones), optionally
// filtered as the engine's filters parameter (e.g. {"name": ["cnabconf-"]}).
func (c *Client) ContainerList(ctx context.Context, all bool, filters map[string][]string) ([]ContainerSummary, error) {
	q := url.Values{"all": {boolStr(all)}}
	if len(filters) > 0 {
		f, err := json.Marshal(filters)
		if err != nil {
			return nil, err
		}
		q.Set("filters", string(f))
	}
	var out []ContainerSummary
	err := c.doJSON(ctx, "container list", http.MethodGet, "/containers/json", q, nil, &out)
	return out, err
}

// Logs are a container's output, split by stream.
type Logs struct {
	Stdout []byte
	Stderr []byte
}

// ContainerLogs returns everything the container wrote so far. tty says
// whether the container has a TTY (then the stream is not multiplexed).
func (c *Client) ContainerLogs(ctx context.Context, id string, tty bool) (Logs, error) {
	q := url.Values{"stdout": {"1"}, "stderr": {"1"}}
	resp, err := c.do(ctx, "container logs", http.MethodGet, "/containers/"+id+"/logs", q, nil, nil)
	if err != nil {
		return Logs{}, err
	}
	defer resp.Body.Close()
	if tty {
		b, err := io.ReadAll(resp.Body)
		return Logs{Stdout: b}, err
	}
	var so, se writerBuf
	if err := Demux(resp.Body, &so, &se); err != nil {
		return Logs{}, fmt.Errorf("docker container logs: %w", err)
	}
	return Logs{Stdout: so.b, Stderr: se.b}, nil
}

type writerBuf struct{ b []byte }

func (w *writerBuf) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

// Demux splits the engine's multiplexed stream (8-byte frame headers:
// stream type, three zero bytes, big-endian payload size) into stdout and
// stderr. Stream 0 (stdin) is treated as stdout, as the engine does.
func Demux(r io.Reader, stdout, stderr io.Writer) error {
	br := bufio.NewReader(r)
	var hdr [8]byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read frame header: %w", err)
		}
		var w io.Writer
		switch hdr[0] {
		case 0, 1:
			w = stdout
		case 2:
			w = stderr
		default:
			return fmt.Errorf("unknown stream type %d in multiplexed stream", hdr[0])
		}
		n := int64(binary.BigEndian.Uint32(hdr[4:]))
		if _, err := io.CopyN(w, br, n); err != nil {
			return fmt.Errorf("read frame of %d bytes: %w", n, err)
		}
	}
}

// PutArchive extracts a tar stream into the container's filesystem at path
// (a directory that exists in the container, usually "/").
func (c *Client) PutArchive(ctx context.Context, id, path string, tarStream io.Reader) error {
	q := url.Values{"path": {path}, "noOverwriteDirNonDir": {"1"}}
	hdr := http.Header{"Content-Type": {"application/x-tar"}}
	resp, err := c.do(ctx, "put archive", http.MethodPut, "/containers/"+id+"/archive", q, tarStream, hdr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

// GetArchive returns a tar stream of path in the container. The caller
// closes it. A missing path is an *Error with status 404.
func (c *Client) GetArchive(ctx context.Context, id, path string) (io.ReadCloser, error) {
	q := url.Values{"path": {path}}
	resp, err := c.do(ctx, "get archive", http.MethodGet, "/containers/"+id+"/archive", q, nil, nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}
