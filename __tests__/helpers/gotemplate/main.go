// Command gotemplate renders template cases with Go's own text/template and the functions the
// action's TypeScript engine (src/template) provides, so the tests can compare the two. It reads
// {"cases": [{"template", "data", "env", "now", "missingKey"}]} on stdin and writes one
// {"ok", "output", "error"} per case on stdout, as JSON. Standard library only.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"
)

type tcase struct {
	Template   string            `json:"template"`
	Data       json.RawMessage   `json:"data"`
	Env        map[string]string `json:"env"`
	Now        string            `json:"now"`
	MissingKey string            `json:"missingKey"`
}

type result struct {
	OK     bool   `json:"ok"`
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

// convert turns JSON numbers into int when integral (as the TypeScript engine sees them).
func convert(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = convert(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = convert(e)
		}
		return x
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return int(n)
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

var semverRe = regexp.MustCompile(`^(v?)(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$`)

// incVersion is Masterminds semver's IncMajor/IncMinor/IncPatch as GoReleaser uses them, keeping a leading v.
func incVersion(v, part string) (string, error) {
	m := semverRe.FindStringSubmatch(v)
	if m == nil {
		return "", fmt.Errorf("%q is not a semantic version (1.2.3 or v1.2.3)", v)
	}
	major, _ := strconv.Atoi(m[2])
	minor, _ := strconv.Atoi(m[3])
	patch, _ := strconv.Atoi(m[4])
	switch part {
	case "major":
		major, minor, patch = major+1, 0, 0
	case "minor":
		minor, patch = minor+1, 0
	default:
		if m[5] == "" {
			patch++
		}
	}
	return fmt.Sprintf("%s%d.%d.%d", m[1], major, minor, patch), nil
}

// sameValue is the engine's "in" equality: same basic type and value; lists and maps never match.
func sameValue(a, b any) bool {
	switch a.(type) {
	case nil:
		return b == nil
	case string, int, bool, float64:
		return a == b
	default:
		return false
	}
}

func funcs(now time.Time, env map[string]string) template.FuncMap {
	return template.FuncMap{
		"replace":    strings.ReplaceAll,
		"split":      strings.Split,
		"contains":   strings.Contains,
		"tolower":    strings.ToLower,
		"toupper":    strings.ToUpper,
		"title":      strings.Title, //nolint:staticcheck // the engine documents strings.Title semantics
		"trim":       strings.TrimSpace,
		"trimprefix": strings.TrimPrefix,
		"trimsuffix": strings.TrimSuffix,
		"time":       func(layout string) string { return now.UTC().Format(layout) },
		"incpatch":   func(v string) (string, error) { return incVersion(v, "patch") },
		"incminor":   func(v string) (string, error) { return incVersion(v, "minor") },
		"incmajor":   func(v string) (string, error) { return incVersion(v, "major") },
		"dir":        path.Dir,
		"base":       path.Base,
		"envOrDefault": func(name, value string) string {
			if s, ok := env[name]; ok {
				return s
			}
			return value
		},
		"isEnvSet": func(name string) bool { s, ok := env[name]; return ok && s != "" },
		"map": func(kvs ...string) (map[string]any, error) {
			if len(kvs)%2 != 0 {
				return nil, fmt.Errorf("map expects even number of arguments, got %d", len(kvs))
			}
			m := map[string]any{}
			for i := 0; i < len(kvs); i += 2 {
				m[kvs[i]] = kvs[i+1]
			}
			return m, nil
		},
		"indexOrDefault": func(m map[string]any, name, value string) any {
			if v, ok := m[name]; ok {
				return v
			}
			return value
		},
		"list": func(args ...any) []any { return args },
		"in": func(items []any, item any) bool {
			for _, x := range items {
				if sameValue(x, item) {
					return true
				}
			}
			return false
		},
		"reReplaceAll": func(re, s, repl string) (string, error) {
			r, err := regexp.Compile(re)
			if err != nil {
				return "", err
			}
			return r.ReplaceAllString(s, repl), nil
		},
	}
}

func render(c tcase) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	now := time.Date(2026, 1, 2, 3, 4, 5, 678000000, time.UTC)
	if c.Now != "" {
		if now, err = time.Parse(time.RFC3339Nano, c.Now); err != nil {
			return "", err
		}
	}
	var data any
	if len(c.Data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(c.Data))
		dec.UseNumber()
		if err := dec.Decode(&data); err != nil {
			return "", err
		}
		data = convert(data)
	}
	env := c.Env
	if env == nil {
		env = map[string]string{}
		if m, ok := data.(map[string]any); ok {
			if e, ok := m["Env"].(map[string]any); ok {
				for k, v := range e {
					if s, ok := v.(string); ok {
						env[k] = s
					}
				}
			}
		}
	}
	t := template.New("t").Funcs(funcs(now, env))
	if c.MissingKey != "default" {
		t = t.Option("missingkey=error")
	}
	if t, err = t.Parse(c.Template); err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

func main() {
	var in struct {
		Cases []tcase `json:"cases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "gotemplate:", err)
		os.Exit(2)
	}
	results := make([]result, len(in.Cases))
	for i, c := range in.Cases {
		out, err := render(c)
		if err != nil {
			results[i] = result{Error: err.Error()}
		} else {
			results[i] = result{OK: true, Output: out}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "gotemplate:", err)
		os.Exit(2)
	}
}
