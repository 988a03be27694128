package bench

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Machine describes where the figures were measured.
type Machine struct {
	CPU        string
	Cores      int
	RAMBytes   int64
	Kernel     string
	Go         string
	Postgres   string
	PGSettings string
	SQLite     string
	Docket     string
}

func (m Machine) rows() [][2]string {
	ram := "unknown"
	if m.RAMBytes > 0 {
		ram = fmt.Sprintf("%.1f GiB", float64(m.RAMBytes)/(1<<30))
	}
	return [][2]string{
		{"CPU", fmt.Sprintf("%s, %d cores", m.CPU, m.Cores)},
		{"RAM", ram},
		{"kernel", m.Kernel},
		{"Go", m.Go},
		{"PostgreSQL", m.Postgres},
		{"PostgreSQL settings", m.PGSettings},
		{"SQLite", m.SQLite},
		{"Docket", m.Docket},
	}
}

// probeMachine reads what the OS tells about the machine; the database
// versions are filled in by their probes.
func probeMachine(version string) Machine {
	m := Machine{CPU: "unknown", Cores: runtime.NumCPU(), Kernel: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version(), Docket: version}
	if v := procField("/proc/cpuinfo", "model name", ":"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal", ":"); v != "" {
		if kb, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64); err == nil {
			m.RAMBytes = kb << 10
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				m.Docket += " (" + s.Value[:12] + ")"
			}
		}
	}
	return m
}

// procField returns the value of the first "key<sep> value" line of a
// /proc file, trimmed, or "".
func procField(path, key, sep string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), sep)
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// errNoProc: peak memory is read from Linux's /proc.
var errNoProc = errors.New("peak RSS needs Linux /proc")

// resetPeakRSS returns what the runtime can to the OS, then resets the
// kernel's high-water mark of this process's resident set to its current
// size, so peakRSS measures from here on.
func resetPeakRSS() error {
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("%w: %v", errNoProc, err)
	}
	return nil
}

// peakRSS is the process's resident-set high-water mark (VmHWM) in bytes.
func peakRSS() (int64, error) {
	v := procField("/proc/self/status", "VmHWM", ":")
	if v == "" {
		return 0, errNoProc
	}
	kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(v, "kB")), 10, 64)
	if err != nil {
		return 0, err
	}
	return kb << 10, nil
}
