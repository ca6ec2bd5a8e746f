package docker

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultHost is the engine endpoint used when DOCKER_HOST is empty.
const DefaultHost = "unix:///var/run/docker.sock"

// MaxAPIVersion is the newest API version this client knows; negotiation
// picks the lower of it and the engine's version.
const MaxAPIVersion = "1.41"

// minAPIVersion is the oldest API version whose payloads this client sends.
const minAPIVersion = "1.24"

// Config names an engine endpoint.
type Config struct {
	Host       string // unix:///path, tcp://host:port, or empty for DefaultHost
	TLSVerify  bool   // DOCKER_TLS_VERIFY: verify the server against CertPath/ca.pem
	CertPath   string // directory with ca.pem, cert.pem, key.pem; set without TLSVerify it means TLS without server verification
	APIVersion string // fixed version; empty negotiates on first use
}

// ConfigFromEnv reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH from
// getenv (os.Getenv when nil). Without DOCKER_HOST, a Docker CLI context
// (DOCKER_CONTEXT, or currentContext in $DOCKER_CONFIG/config.json) names
// the endpoint and its certificates, as with the docker CLI. A context that
// cannot be read falls back to the default socket.
func ConfigFromEnv(getenv func(string) string) Config {
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("DOCKER_HOST") == "" {
		if c, ok, err := contextConfig(getenv); err == nil && ok {
			return c
		}
	}
	c := Config{Host: getenv("DOCKER_HOST"), CertPath: getenv("DOCKER_CERT_PATH")}
	if v := getenv("DOCKER_TLS_VERIFY"); v != "" && v != "0" && v != "false" {
		c.TLSVerify = true
	}
	if c.CertPath == "" && c.TLSVerify {
		if home, err := os.UserHomeDir(); err == nil {
			c.CertPath = filepath.Join(home, ".docker")
		}
	}
	return c
}

// ConfigFromEnvList is ConfigFromEnv over a KEY=VALUE list, later entries
// winning, falling back to the process environment for missing keys.
func ConfigFromEnvList(env []string) Config {
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return ConfigFromEnv(func(k string) string {
		if v, ok := m[k]; ok {
			return v
		}
		return os.Getenv(k)
	})
}

// Transport builds the HTTP transport and base URL for cfg. The proxy uses
// it to reach its upstream engine.
func Transport(cfg Config) (*http.Transport, string, error) {
	host := cfg.Host
	if host == "" {
		host = DefaultHost
	}
	u, err := url.Parse(host)
	if err != nil {
		return nil, "", fmt.Errorf("docker: bad host %q: %w", host, err)
	}
	tr := &http.Transport{
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: 0,
		DisableCompression:    true,
	}
	switch u.Scheme {
	case "unix":
		sock := u.Path
		if sock == "" {
			return nil, "", fmt.Errorf("docker: host %q has no socket path", host)
		}
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}
		return tr, "http://docker", nil
	case "tcp", "http", "https":
		if u.Host == "" {
			return nil, "", fmt.Errorf("docker: host %q has no address", host)
		}
		scheme := "http"
		if cfg.TLSVerify || cfg.CertPath != "" || u.Scheme == "https" {
			tc, err := tlsConfig(cfg)
			if err != nil {
				return nil, "", err
			}
			tr.TLSClientConfig = tc
			scheme = "https"
		}
		return tr, scheme + "://" + u.Host, nil
	default:
		return nil, "", fmt.Errorf("docker: unsupported host scheme %q (want unix:// or tcp://)", u.Scheme)
	}
}

