package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"wenyuan/iiif"
	"wenyuan/sample"
	"wenyuan/search"
	"wenyuan/sqlite"
	"wenyuan/web"
)

// Config is how an installation runs.
type Config struct {
	// Data is the data directory: the database and, later, images.
	Data string
	// Addr is the HTTP listen address, host:port; port 0 picks a free one.
	Addr string
	// PublicURL is the scheme and host the public reaches the server at
	// ("https://wenyuan.example.org"), for the absolute URLs that IIIF
	// documents carry; empty means as each request names it.
	PublicURL string
	// MaxUpload bounds one image upload, in bytes.
	MaxUpload int64
	// ImageCache is the memory kept for encoded images, in bytes.
	ImageCache int64
	// ImageDiskCache is the disk kept for computed images, in bytes, under
	// ImageCacheDir; 0 keeps none.
	ImageDiskCache int64
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{Addr: "127.0.0.1:8080", MaxUpload: 4 << 30, ImageCache: 256 << 20}
}

// Validate checks the configuration once, before anything starts.
func (c Config) Validate() error {
	if c.Data == "" {
		return usageError{"--data is required (or set WENYUAN_DATA)"}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return usageError{fmt.Sprintf("--addr %q is not host:port", c.Addr)}
	}
	if c.MaxUpload < 1 {
		return usageError{fmt.Sprintf("--max-upload %d is not a size", c.MaxUpload)}
	}
	if c.ImageCache < 0 {
		return usageError{fmt.Sprintf("--image-cache %d is not a size", c.ImageCache)}
	}
	if c.ImageDiskCache < 0 {
		return usageError{fmt.Sprintf("--image-disk-cache %d is not a size", c.ImageDiskCache)}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return usageError{fmt.Sprintf("--public-url %q is not a scheme and host such as https://wenyuan.example.org", c.PublicURL)}
		}
	}
	return nil
}

// ImagesDir is where master images and their pyramids are kept.
func (c Config) ImagesDir() string { return filepath.Join(c.Data, "images") }

// ImageCacheDir is where computed images are kept on disk, if they are.
func (c Config) ImageCacheDir() string { return filepath.Join(c.Data, "cache", "images") }

// imageFiles returns the data directory's image files.
func (c Config) imageFiles() *iiif.Files { return &iiif.Files{Dir: c.ImagesDir()} }

// DBPath is the database file of the data directory.
func (c Config) DBPath() string { return filepath.Join(c.Data, "wenyuan.db") }

// IndexPath is the search index file of the data directory.
func (c Config) IndexPath() string { return filepath.Join(c.Data, "search.idx") }

// Main owns the running program's parts, so that tests can start the real
// thing on a free port.
type Main struct {
	Config Config
	DB     *sqlite.DB
	Search *search.Engine
	Server *web.Server
	Images *iiif.Service
	Logger *slog.Logger

	http       *http.Server
	ln         net.Listener
	stopSearch context.CancelFunc
	searchDone chan struct{}
}

