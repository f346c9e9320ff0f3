package corpus

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// sameAsEncodingJSON reports how scanObject and json.Unmarshal into a map
// disagree on in, or "" if they agree: scanObject must accept only what
// encoding/json accepts, with the same members, and reject only what it
// rejects, a top-level null (no map, no members) or what nests deeper than
// maxDepth.
func sameAsEncodingJSON(in []byte) string {
	o, ok := scanObject(nil, in)
	var m map[string]json.RawMessage
	err := json.Unmarshal(in, &m)
	switch {
	case ok && err != nil:
		return "scanObject accepts what encoding/json rejects: " + err.Error()
	case !ok && err == nil && m == nil: // null
		return ""
	case !ok && err == nil:
		if bytes.Count(in, []byte("{"))+bytes.Count(in, []byte("[")) <= maxDepth {
			return "scanObject rejects what encoding/json accepts"
		}
		return ""
	case !ok:
		return ""
	}
	// encoding/json replaces each invalid byte of a name by U+FFFD, the
	// reader a run of them (as bytes.ToValidUTF8): compare with the input
	// so replaced, values as well.
	fffd := []byte("\uFFFD")
	m = nil
	if err := json.Unmarshal(bytes.ToValidUTF8(in, fffd), &m); err != nil {
		return "encoding/json rejects the input made valid: " + err.Error()
	}
	names := map[string]bool{}
	for _, mb := range o {
		names[string(mb.name)] = true
	}
	if len(names) != len(m) {
		return "different member names"
	}
	for name, want := range m {
		if got, _ := o.get(name); !bytes.Equal(bytes.ToValidUTF8(got, fffd), want) {
			return "member " + name + ": " + string(got) + ", want " + string(want)
		}
	}
	return ""
}

func TestScanObject(t *testing.T) {
	for _, in := range []string{
		`{}`, ` { } `, `{"a":1}`, `{"a":1,"a":"two"}`, `{"\u0061\n":[1,{"b":null}],"c":-0.5e+3}`,
		`{"t":"نص \"مقتبس\" \ud83d\ude00"}`, "{\"x\xff\":true}", `{"a":[]}`, `{"a":[1,]}`, `{"a":01}`,
		`{"a":1.}`, `{"a":-}`, `{"a":1e}`, `{"a":tru}`, `{"a":truex}`, `{"a" 1}`, `{"a":1,}`, `{,}`,
		`{"a":"\x"}`, "{\"a\":\"\t\"}", `{"a":"\u12"}`, `[1]`, `"s"`, `{"a":1}x`, `{"a":1}{}`, `{"a":{"b":{}}}`,
		`{"a":"unterminated}`, `{"a":[1 2]}`, `{"a":1` + "\n", `null`, ` null `,
	} {
		if msg := sameAsEncodingJSON([]byte(in)); msg != "" {
			t.Errorf("%s: %s", in, msg)
		}
	}
	deep := bytes.Repeat([]byte("["), maxDepth+1)
	in := append(append([]byte(`{"a":`), deep...), append(bytes.Repeat([]byte("]"), maxDepth+1), '}')...)
	if _, ok := scanObject(nil, in); ok {
		t.Error("scanObject followed nesting deeper than maxDepth")
	}
	if o, err := parseObject(nil, in); err != nil || len(o) != 1 {
		t.Errorf("parseObject of deep nesting: %d members, %v", len(o), err)
	}
}

// FuzzScanObject checks the reader's JSON object scanner against
// encoding/json.
func FuzzScanObject(f *testing.F) {
	for _, s := range []string{`{"id":"a","text":"نص"}`, `{"a":[1,{"b":null}],"c":-0.5e+3,"a":true}`,
		`{"\u0041":"\ud83d"}`, "{\"t\":\"\xff\"}", `{"a":1,}`, "{\"\x81\x81\":\"\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if msg := sameAsEncodingJSON(in); msg != "" {
			t.Fatalf("%q: %s", in, msg)
		}
	})
}

// BenchmarkObject measures the reader's object scanner against
// encoding/json's decoding into a map, on a 3 KB news record.
func BenchmarkObject(b *testing.B) {
	text := strings.Repeat("قال مسؤولون إن المحادثات ستستأنف الأسبوع المقبل في العاصمة، \\\"وفق مصادر\\\".\\n", 40)
	rec := []byte(`{"id": "AL-culture-1-20180218", "source": "alarabia", "time": "Sun, 18 Feb 2018 21:35:43 +0400", ` +
		`"title": "عنوان الخبر", "text": "` + text + `"}`)
	if o, ok := scanObject(nil, rec); !ok || len(o) != 5 {
		b.Fatalf("scanObject: %d members, %v", len(o), ok)
	}
	b.Run("scanObject", func(b *testing.B) {
		b.SetBytes(int64(len(rec)))
		var o object
		for b.Loop() {
			o, _ = scanObject(o[:0], rec)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(rec)))
		for b.Loop() {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(rec, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestPlainRun compares plainRun with a byte at a time: every byte value
// at every position of 20, in runs of Arabic and of ASCII, after a byte
// that could make a false flag above it (a quote, 0x00, 0x01, 0x21).
func TestPlainRun(t *testing.T) {
	naive := func(b []byte) int {
		i := 0
		for i < len(b) && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\' {
			i++
		}
		return i
	}
	for _, fill := range []string{strings.Repeat("ب", 10), strings.Repeat("a", 20)} {
		for at := range 20 {
			for c := range 256 {
				b := []byte(fill)
				b[at] = byte(c)
				for _, next := range []byte{'"', 0, 1, 0x21} {
					if at+1 < len(b) {
						b[at+1] = next
					}
					for _, s := range [][]byte{b, b[:at+1], b[at:]} {
						if got, want := plainRun(s), naive(s); got != want {
							t.Fatalf("plainRun(% x) = %d, want %d", s, got, want)
						}
					}
				}
			}
		}
	}
}