func tlsConfig(cfg Config) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CertPath == "" {
		if cfg.TLSVerify {
			return tc, nil // system roots
		}
		tc.InsecureSkipVerify = true //nolint:gosec // mirrors the docker CLI without DOCKER_TLS_VERIFY
		return tc, nil
	}
	if cfg.TLSVerify {
		ca, err := os.ReadFile(filepath.Join(cfg.CertPath, "ca.pem"))
		if err != nil {
			return nil, fmt.Errorf("docker: read CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ca) {
			return nil, fmt.Errorf("docker: no certificate in %s", filepath.Join(cfg.CertPath, "ca.pem"))
		}
		tc.RootCAs = pool
	} else {
		tc.InsecureSkipVerify = true //nolint:gosec // same as the docker CLI: TLS without verification
	}
	certFile, keyFile := filepath.Join(cfg.CertPath, "cert.pem"), filepath.Join(cfg.CertPath, "key.pem")
	if _, err := os.Stat(certFile); err == nil {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("docker: load client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	return tc, nil
}

// Client talks to one engine.
type Client struct {
	hc      *http.Client
	base    string
	version string
	cfg     Config
}

// New returns a client for cfg. No connection is made until the first call.
func New(cfg Config) (*Client, error) {
	tr, base, err := Transport(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{hc: &http.Client{Transport: tr}, base: base, version: cfg.APIVersion, cfg: cfg}, nil
}

// FromEnv is New(ConfigFromEnv(nil)).
func FromEnv() (*Client, error) { return New(ConfigFromEnv(nil)) }

// Host is the endpoint the client talks to.
func (c *Client) Host() string {
	if c.cfg.Host == "" {
		return DefaultHost
	}
	return c.cfg.Host
}

// Close releases idle connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

// Error is an error response from the engine.
type Error struct {
	Status  int
	Message string
	Op      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("docker %s: %d %s", e.Op, e.Status, e.Message)
}

// IsNotFound reports whether err is the engine's 404.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// Ping checks the engine answers and returns its API version.
func (c *Client) Ping(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/_ping", nil)
	if err != nil {
		return "", err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("docker ping %s: %w", c.Host(), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", &Error{Status: resp.StatusCode, Op: "ping", Message: resp.Status}
	}
	return resp.Header.Get("API-Version"), nil
}

// Negotiate fixes the API version: the lower of the engine's and
// MaxAPIVersion. It is called on first use when no version was configured.
func (c *Client) Negotiate(ctx context.Context) (string, error) {
	if c.version != "" {
		return c.version, nil
	}
	server, err := c.Ping(ctx)
	if err != nil {
		return "", err
	}
	v := MaxAPIVersion
	if server != "" && versionLess(server, v) {
		v = server
	}
	if versionLess(v, minAPIVersion) {
		return "", fmt.Errorf("docker: engine API %s is older than the minimum %s", v, minAPIVersion)
	}
	c.version = v
	return v, nil
}

// APIVersion is the negotiated version ("" before negotiation).
func (c *Client) APIVersion() string { return c.version }

func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// do sends one API request. body may be nil, an io.Reader or a value to
// encode as JSON. The caller closes the response body; non-2xx responses are
// turned into *Error.
func (c *Client) do(ctx context.Context, op, method, path string, q url.Values, body any, hdr http.Header) (*http.Response, error) {
	v, err := c.Negotiate(ctx)
	if err != nil {
		return nil, err
	}
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("docker %s: encode request: %w", op, err)
		}
		rd = bytes.NewReader(buf)
		ctype = "application/json"
	}
	u := c.base + "/v" + v + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	for k, vs := range hdr {
		for _, x := range vs {
			req.Header.Add(k, x)
		}
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("docker %s: %w", op, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		var m struct {
			Message string `json:"message"`
		}
		text := strings.TrimSpace(string(msg))
		if json.Unmarshal(msg, &m) == nil && m.Message != "" {
			text = m.Message
		}
		return nil, &Error{Status: resp.StatusCode, Message: text, Op: op}
	}
	return resp, nil
}

// doJSON sends a request and decodes a JSON response into out (nil: discard).
func (c *Client) doJSON(ctx context.Context, op, method, path string, q url.Values, body, out any) error {
	resp, err := c.do(ctx, op, method, path, q, body, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		b, err := io.ReadAll(resp.Body)
		*raw = b
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("docker %s: decode response: %w", op, err)
	}
	return nil
}

// VersionInfo is the engine's /version answer (the fields used here).
type VersionInfo struct {
	Version       string `json:"Version"`
	APIVersion    string `json:"ApiVersion"`
	MinAPIVersion string `json:"MinAPIVersion"`
	Os            string `json:"Os"`
	Arch          string `json:"Arch"`
}

// Version returns the engine's version information.
func (c *Client) Version(ctx context.Context) (VersionInfo, error) {
	var v VersionInfo
	err := c.doJSON(ctx, "version", http.MethodGet, "/version", nil, nil, &v)
	return v, err
}
