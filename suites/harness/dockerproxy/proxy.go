package dockerproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cnab-conformance/cnab-conformance/internal/docker"
)

// Mode is how the proxy treats HostConfig.Privileged.
type Mode string

// Privileged modes.
const (
	// Record keeps the flag in the record and clears it before forwarding.
	Record Mode = "record"
	// Pass forwards the request unchanged.
	Pass Mode = "pass"
)

// Options configure a proxy. The zero value proxies to $DOCKER_HOST (or the
// default socket) in Record mode without TLS.
type Options struct {
	// Upstream is the real engine (unix:// or tcp://); empty means the
	// environment's DOCKER_HOST, else the default socket. TLS settings for a
	// tcp upstream come from DOCKER_TLS_VERIFY/DOCKER_CERT_PATH.
	Upstream string
	// Privileged is Record (default) or Pass.
	Privileged Mode
	// TLS also serves the API on 127.0.0.1 over TLS with client
	// certificates, for the DOCKER_TLS_VERIFY/DOCKER_CERT_PATH variant.
	TLS bool
	// TempRoot is where the private directory is made; empty: os.TempDir.
	TempRoot string
}

// Call is one API request the proxy forwarded.
type Call struct {
	Seq      int    `json:"seq"`
	Listener string `json:"listener"` // "unix" or "tls"
	Method   string `json:"method"`
	Path     string `json:"path"`
	Status   int    `json:"status"`
}

// Create is one recorded container create request.
type Create struct {
	Seq      int    `json:"seq"`
	Listener string `json:"listener"`
	Name     string `json:"name,omitempty"` // ?name= as sent
	// Request is the body exactly as the tool sent it (Config with
	// HostConfig inside).
	Request json.RawMessage `json:"request"`
	// PrivilegedCleared says the proxy cleared HostConfig.Privileged before
	// forwarding (Record mode).
	PrivilegedCleared bool   `json:"privilegedCleared,omitempty"`
	Status            int    `json:"status"`
	ID                string `json:"id,omitempty"`
	Error             string `json:"error,omitempty"`
	// Captured from the engine when a wait ended or before removal.
	Stdout   string          `json:"stdout,omitempty"`
	Stderr   string          `json:"stderr,omitempty"`
	Inspect  json.RawMessage `json:"inspect,omitempty"`
	ExitCode *int            `json:"exitCode,omitempty"`
	Removed  bool            `json:"removed,omitempty"` // the tool removed it through the proxy
	Started  bool            `json:"started,omitempty"`
}

// Proxy is a running recording proxy.
type Proxy struct {
	opts     Options
	dir      string
	sock     string
	upstream *docker.Client
	rp       *httputil.ReverseProxy
	servers  []*http.Server
	tlsAddr  string
	certDir  string

	mu      sync.Mutex
	seq     int
	calls   []Call
	creates []*Create
}

var (
	reCreate = regexp.MustCompile(`^(?:/v[0-9.]+)?/containers/create$`)
	reOne    = regexp.MustCompile(`^(?:/v[0-9.]+)?/containers/([^/]+)$`)
	reWait   = regexp.MustCompile(`^(?:/v[0-9.]+)?/containers/([^/]+)/wait$`)
	reStart  = regexp.MustCompile(`^(?:/v[0-9.]+)?/containers/([^/]+)/start$`)
)

// Start serves a proxy until Close.
func Start(ctx context.Context, opts Options) (*Proxy, error) {
	if opts.Privileged == "" {
		opts.Privileged = Record
	}
	if opts.Privileged != Record && opts.Privileged != Pass {
		return nil, fmt.Errorf("dockerproxy: privileged mode %q: want %q or %q", opts.Privileged, Record, Pass)
	}
	ucfg := docker.ConfigFromEnv(nil)
	if opts.Upstream != "" {
		ucfg.Host = opts.Upstream
	}
	tr, base, err := docker.Transport(ucfg)
	if err != nil {
		return nil, fmt.Errorf("dockerproxy: upstream: %w", err)
	}
	up, err := docker.New(ucfg)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := up.Ping(pctx); err != nil {
		return nil, fmt.Errorf("dockerproxy: upstream engine does not answer: %w", err)
	}
	dir, err := os.MkdirTemp(opts.TempRoot, "cnabconf-docker-")
	if err != nil {
		return nil, fmt.Errorf("dockerproxy: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	baseURL, _ := url.Parse(base)
	p := &Proxy{opts: opts, dir: dir, sock: filepath.Join(dir, "docker.sock"), upstream: up}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(baseURL)
			pr.Out.Host = baseURL.Host
		},
		Transport:     tr,
		FlushInterval: -1, // logs, events, pull progress and attach stream as they come
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "dockerproxy: upstream: "+err.Error(), http.StatusBadGateway)
		},
	}
	ln, err := net.Listen("unix", p.sock)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("dockerproxy: listen: %w", err)
	}
	p.serve(ln, "unix")
	if opts.TLS {
		if err := p.startTLS(); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

func (p *Proxy) serve(ln net.Listener, name string) {
	srv := &http.Server{Handler: p.handler(name), ReadHeaderTimeout: 30 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0)} // TLS handshake noise from refused clients
	p.servers = append(p.servers, srv)
	go func() { _ = srv.Serve(ln) }()
}

