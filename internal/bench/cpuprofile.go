package bench

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
)

// startCPUProfile writes a CPU profile of the process to path until the
// returned function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}

// cpuProfile is the part of a pprof CPU profile the harness reads: each
// sample's stack (function names, inlined frames included) and its CPU
// time. Decoded here from the protobuf wire format so the harness needs
// no profile library.
type cpuProfile struct {
	samples []cpuSample
}

type cpuSample struct {
	funcs []string // innermost first
	nanos int64
}

// share is the CPU time of samples matching in, not matching out (both on
// any frame), over the time of samples not matching exclude.
func (p *cpuProfile) share(in, out, exclude func(fn string) bool) (float64, int64) {
	var hit, total int64
	any := func(s cpuSample, f func(string) bool) bool {
		if f == nil {
			return false
		}
		for _, fn := range s.funcs {
			if f(fn) {
				return true
			}
		}
		return false
	}
	for _, s := range p.samples {
		if any(s, exclude) {
			continue
		}
		total += s.nanos
		if any(s, in) && !any(s, out) {
			hit += s.nanos
		}
	}
	if total == 0 {
		return 0, 0
	}
	return float64(hit) / float64(total), total
}

func hasAny(subs ...string) func(string) bool {
	return func(fn string) bool {
		for _, s := range subs {
			if strings.Contains(fn, s) {
				return true
			}
		}
		return false
	}
}

// protobuf wire reading, just enough for profile.proto.
type pbuf struct {
	b []byte
}

var errTruncated = errors.New("truncated profile")

func (p *pbuf) varint() (uint64, error) {
	v, n := binary.Uvarint(p.b)
	if n <= 0 {
		return 0, errTruncated
	}
	p.b = p.b[n:]
	return v, nil
}

// field returns the next field number, wire type, and its value (varint)
// or bytes (length-delimited).
func (p *pbuf) field() (num int, wire int, v uint64, data []byte, err error) {
	key, err := p.varint()
	if err != nil {
		return
	}
	num, wire = int(key>>3), int(key&7)
	switch wire {
	case 0:
		v, err = p.varint()
	case 1:
		if len(p.b) < 8 {
			return 0, 0, 0, nil, errTruncated
		}
		v, p.b = binary.LittleEndian.Uint64(p.b), p.b[8:]
	case 2:
		var n uint64
		if n, err = p.varint(); err != nil {
			return
		}
		if uint64(len(p.b)) < n {
			return 0, 0, 0, nil, errTruncated
		}
		data, p.b = p.b[:n], p.b[n:]
	case 5:
		if len(p.b) < 4 {
			return 0, 0, 0, nil, errTruncated
		}
		v, p.b = uint64(binary.LittleEndian.Uint32(p.b)), p.b[4:]
	default:
		err = fmt.Errorf("profile: unsupported wire type %d", wire)
	}
	return
}

// ints reads a repeated integer field, packed or not.
func ints(wire int, v uint64, data []byte) ([]uint64, error) {
	if wire == 0 {
		return []uint64{v}, nil
	}
	var out []uint64
	p := pbuf{data}
	for len(p.b) > 0 {
		x, err := p.varint()
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// parseCPUProfile decodes a gzipped pprof profile as runtime/pprof writes.
func parseCPUProfile(r io.Reader) (*cpuProfile, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	type sample struct {
		locs   []uint64
		values []uint64
	}
	var (
		samples   []sample
		locLines  = map[uint64][]uint64{} // location -> function ids, innermost first
		funcNames = map[uint64]uint64{}   // function -> string index
		strs      []string
		valueIdx  = -1 // index of the cpu/nanoseconds value
		types     [][2]uint64
	)
	p := pbuf{raw}
	for len(p.b) > 0 {
		num, _, _, data, err := p.field()
		if err != nil {
			return nil, err
		}
		switch num {
		case 1: // sample_type
			q := pbuf{data}
			var t [2]uint64
			for len(q.b) > 0 {
				n, _, v, _, err := q.field()
				if err != nil {
					return nil, err
				}
				if n == 1 || n == 2 {
					t[n-1] = v
				}
			}
			types = append(types, t)
		case 2: // sample
			q := pbuf{data}
			var s sample
			for len(q.b) > 0 {
				n, w, v, d, err := q.field()
				if err != nil {
					return nil, err
				}
				xs, err := ints(w, v, d)
				if err != nil {
					return nil, err
				}
				switch n {
				case 1:
					s.locs = append(s.locs, xs...)
				case 2:
					s.values = append(s.values, xs...)
				}
			}
			samples = append(samples, s)
		case 4: // location
			q := pbuf{data}
			var id uint64
			var fns []uint64
			for len(q.b) > 0 {
				n, _, v, d, err := q.field()
				if err != nil {
					return nil, err
				}
				switch n {
				case 1:
					id = v
				case 4: // line
					l := pbuf{d}
					for len(l.b) > 0 {
						ln, _, lv, _, err := l.field()
						if err != nil {
							return nil, err
						}
						if ln == 1 {
							fns = append(fns, lv)
						}
					}
				}
			}
			locLines[id] = fns
		case 5: // function
			q := pbuf{data}
			var id, name uint64
			for len(q.b) > 0 {
				n, _, v, _, err := q.field()
				if err != nil {
					return nil, err
				}
				switch n {
				case 1:
					id = v
				case 2:
					name = v
				}
			}
			funcNames[id] = name
		case 6: // string_table
			strs = append(strs, string(data))
		}
	}
	str := func(i uint64) string {
		if i < uint64(len(strs)) {
			return strs[i]
		}
		return ""
	}
	for i, t := range types {
		if str(t[0]) == "cpu" && str(t[1]) == "nanoseconds" {
			valueIdx = i
		}
	}
	if valueIdx < 0 {
		return nil, errors.New("profile: no cpu/nanoseconds samples")
	}
	out := &cpuProfile{}
	for _, s := range samples {
		if valueIdx >= len(s.values) {
			continue
		}
		cs := cpuSample{nanos: int64(s.values[valueIdx])}
		for _, l := range s.locs {
			for _, f := range locLines[l] {
				cs.funcs = append(cs.funcs, str(funcNames[f]))
			}
		}
		out.samples = append(out.samples, cs)
	}
	return out, nil
}

// parseCPUProfileBytes is parseCPUProfile on a buffer.
func parseCPUProfileBytes(b []byte) (*cpuProfile, error) { return parseCPUProfile(bytes.NewReader(b)) }
