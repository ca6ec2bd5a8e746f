package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/handlers"
	"github.com/sirupsen/logrus"

	// Register the in-memory storage driver with distribution's factory.
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"

	"github.com/cnab-conformance/cnab-conformance/reports"
)

// Option configures Start.
type Option func(*options)

type options struct {
	validateIndexes bool
	logOutput       io.Writer
}

// WithIndexValidation makes the registry refuse an index whose manifests are
// not in the repository yet (distribution's default). The suite's registries
// accept such an index by default, as several hosted registries do, so a
// tool that pushes its index too early is caught by the recorder (RG-01)
// instead of by a registry error.
func WithIndexValidation(on bool) Option { return func(o *options) { o.validateIndexes = on } }

// WithLogOutput sends the registry's own logs to w (default: discarded).
func WithLogOutput(w io.Writer) Option { return func(o *options) { o.logOutput = w } }

// Registry is one registry the suite talks to: an embedded, recording one
// (Start) or an external one (External).
type Registry struct {
	name string
	host string

	// Embedded registries only.
	app      *handlers.App
	server   *http.Server
	listener net.Listener
	served   chan struct{}
	rec      *recorder
	stopOnce sync.Once
	stopErr  error
}

// logMu serialises the global logrus configuration.
var logMu sync.Mutex

// Start runs a recording registry named name ("source", "destination") on a
// free 127.0.0.1 port. Stop or Close it when done.
func Start(ctx context.Context, name string, opts ...Option) (*Registry, error) {
	o := options{logOutput: io.Discard}
	for _, opt := range opts {
		opt(&o)
	}
	// distribution logs through the standard logrus logger; silence it
	// (it would drown the suite's own progress output).
	logMu.Lock()
	logrus.SetOutput(o.logOutput)
	if o.logOutput == io.Discard {
		logrus.SetLevel(logrus.PanicLevel)
	}
	logMu.Unlock()

	cfg := &configuration.Configuration{}
	cfg.Storage = configuration.Storage{
		"inmemory": configuration.Parameters{},
		"delete":   configuration.Parameters{"enabled": true},
		// No background purger goroutine; uploads live as long as the registry.
		"maintenance": configuration.Parameters{"uploadpurging": map[any]any{"enabled": false}},
	}
	cfg.Log.AccessLog.Disabled = true
	cfg.Log.Level = "panic"
	cfg.HTTP.Secret = "cnab-conformance-embedded-registry"
	if !o.validateIndexes {
		cfg.Validation.Manifests.Indexes.Platforms = "none"
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("registry %s: listen: %w", name, err)
	}
	app, err := newApp(ctx, cfg)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("registry %s: %w", name, err)
	}
	r := &Registry{name: name, host: l.Addr().String(), app: app, listener: l, served: make(chan struct{})}
	r.rec = &recorder{registry: name, next: app}
	r.server = &http.Server{Handler: r.rec, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		defer close(r.served)
		_ = r.server.Serve(l) // returns http.ErrServerClosed on Stop
	}()
	return r, nil
}

// newApp builds the distribution app, turning its configuration panics into errors.
func newApp(ctx context.Context, cfg *configuration.Configuration) (app *handlers.App, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("distribution refused the configuration: %v", p)
		}
	}()
	return handlers.NewApp(ctx, cfg), nil
}

// External names a registry the suite does not run (HOST[:PORT]). Nothing is
// recorded; Stop and Close do nothing.
func External(host string) *Registry { return &Registry{name: "external", host: host} }

// Name is "source", "destination" or "external".
func (r *Registry) Name() string { return r.name }

// Host is "127.0.0.1:PORT" for an embedded registry, or the external host.
func (r *Registry) Host() string { return r.host }

// Recording reports whether requests are recorded (embedded registries).
func (r *Registry) Recording() bool { return r.rec != nil }

// Running reports whether an embedded registry still serves requests.
func (r *Registry) Running() bool {
	if r.served == nil {
		return true
	}
	select {
	case <-r.served:
		return false
	default:
		return true
	}
}

// Stop shuts an embedded registry down: afterwards its port no longer
// answers. Its recording stays readable. Calling it again does nothing.
func (r *Registry) Stop() error {
	if r.server == nil {
		return nil
	}
	r.stopOnce.Do(func() {
		err := r.server.Close() // closes the listener and every open connection
		<-r.served
		if r.app != nil {
			_ = r.app.Shutdown()
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.stopErr = fmt.Errorf("registry %s: stop: %w", r.name, err)
		}
	})
	return r.stopErr
}

// Close is Stop for use with defer and cleanup lists.
func (r *Registry) Close() error { return r.Stop() }

// Requests returns every recorded request in arrival order (Seq from 1).
func (r *Registry) Requests() []reports.RegistryRequest {
	if r.rec == nil {
		return nil
	}
	return r.rec.requests(0)
}

// Mark returns the Seq of the last request recorded so far, so a check can
// later look only at what came after it (Since).
func (r *Registry) Mark() int {
	if r.rec == nil {
		return 0
	}
	return r.rec.mark()
}

// Since returns the requests recorded after mark.
func (r *Registry) Since(mark int) []reports.RegistryRequest {
	if r.rec == nil {
		return nil
	}
	return r.rec.requests(mark)
}

// Records returns the requests recorded after mark with what the recorder
// derived from them (kind, digest written or served).
func (r *Registry) Records(mark int) []Record {
	if r.rec == nil {
		return nil
	}
	return r.rec.records(mark)
}

// PresentBefore reports whether digest was written into repo (blob upload,
// cross-repository mount, or manifest put) by a successful request recorded
// before request seq.
func (r *Registry) PresentBefore(repo, digest string, seq int) bool {
	for _, rec := range r.Records(0) {
		if rec.Seq >= seq {
			break
		}
		if rec.Repository == repo && rec.Write() && rec.Digest == digest {
			return true
		}
	}
	return false
}

// LastTagWrite returns the last successful manifest put to repo:tag.
func (r *Registry) LastTagWrite(repo, tag string) (reports.RegistryRequest, bool) {
	var last reports.RegistryRequest
	found := false
	for _, rec := range r.Records(0) {
		if rec.Repository == repo && rec.Kind == KindManifest && rec.Method == http.MethodPut &&
			rec.Reference == tag && rec.OK() {
			last, found = rec.RegistryRequest, true
		}
	}
	return last, found
}
