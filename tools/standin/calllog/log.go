// Package calllog is the stand-ins' call log, which the end-to-end tests read: every
// stand-in (the plugins and the CLI shim) appends one JSON line per call. Test tooling only.
package calllog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// LogEnv names the file every stand-in appends its calls to, one JSON line per call.
const LogEnv = "STANDIN_LOG"

// Call is one line of the log.
type Call struct {
	Plugin string    `json:"plugin"`
	Method string    `json:"method"`
	Type   string    `json:"type,omitempty"` // type token, or function token for Invoke
	URN    string    `json:"urn,omitempty"`
	ID     string    `json:"id,omitempty"`
	Time   time.Time `json:"time"` // when the call started
	// Ms is how long the call took, so overlapping calls show what ran in parallel.
	Ms float64 `json:"ms"`
	// Changed are the inputs a Diff found changed; Replace those of them that force a
	// replacement.
	Changed []string `json:"changed,omitempty"`
	Replace []string `json:"replace,omitempty"`
	Error   string   `json:"error,omitempty"`
	// DryRun marks the Create or Update of a preview, which writes nothing.
	DryRun bool `json:"dryRun,omitempty"`
	// Args and Env are the CLI shim's.
	Args []string          `json:"args,omitempty"`
	Env  map[string]string `json:"env,omitempty"`
}

var logMu sync.Mutex

// Append writes one call to the log named by STANDIN_LOG (nowhere when it is unset). Each
// line is one write to a file opened O_APPEND, so lines of several plugins never interleave.
func Append(c Call) {
	path := os.Getenv(LogEnv)
	if path == "" {
		return
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // plain strings and maps only
	}
	logMu.Lock()
	defer logMu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintf(os.Stderr, "calllog: opening the call log: %v\n", err)
		return
	}
	defer f.Close()
	if _, err := f.Write(append(b, '\n')); err != nil {
		fmt.Fprintf(os.Stderr, "calllog: writing the call log: %v\n", err)
	}
}

// Read returns the calls logged in path, in order.
func Read(path string) ([]Call, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Call
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c Call
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s: %w", sc.Text(), err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}
