package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// oddDocuments are the kinds of text whose outcome the README defines.
var oddDocuments = map[string]string{
	"empty":       "",
	"spaces":      " \t\n  ",
	"short":       "نص",
	"punctuation": "،،، ؟!! ...",
	"digits":      "١٢٣ 456 ۷۸۹",
	"english":     "The central bank raised interest rates by a quarter point on Tuesday.",
	"persian":     "بانک مرکزی نرخ بهره را روز سه\u200cشنبه یک چهارم درصد افزایش داد.",
	"urdu":        "مرکزی بینک نے منگل کو شرح سود میں ایک چوتھائی فیصد اضافہ کیا۔",
	"mixed":       "رفع البنك المركزي (Central Bank) سعر الفائدة 0.25% يوم الثلاثاء.",
}

// messyCorpus writes a JSONL corpus of n documents, some copies of
// others, with odd documents and bad records mixed in; it returns the path
// and the ids of the good records.
func messyCorpus(t *testing.T, n int) (string, []string) {
	rng := rand.New(rand.NewPCG(7, 7))
	seeds, _ := filepath.Glob("testdata/seeds/*.txt")
	var texts []string
	for _, s := range seeds {
		b, _ := os.ReadFile(s)
		texts = append(texts, string(b))
	}
	var b strings.Builder
	var ids []string
	bad := 0
	for i := range n {
		switch {
		case i%50 == 7:
			b.WriteString("{not json\n")
			continue
		case i%50 == 19:
			fmt.Fprintf(&b, "{\"id\":\"x%d\"}\n", i) // no text
			continue
		case i%50 == 31:
			// Invalid UTF-8, and an id repeated: --dedupe-ids renames it.
			b.WriteString("{\"id\":\"bad\xff\",\"text\":\"نص \xfe\xff مكسور\"}\n")
			if k := bad + 1; k == 1 {
				ids = append(ids, "bad\ufffd")
			} else {
				ids = append(ids, fmt.Sprintf("bad\ufffd#%d", k))
			}
			bad++
			continue
		}
		id := fmt.Sprintf("d%04d", i)
		text := texts[rng.IntN(len(texts))]
		if i%10 == 3 {
			kinds := []string{"empty", "spaces", "short", "punctuation", "digits", "english", "persian", "urdu", "mixed"}
			text = oddDocuments[kinds[(i/10)%len(kinds)]]
		} else if rng.IntN(2) == 0 {
			paras := strings.Split(text, "\n\n")
			text = strings.Join(paras[rng.IntN(2):], "\n\n") // a copy, a paragraph dropped or not
		}
		rec, _ := json.Marshal(map[string]string{"id": id, "text": text})
		b.Write(rec)
		b.WriteByte('\n')
		ids = append(ids, id)
	}
	path := filepath.Join(t.TempDir(), "messy.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

// TestEveryDocumentExactlyOnce checks, in every mode, that each good record
// appears once and no other does, with bad records skipped and counted.
func TestEveryDocumentExactlyOnce(t *testing.T) {
	atRoot(t)
	path, ids := messyCorpus(t, 400)
	want := strings.Join(sorted(ids), " ")
	flags := []string{"-q", "--skip-bad", "--dedupe-ids"}

	code, out, errOut := runCmd(t, "", append([]string{"cluster"}, append(flags, path)...)...)
	if code != 0 {
		t.Fatalf("cluster: exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	kept := 0
	for _, r := range recs[1:] {
		got = append(got, r[0])
		if r[5] == "true" {
			kept++
		}
	}
	if g := strings.Join(sorted(got), " "); g != want {
		t.Errorf("cluster: ids\n%s\nwant\n%s", g, want)
	}

	// dedup writes each good record back once, byte for byte: with the
	// fields --annotate adds, or kept or removed (with replaced_by). Its
	// records keep their ids, so that --dedupe-ids is refused with those
	// two, and the repeated ids are made unique for it.
	if code, _, errOut := runCmd(t, "", append([]string{"dedup", "--annotate"}, append(flags, path)...)...); code != 1 || !strings.Contains(errOut, "--dedupe-ids renames ids") {
		t.Errorf("dedup --annotate --dedupe-ids: exit %d, %s", code, errOut)
	}
	raw, _ := os.ReadFile(path)
	parts := bytes.Split(raw, []byte("\"id\":\"bad\xff\""))
	raw = parts[0]
	for i, p := range parts[1:] {
		raw = append(fmt.Appendf(raw, "\"id\":\"bad\xff%d\"", i), p...)
	}
	path = filepath.Join(t.TempDir(), "unique.jsonl")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	flags = []string{"-q", "--skip-bad"}
	var good []string
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if strings.Contains(l, `"text":`) { // the bad ones are not JSON or have no text
			good = append(good, l)
		}
	}
	wantRecs := strings.Join(sorted(good), "\n")
	// strip removes the fields added from field on.
	strip := func(lines []string, field string) []string {
		var out []string
		for _, l := range lines {
			i := strings.LastIndex(l, `,"`+field+`":`)
			if i < 0 {
				t.Fatalf("no %s in %q", field, l)
			}
			out = append(out, l[:i]+"}")
		}
		return out
	}
	lines := func(s string) []string {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return strings.Split(s, "\n")
	}

	code, out, errOut = runCmd(t, "", append([]string{"dedup", "--annotate"}, append(flags, path)...)...)
	if code != 0 {
		t.Fatalf("annotate: exit %d: %s", code, errOut)
	}
	if got := strings.Join(sorted(strip(lines(out), "cluster_id")), "\n"); got != wantRecs {
		t.Errorf("annotate: the records written are not the input's good records, once each")
	}

	removed := filepath.Join(t.TempDir(), "removed.jsonl")
	code, out, errOut = runCmd(t, "", append([]string{"dedup", "--removed", removed}, append(flags, path)...)...)
	if code != 0 {
		t.Fatalf("dedup: exit %d: %s", code, errOut)
	}
	rb, _ := os.ReadFile(removed)
	keptLines, removedLines := lines(out), strip(lines(string(rb)), "replaced_by")
	if len(keptLines) != kept {
		t.Errorf("dedup: %d kept, the report keeps %d", len(keptLines), kept)
	}
	if got := strings.Join(sorted(append(keptLines, removedLines...)), "\n"); got != wantRecs {
		t.Errorf("dedup: kept and removed records are not the input's good records, once each")
	}

	// Without --skip-bad the first bad record stops the run.
	code, _, _ = runCmd(t, "", "cluster", "-q", path)
	if code != 1 {
		t.Errorf("without --skip-bad: exit %d, want 1", code)
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestOddDocuments pins the outcome of each odd kind of text: a group and
// a cluster of its own, whatever else is in the corpus.
func TestOddDocuments(t *testing.T) {
	atRoot(t)
	var b strings.Builder
	for _, kind := range []string{"empty", "spaces", "short", "punctuation", "digits", "english", "persian", "urdu", "mixed"} {
		for c := range 2 { // two of each: only the ones with text are copies of each other
			rec, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("%s-%d", kind, c), "text": oddDocuments[kind]})
			b.Write(rec)
			b.WriteByte('\n')
		}
	}
	code, out, errOut := runCmd(t, b.String(), "cluster", "-q", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
	group := make(map[string]string)
	for _, r := range recs[1:] {
		group[r[0]] = r[3]
	}
	for _, kind := range []string{"empty", "spaces", "punctuation"} { // nothing left to compare
		if group[kind+"-0"] == group[kind+"-1"] {
			t.Errorf("%s: the two texts are grouped, but a text with no shingles matches nothing", kind)
		}
	}
	for _, kind := range []string{"short", "digits", "english", "persian", "urdu", "mixed"} {
		if group[kind+"-0"] != group[kind+"-1"] {
			t.Errorf("%s: two identical texts are not one group", kind)
		}
		for _, other := range []string{"short", "digits", "english", "persian", "urdu", "mixed"} {
			if other != kind && group[kind+"-0"] == group[other+"-0"] {
				t.Errorf("%s grouped with %s", kind, other)
			}
		}
	}
}

// failingWriter fails every write, as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteErrorExitCode: an output that cannot be written is an error,
// exit 2, not a silent loss; and the other outputs keep their old
// contents, as outputs are renamed into place only once all are written.
func TestWriteErrorExitCode(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	summary, other := filepath.Join(dir, "s.json"), filepath.Join(dir, "other")
	for _, args := range [][]string{
		{"cluster", "testdata/seeds"},
		{"dedup", "testdata/seeds"},
		{"cluster", "--summary", summary, "--pairs", other, "testdata/seeds"},
		{"dedup", "--summary", summary, "--removed", other, "testdata/seeds"},
		// The output that fails comes after those written to files.
		{"cluster", "-o", other, "--summary", "-", "testdata/seeds"},
		{"dedup", "-o", other, "--summary", "-", "testdata/seeds"},
	} {
		for _, f := range []string{summary, other} {
			if err := os.WriteFile(f, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var errb strings.Builder
		code := run(args, strings.NewReader(""), failingWriter{}, &errb)
		if code != 2 || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("%v: exit %d, %q", args, code, errb.String())
		}
		for _, f := range []string{summary, other} {
			if b, _ := os.ReadFile(f); string(b) != "old" {
				t.Errorf("%v: %s replaced by a failed run:\n%s", args, f, b)
			}
		}
	}
	// A device that fails is written before standard output, which a
	// failed run then leaves as it was (when the report fits its buffer).
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	code, out, errOut := runCmd(t, "", "cluster", "--summary", "/dev/full", "testdata/seeds")
	if code != 2 || out != "" || !strings.Contains(errOut, "no space left on device") {
		t.Errorf("--summary /dev/full: exit %d, %d bytes of report, %q", code, len(out), errOut)
	}
}