// DockerHost is the DOCKER_HOST value for the unix socket.
func (p *Proxy) DockerHost() string { return "unix://" + p.sock }

// Env is the environment that points a tool at the unix socket (and clears
// TLS settings it might have inherited).
func (p *Proxy) Env() []string {
	return []string{"DOCKER_HOST=" + p.DockerHost(), "DOCKER_TLS_VERIFY=", "DOCKER_CERT_PATH=", "DOCKER_CONTEXT="}
}

// TLSEnv is the environment for the TCP+TLS endpoint; nil without TLS.
func (p *Proxy) TLSEnv() []string {
	if p.tlsAddr == "" {
		return nil
	}
	return []string{"DOCKER_HOST=tcp://" + p.tlsAddr, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + p.certDir, "DOCKER_CONTEXT="}
}

// Mode is the privileged mode in force.
func (p *Proxy) Mode() Mode { return p.opts.Privileged }

// Upstream is a client of the real engine (for checks and cleanup).
func (p *Proxy) Upstream() *docker.Client { return p.upstream }

// Mark returns a point in the proxy's history for Since and CallsSince.
func (p *Proxy) Mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seq
}

// Creates returns every recorded create, in arrival order.
func (p *Proxy) Creates() []Create { return p.Since(0) }

// Since returns the creates recorded after mark.
func (p *Proxy) Since(mark int) []Create {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Create
	for _, c := range p.creates {
		if c.Seq > mark {
			out = append(out, *c)
		}
	}
	return out
}

// Calls returns every forwarded request, in arrival order.
func (p *Proxy) Calls() []Call { return p.CallsSince(0) }

// CallsSince returns the requests forwarded after mark.
func (p *Proxy) CallsSince(mark int) []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Call
	for _, c := range p.calls {
		if c.Seq > mark {
			out = append(out, c)
		}
	}
	return out
}

// Leaks returns the IDs (with names) of containers created through the proxy
// that still exist in the engine.
func (p *Proxy) Leaks(ctx context.Context) ([]string, error) {
	var out []string
	for _, c := range p.Creates() {
		if c.ID == "" {
			continue
		}
		_, err := p.upstream.ContainerInspect(ctx, c.ID)
		switch {
		case err == nil:
			s := c.ID[:min(12, len(c.ID))]
			if c.Name != "" {
				s += " (" + c.Name + ")"
			}
			out = append(out, s)
		case docker.IsNotFound(err):
		default:
			return out, err
		}
	}
	return out, nil
}

// Cleanup force-removes the containers created through the proxy that still
// exist, and nothing else.
func (p *Proxy) Cleanup(ctx context.Context) error {
	var errs []error
	for _, c := range p.Creates() {
		if c.ID == "" {
			continue
		}
		if err := p.upstream.ContainerRemove(ctx, c.ID, true); err != nil && !docker.IsNotFound(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close stops serving and removes the private directory. It does not remove
// containers (see Cleanup).
func (p *Proxy) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range p.servers {
		if err := s.Shutdown(ctx); err != nil {
			_ = s.Close() // hijacked or streaming connections do not drain
		}
	}
	p.upstream.Close()
	return os.RemoveAll(p.dir)
}

func (p *Proxy) next() int {
	p.seq++
	return p.seq
}

// find returns the create whose container the path names (ID, ID prefix or
// name).
func (p *Proxy) find(ref string) *Create {
	p.mu.Lock()
	defer p.mu.Unlock()
	ref = strings.TrimPrefix(ref, "/")
	for i := len(p.creates) - 1; i >= 0; i-- {
		c := p.creates[i]
		if c.ID == "" {
			continue
		}
		if c.ID == ref || (len(ref) >= 6 && strings.HasPrefix(c.ID, ref)) || (c.Name != "" && strings.TrimPrefix(c.Name, "/") == ref) {
			return c
		}
	}
	return nil
}

// statusWriter keeps the status code of a streamed answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush and Hijack keep streaming and upgrades working through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach Hijack on the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// bufferWriter holds a whole response.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferWriter) Flush() {}

func (b *bufferWriter) copyTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

func (p *Proxy) handler(listener string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Calls are recorded on arrival (a hijacked attach ends late).
		p.mu.Lock()
		call := Call{Seq: p.next(), Listener: listener, Method: r.Method, Path: r.URL.Path}
		idx := len(p.calls)
		p.calls = append(p.calls, call)
		p.mu.Unlock()
		sw := &statusWriter{ResponseWriter: w}
		path := r.URL.Path
		switch {
		case r.Method == http.MethodPost && reCreate.MatchString(path):
			p.handleCreate(sw, r, call.Seq, listener)
		case r.Method == http.MethodDelete && reOne.MatchString(path):
			if c := p.find(reOne.FindStringSubmatch(path)[1]); c != nil {
				p.capture(r.Context(), c)
				// Small answers are held until the record is updated, so
				// the tool never sees them before the record does.
				buf := &bufferWriter{header: http.Header{}}
				p.rp.ServeHTTP(buf, r)
				if buf.status/100 == 2 {
					p.mu.Lock()
					c.Removed = true
					p.mu.Unlock()
				}
				buf.copyTo(sw)
			} else {
				p.rp.ServeHTTP(sw, r)
			}
		case r.Method == http.MethodPost && reWait.MatchString(path):
			c := p.find(reWait.FindStringSubmatch(path)[1])
			if c == nil {
				p.rp.ServeHTTP(sw, r)
				break
			}
			// Hold the (small) answer until the capture is done, so a tool
			// that removes the container right after its wait cannot win
			// the race against the capture.
			buf := &bufferWriter{header: http.Header{}}
			p.rp.ServeHTTP(buf, r)
			if buf.status/100 == 2 {
				p.capture(context.WithoutCancel(r.Context()), c)
			}
			buf.copyTo(sw)
		case r.Method == http.MethodPost && reStart.MatchString(path):
			buf := &bufferWriter{header: http.Header{}}
			p.rp.ServeHTTP(buf, r)
			if c := p.find(reStart.FindStringSubmatch(path)[1]); c != nil && buf.status/100 == 2 {
				p.mu.Lock()
				c.Started = true
				p.mu.Unlock()
			}
			buf.copyTo(sw)
		default:
			p.rp.ServeHTTP(sw, r)
		}
		p.mu.Lock()
		p.calls[idx].Status = sw.status
		p.mu.Unlock()
	})
}

