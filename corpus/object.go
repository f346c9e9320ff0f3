package corpus

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
)

// A member is one name and raw value of a JSON object.
type member struct {
	name  []byte // decoded
	value []byte // raw JSON, without surrounding white space
}

// An object is the members of a JSON object, in input order.
type object []member

// get returns the raw value of the last member called name, as decoding
// into a map would (a later duplicate replaces an earlier one).
func (o object) get(name string) ([]byte, bool) {
	for i := len(o) - 1; i >= 0; i-- {
		if string(o[i].name) == name {
			return o[i].value, true
		}
	}
	return nil, false
}

// maxDepth bounds the nesting that scanObject follows; deeper input is left
// to encoding/json, whose own limit then decides.
const maxDepth = 1000

// scanObject reads raw, which must be exactly one JSON object with optional
// white space around it, in one pass: it checks the syntax as encoding/json
// does and appends the members to dst. ok is false if raw is anything else
// (a top-level null, which encoding/json takes as no members, included), or
// nested deeper than maxDepth: the caller then asks encoding/json. It is
// the reader's fast path: json.Unmarshal into a map validates a record in
// one pass and decodes it in another, and took half the reader's time.
func scanObject(dst object, raw []byte) (o object, ok bool) {
	s := scanner{buf: raw}
	s.space()
	if !s.object(&dst) {
		return dst, false
	}
	s.space()
	return dst, s.pos == len(raw)
}

// parseObject appends the members of the JSON object raw to dst[:0]. It
// takes scanObject's fast path, and asks encoding/json for the error, or for
// the members of what scanObject leaves to it.
func parseObject(dst object, raw []byte) (object, error) {
	o, ok := scanObject(dst[:0], raw)
	if ok {
		return o, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return o[:0], err
	}
	o = o[:0]
	for name, v := range m {
		o = append(o, member{name: []byte(name), value: v})
	}
	return o, nil
}

// A scanner checks JSON syntax from pos on.
type scanner struct {
	buf   []byte
	pos   int
	depth int
}

func (s *scanner) space() {
	for s.pos < len(s.buf) {
		switch s.buf[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the byte at pos, or 0 at the end.
func (s *scanner) peek() byte {
	if s.pos < len(s.buf) {
		return s.buf[s.pos]
	}
	return 0
}

// object scans an object; with members non-nil, its members are appended.
func (s *scanner) object(members *object) bool {
	if s.peek() != '{' {
		return false
	}
	return s.elements('}', func() bool {
		start := s.pos
		if !s.string() {
			return false
		}
		name := s.buf[start+1 : s.pos-1]
		s.space()
		if s.peek() != ':' {
			return false
		}
		s.pos++
		s.space()
		start = s.pos
		if !s.value() {
			return false
		}
		if members != nil {
			*members = append(*members, member{name: decodeName(name), value: s.buf[start:s.pos]})
		}
		return true
	})
}

// decodeName returns the decoded text of a member name, raw between its
// quotes; most names need no decoding and are returned as they are.
func decodeName(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 && validUTF8(raw) {
		return raw
	}
	text, _ := decodeString(raw, false) // raw has been checked
	return []byte(text)
}

// array scans an array.
func (s *scanner) array() bool { return s.elements(']', s.value) }

// elements scans, from the opening bracket at pos, the comma-separated
// items that item scans, up to the closing bracket end.
func (s *scanner) elements(end byte, item func() bool) bool {
	if s.depth == maxDepth {
		return false
	}
	s.depth++
	s.pos++
	s.space()
	if s.peek() == end {
		s.pos++
		s.depth--
		return true
	}
	for {
		if !item() {
			return false
		}
		s.space()
		switch s.peek() {
		case ',':
			s.pos++
			s.space()
		case end:
			s.pos++
			s.depth--
			return true
		default:
			return false
		}
	}
}

func (s *scanner) value() bool {
	switch c := s.peek(); {
	case c == '"':
		return s.string()
	case c == '{':
		return s.object(nil)
	case c == '[':
		return s.array()
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

func (s *scanner) literal(lit string) bool {
	if !bytes.HasPrefix(s.buf[s.pos:], []byte(lit)) {
		return false
	}
	s.pos += len(lit)
	return true
}

// string scans a string literal: no control characters, only JSON's
// escapes. Bytes that are not UTF-8 are allowed, as encoding/json allows
// them (and decodes them as U+FFFD).
func (s *scanner) string() bool {
	if s.peek() != '"' {
		return false
	}
	s.pos++
	for s.pos < len(s.buf) {
		i := s.pos + plainRun(s.buf[s.pos:])
		s.pos = i
		if i == len(s.buf) {
			return false
		}
		switch s.buf[i] {
		case '"':
			s.pos++
			return true
		case '\\':
			if i+1 >= len(s.buf) {
				return false
			}
			switch s.buf[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if _, ok := hex4(s.buf[i+2:]); !ok {
					return false
				}
				s.pos += 6
			default:
				return false
			}
		default: // a control character
			return false
		}
	}
	return false
}

// plainRun returns the length of the run of bytes at the start of b that a
// JSON string holds as they are: no quote, backslash or control character.
// Eight bytes are tested at a time, as one integer, where a byte at a time
// was most of the scanner's cost on a text's few escapes in kilobytes.
func plainRun(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// (v − ones) &^ v flags the zero bytes of v, and (x − 0x20·ones)
		// &^ x the bytes below 0x20; a flag may be false only above a true
		// one, so the lowest flag of all is a byte to stop at.
		q, bs := x^'"'*ones, x^'\\'*ones
		if m := ((q-ones)&^q | (bs-ones)&^bs | (x-0x20*ones)&^x) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(b) && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\' {
		i++
	}
	return i
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case '1' <= c && c <= '9':
		s.digits()
	default:
		return false
	}
	if s.peek() == '.' {
		s.pos++
		if !s.digits() {
			return false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

// digits scans one or more digits.
func (s *scanner) digits() bool {
	start := s.pos
	for '0' <= s.peek() && s.peek() <= '9' {
		s.pos++
	}
	return s.pos > start
}
