// Command cache-server runs the GitHub Actions cache service (protocol v1,
// the one @actions/cache speaks when ACTIONS_CACHE_SERVICE_V2 is unset) from
// github.com/nektos/act/pkg/artifactcache on the loopback interface, for the
// end-to-end tests.
//
// Once it is listening it prints exactly one line on stdout:
//
//	ACTIONS_CACHE_URL=http://127.0.0.1:PORT/TOKEN/
//
// The value is what ACTIONS_CACHE_URL must be set to, verbatim: act serves
// the API under a random per-process token path segment, and @actions/cache
// appends "_apis/artifactcache/..." to the URL directly, so the trailing slash
// matters. Logs go to stderr. It runs until SIGINT or SIGTERM (or, with
// -exit-on-stdin-eof, until its stdin is closed, so it cannot outlive the
// process that started it), then closes the server and exits 0.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/nektos/act/pkg/artifactcache"
	"github.com/sirupsen/logrus"
)

func main() {
	os.Exit(run())
}

func run() int {
	dir := flag.String("dir", "", "storage directory for the cache database and archives (required)")
	host := flag.String("host", "127.0.0.1", "address to listen on; also the host in the printed URL")
	port := flag.Uint("port", 0, "TCP port to listen on; 0 picks a free one")
	verbose := flag.Bool("v", false, "log every request (debug level) to stderr")
	stdinEOF := flag.Bool("exit-on-stdin-eof", false, "also shut down when stdin reaches end of file")
	flag.Parse()

	if *dir == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: cache-server -dir DIR [-host 127.0.0.1] [-port 0] [-v] [-exit-on-stdin-eof]")
		return 2
	}
	if *port > 65535 {
		fmt.Fprintf(os.Stderr, "cache-server: port %d out of range\n", *port)
		return 2
	}

	logger := logrus.New()
	logger.Out = os.Stderr
	logger.Level = logrus.InfoLevel
	if *verbose {
		logger.Level = logrus.DebugLevel
	}

	// Passing the host as outboundIP makes act listen on it and use it in the
	// archive URLs it hands out; left empty, act would dial 8.8.8.8 to guess
	// the machine's outbound address.
	handler, err := artifactcache.StartHandler(*dir, "", *host, uint16(*port), logger)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cache-server: start: %v\n", err)
		return 1
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan string, 1)
	go func() { done <- (<-stop).String() }()
	if *stdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
			done <- "stdin closed"
		}()
	}

	fmt.Fprintf(os.Stdout, "ACTIONS_CACHE_URL=%s/\n", handler.ExternalURL())
	_ = os.Stdout.Sync()
	logger.Infof("cache server listening on %s:%d, storage %s", *host, handler.GetActualPort(), *dir)

	reason := <-done
	logger.Infof("shutting down (%s)", reason)
	if err := handler.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "cache-server: close: %v\n", err)
		return 1
	}
	return 0
}