func (p *Proxy) handleCreate(w *statusWriter, r *http.Request, seq int, listener string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	r.Body.Close()
	if err != nil {
		http.Error(w, "dockerproxy: read create request: "+err.Error(), http.StatusBadRequest)
		return
	}
	c := &Create{Seq: seq, Listener: listener, Name: r.URL.Query().Get("name"), Request: json.RawMessage(bytes.Clone(body))}
	if !json.Valid(body) {
		c.Request, _ = json.Marshal(string(body)) // keep what was sent, even if broken
	}
	fwd := body
	if p.opts.Privileged == Record {
		if out, cleared := clearPrivileged(body); cleared {
			fwd, c.PrivilegedCleared = out, true
		}
	}
	p.mu.Lock()
	p.creates = append(p.creates, c)
	p.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(fwd))
	r.ContentLength = int64(len(fwd))
	r.TransferEncoding = nil // the body is now a known length, whatever the client sent
	r.Header.Del("Content-Length")
	buf := &bufferWriter{header: http.Header{}}
	p.rp.ServeHTTP(buf, r)
	var resp struct {
		ID      string `json:"Id"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(buf.body.Bytes(), &resp)
	p.mu.Lock()
	c.Status, c.ID = buf.status, resp.ID
	if buf.status/100 != 2 {
		c.Error = strings.TrimSpace(resp.Message)
		if c.Error == "" {
			c.Error = strings.TrimSpace(buf.body.String())
		}
	}
	p.mu.Unlock()
	buf.copyTo(w)
}

// clearPrivileged returns body with HostConfig.Privileged set to false when
// it was true, keeping every other field as sent.
func clearPrivileged(body []byte) ([]byte, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body, false
	}
	var hc map[string]json.RawMessage
	if json.Unmarshal(m["HostConfig"], &hc) != nil {
		return body, false
	}
	var priv bool
	if json.Unmarshal(hc["Privileged"], &priv) != nil || !priv {
		return body, false
	}
	hc["Privileged"] = json.RawMessage("false")
	hb, err := json.Marshal(hc)
	if err != nil {
		return body, false
	}
	m["HostConfig"] = hb
	out, err := json.Marshal(m)
	if err != nil {
		return body, false
	}
	return out, true
}

// capture stores the container's logs, inspect data and exit code. Errors
// (the container is already gone) leave the earlier capture in place.
func (p *Proxy) capture(ctx context.Context, c *Create) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	info, err := p.upstream.ContainerInspect(ctx, c.ID)
	if err != nil {
		return
	}
	logs, lerr := p.upstream.ContainerLogs(ctx, c.ID, info.Config.Tty)
	p.mu.Lock()
	defer p.mu.Unlock()
	c.Inspect = info.Raw
	if !info.State.Running && info.State.Status != "created" {
		code := info.State.ExitCode
		c.ExitCode = &code
	}
	if lerr == nil {
		c.Stdout, c.Stderr = string(logs.Stdout), string(logs.Stderr)
	}
}