// openDB opens the data directory's store; with create it makes the
// directory first, else a missing one is an error.
func openDB(data string, create bool) (*sqlite.DB, error) {
	if data == "" {
		return nil, usageError{"--data is required (or set WENYUAN_DATA)"}
	}
	if create {
		if err := os.MkdirAll(data, 0o755); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(filepath.Join(data, "wenyuan.db")); err != nil {
		return nil, fmt.Errorf("%s is not a Wenyuan data directory (no wenyuan.db); create one with wenyuan migrate --data %s or wenyuan demo --data %s", data, data, data)
	}
	return sqlite.Open(filepath.Join(data, "wenyuan.db"))
}

// Open opens the store and starts listening.
func (m *Main) Open() error {
	if err := m.Config.Validate(); err != nil {
		return err
	}
	if m.Logger == nil {
		m.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if m.DB == nil {
		db, err := openDB(m.Config.Data, false)
		if err != nil {
			return err
		}
		m.DB = db
	}
	// The search index: loaded (or built, if missing, damaged or of
	// another store) before the server answers, then kept fresh.
	m.Search = search.NewEngine(m.DB, m.Logger)
	if err := m.Search.Open(context.Background(), m.Config.IndexPath()); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.stopSearch, m.searchDone = cancel, make(chan struct{})
	go func() {
		defer close(m.searchDone)
		m.Search.Run(ctx)
	}()
	m.Server = web.NewServer(m.DB, m.Logger)
	m.Server.Search = m.Search
	m.Server.PublicURL = strings.TrimSuffix(m.Config.PublicURL, "/")
	m.Images = iiif.NewService(m.Config.imageFiles(), m.Config.ImageCache)
	if m.Config.ImageDiskCache > 0 {
		var err error
		if m.Images.Disk, err = iiif.OpenDiskCache(m.Config.ImageCacheDir(), m.Config.ImageDiskCache, m.Logger); err != nil {
			return err
		}
	}
	m.Server.Images = m.Images
	m.Server.MaxUploadBytes = m.Config.MaxUpload
	m.Server.ImportMappings = map[string][]byte{}
	for _, name := range []string{"zh-catalogue", "walters"} {
		b, err := sample.FS.ReadFile(name + ".mapping.yaml")
		if err != nil {
			return err
		}
		m.Server.ImportMappings[name] = b
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.http = &http.Server{
		Handler:           m.Server,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	go func() {
		if err := m.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("serve", "err", err)
		}
	}()
	return nil
}

// URL is where the server listens.
func (m *Main) URL() string { return "http://" + m.ln.Addr().String() + "/" }

// Close stops the server, letting requests in flight finish, and closes
// the store.
func (m *Main) Close() error {
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		m.http.Shutdown(ctx)
	}
	if m.stopSearch != nil {
		m.stopSearch() // saves the index
		<-m.searchDone
	}
	if m.Images != nil {
		m.Images.Close()
	}
	if m.DB != nil {
		return m.DB.Close()
	}
	return nil
}

// serveUntilDone runs m until ctx ends.
func serveUntilDone(e *env, m *Main) error {
	if err := m.Open(); err != nil {
		m.Close()
		return err
	}
	fmt.Fprintf(e.stdout, "Wenyuan is serving %s at %s\n", m.Config.Data, m.URL())
	<-e.ctx.Done()
	fmt.Fprintln(e.stderr, "shutting down")
	return m.Close()
}

func runServe(e *env, args []string) error {
	c := DefaultConfig()
	fs := newFlags(e, "serve", "--data DIR [--addr HOST:PORT]")
	data := dataFlag(fs)
	fs.StringVar(&c.Addr, "addr", envOr("WENYUAN_ADDR", c.Addr), "listen address (default $WENYUAN_ADDR or 127.0.0.1:8080)")
	fs.StringVar(&c.PublicURL, "public-url", os.Getenv("WENYUAN_PUBLIC_URL"), "scheme and host the public reaches this server at, for IIIF ids (default $WENYUAN_PUBLIC_URL, else as requested)")
	fs.Var(sizeFlag{&c.MaxUpload}, "max-upload", "largest image upload, as 500M or 4G (default 4G)")
	fs.Var(sizeFlag{&c.ImageCache}, "image-cache", "memory for encoded images, as 256M (default 256M; 0 keeps none)")
	fs.Var(sizeFlag{&c.ImageDiskCache}, "image-disk-cache", "disk for computed images, under DIR/cache/images, as 10G (default 0: none)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"unexpected argument " + pos[0]}
	}
	c.Data = *data
	return serveUntilDone(e, &Main{Config: c})
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func runMigrate(e *env, args []string) error {
	fs := newFlags(e, "migrate", "--data DIR")
	data := dataFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(*data, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is at schema %s\n", *data, sqlite.Migrations()[len(sqlite.Migrations())-1])
	return db.Close()
}

// sizeFlag is a size in bytes written as 1500, 500K, 256M or 4G.
type sizeFlag struct{ n *int64 }

func (f sizeFlag) String() string {
	if f.n == nil {
		return ""
	}
	return strconv.FormatInt(*f.n, 10)
}

func (f sizeFlag) Set(s string) error {
	mult := int64(1)
	switch strings.ToUpper(s[len(s)-min(1, len(s)):]) {
	case "K":
		mult = 1 << 10
	case "M":
		mult = 1 << 20
	case "G":
		mult = 1 << 30
	}
	if mult > 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("%q is not a size such as 500M or 4G", s)
	}
	*f.n = n * mult
	return nil
}
