package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// atRoot makes the repository root the working directory of the test, so
// that commands run as the README runs them.
func atRoot(t *testing.T) { t.Chdir("../..") }

// runCmd runs a command line.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test ./cmd/neardup -update to accept):\n%s", path, got)
	}
}

// TestSeeds is the user's example: 000 and 002 report Mishustin's visit to
// China and form one cluster; 001, 003 and 004 stand alone.
func TestSeeds(t *testing.T) {
	atRoot(t)
	code, out, errOut := runCmd(t, "", "cluster", "testdata/seeds")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "seeds.golden.csv", out)
	cluster := make(map[string]string)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Split(line, ",")
		cluster[f[0][:3]] = f[1][:3]
	}
	if cluster["000"] != cluster["002"] {
		t.Errorf("000 and 002 are not in one cluster: %v", cluster)
	}
	for _, id := range []string{"001", "003", "004"} {
		for other, c := range cluster {
			if other != id && c == cluster[id] {
				t.Errorf("%s shares a cluster with %s", id, other)
			}
		}
	}
	if !strings.Contains(errOut, "5 documents, 4 clusters") {
		t.Errorf("summary: %q", errOut)
	}
}

func TestClusterToFile(t *testing.T) {
	atRoot(t)
	out := filepath.Join(t.TempDir(), "r.csv")
	code, stdout, errOut := runCmd(t, "", "cluster", "-q", "-o", out, "--workers", "1", "testdata/seeds")
	if code != 0 || stdout != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "seeds.golden.csv", string(b))
}

func TestClusterStdin(t *testing.T) {
	atRoot(t)
	in := `{"id":"a","text":"نص"}` + "\n" + `{"id":"b","text":"نص"}` + "\n"
	code, out, _ := runCmd(t, in, "cluster", "-")
	want := "doc_id,cluster_id,cluster_size,dup_group_id,dup_group_size,keep,jaccard_to_group_rep,cosine_to_cluster_rep,chars,source,title\n" +
		"a,a,2,a,2,true,1.000,1.000,2,-:1,نص\n" +
		"b,a,2,a,2,false,1.000,1.000,2,-:2,نص\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestNormalize(t *testing.T) {
	atRoot(t)
	code, out, _ := runCmd(t, "قالَ الرئيسُ «إنّ الاقتصادَ ينمـــو بنسبة ٣٫٥٪»\nمسؤول\n", "normalize", "--punct", "fold", "--hamza", "seat")
	if want := "قال الرييس \"ان الاقتصاد ينمو بنسبه 3.5%\"\nمسوول\n"; code != 0 || out != want {
		t.Errorf("exit %d, got %q, want %q", code, out, want)
	}
}

func TestParams(t *testing.T) {
	atRoot(t)
	code, out, _ := runCmd(t, "", "params", "--threshold", "0.8")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	golden(t, "params-0.8.golden.txt", out)
}

func TestErrors(t *testing.T) {
	atRoot(t)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{}, 1, "Usage"},
		{[]string{"frobnicate"}, 1, `unknown command "frobnicate"`},
		{[]string{"cluster"}, 1, "no input"},
		{[]string{"cluster", "--hamza", "x", "testdata/seeds"}, 1, `--hamza "x"`},
		{[]string{"cluster", "--no-such-flag", "testdata/seeds"}, 1, "unknown flag"},
		{[]string{"cluster", "testdata/no-such-dir"}, 1, "read testdata/no-such-dir: "},
		{[]string{"cluster", "--bands", "7", "testdata/seeds"}, 1, "bands 7 does not divide 128 permutations"},
		{[]string{"cluster", "--bands", "8", "--rows", "32", "testdata/seeds"}, 1, "bands 8 × rows 32 does not fit 128 permutations"},
		{[]string{"version", "extra"}, 1, "takes no arguments"},
		{[]string{"cluster", "-o", "/no/such/dir/r.csv", "testdata/seeds"}, 2, "create /no/such/dir/r.csv"},
		{[]string{"params", "--threshold", "1.5"}, 1, "strictly between 0 and 1"},
		{[]string{"params", "--threshold", "NaN"}, 1, "strictly between 0 and 1"},
		{[]string{"params", "--num-perm", "0"}, 1, "num-perm 0: must be between 1 and 1024"},
		{[]string{"params", "--num-perm", "100000000"}, 1, "must be between 1 and 1024"},
		{[]string{"params", "--bands", "-4"}, 1, "bands -4 × rows 0 does not fit"},
		{[]string{"cluster", "-j", "-1", "testdata/seeds"}, 1, "workers -1: must be between 1 and 1024"},
		{[]string{"cluster", "--window-days", "-1", "testdata/seeds"}, 1, "--window-days -1: must be between 0 (no limit) and 100000"},
		{[]string{"cluster", "--window-days", "NaN", "testdata/seeds"}, 1, "--window-days NaN"},
		{[]string{"cluster", "--min-passage", "-1", "testdata/seeds"}, 1, "min-passage -1: must be between 0 (no passages) and"},
		{[]string{"cluster", "-j", "99999999999", "testdata/seeds"}, 1, "must be between 1 and 1024"},
		{[]string{"cluster", "--event-terms", "49", "testdata/seeds"}, 1, "must be between 1 and 48"},
		{[]string{"normalize", "extra"}, 1, "takes no arguments"},
		{[]string{"idf", "--min-df", "-5", "testdata/seeds"}, 1, "--min-df -5: must be at least 1"},
	}
	for _, tt := range tests {
		code, _, errOut := runCmd(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d with %q", tt.args, code, errOut, tt.code, tt.msg)
		}
	}
}

func TestHelp(t *testing.T) {
	atRoot(t)
	for _, args := range [][]string{{"--help"}, {"help"}, {"help", "cluster"}, {"cluster", "-h"}, {"version"}, {"version", "--help"}, {"help", "version"}} {
		code, out, _ := runCmd(t, "", args...)
		if code != 0 || out == "" {
			t.Errorf("%q: exit %d, output %q", args, code, out)
		}
	}
	_, out, _ := runCmd(t, "", "help", "cluster")
	for _, flag := range []string{"--min-cosine", "--threshold", "--zwnj", "--teh-marbuta", "Example:"} {
		if !strings.Contains(out, flag) {
			t.Errorf("help cluster does not mention %s", flag)
		}
	}
}

func TestIDF(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "idf.txt")
	code, _, errOut := runCmd(t, "", "idf", "--min-df", "2", "-o", out, "testdata/seeds")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "5 docs\n") || !strings.Contains(string(b), "\nصين\t5\n") {
		t.Errorf("table starts %q", string(b)[:min(len(b), 200)])
	}
	// --min-df keeps the terms held by that many documents, no fewer.
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, l := range lines[1:] {
		if _, df, _ := strings.Cut(l, "\t"); df == "1" {
			t.Fatalf("--min-df 2 kept %q", l)
		}
	}
	all := filepath.Join(dir, "all.txt.gz")
	if code, _, errOut := runCmd(t, "", "idf", "--min-df", "1", "-o", all, "testdata/seeds"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// A name ending in .gz is written gzip-compressed, and holds more terms.
	zb, _ := os.ReadFile(all)
	zr, err := gzip.NewReader(bytes.NewReader(zb))
	if err != nil {
		t.Fatalf("%s is not gzip: %v", all, err)
	}
	plain, _ := io.ReadAll(zr)
	if n := strings.Count(string(plain), "\n"); n <= len(lines) {
		t.Errorf("--min-df 1 wrote %d lines, --min-df 2 %d", n, len(lines))
	}
	// cluster weighs terms by the table given, as its summary says.
	summary := filepath.Join(dir, "s.json")
	code, _, errOut = runCmd(t, "", "cluster", "-q", "--idf", out, "--summary", summary, "-o", filepath.Join(dir, "r.csv"), "testdata/seeds")
	if code != 0 {
		t.Fatalf("cluster with --idf: exit %d: %s", code, errOut)
	}
	sb, _ := os.ReadFile(summary)
	if !strings.Contains(string(sb), `"table": "`+out+`"`) || !strings.Contains(string(sb), `"terms": `+strconv.Itoa(len(lines)-1)) {
		t.Errorf("summary does not name the table %s of %d terms:\n%s", out, len(lines)-1, sb)
	}
}

// TestIDFOddInput: idf treats odd input as cluster does, and tells it.
func TestIDFOddInput(t *testing.T) {
	odd := "{\"id\":\"a\",\"text\":\"نص \xff أول\"}\n{bad\n{\"id\":\"b\",\"text\":\"نص ثان طويل\"}\n"
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr []string
	}{
		{nil, 1, "", []string{"-:2: malformed JSON"}},
		{[]string{"--skip-bad"}, 0, "2 docs\nنص\t2\n", []string{"2 documents, 1 terms held by at least 2 (of ", "skipped 1 records", "  -:2: malformed JSON", "1 documents held invalid UTF-8"}},
		{[]string{"--skip-bad", "--strict"}, 1, "", []string{"-:1: invalid UTF-8"}},
		{[]string{"--skip-bad", "--max-doc-bytes", "6"}, 0, "2 docs\nنص\t2\n", []string{"2 documents were cut to --max-doc-bytes (first: -:1, -:3)"}},
		{[]string{"--max-doc-bytes", "-1"}, 1, "", []string{"max-doc-bytes -1"}},
	} {
		args := append(append([]string{"idf", "--min-df", "2"}, tt.args...), "-")
		code, out, errOut := runCmd(t, odd, args...)
		if code != tt.code || out != tt.stdout {
			t.Errorf("%q: exit %d, table %q; want %d, %q (%s)", tt.args, code, out, tt.code, tt.stdout, errOut)
		}
		for _, want := range tt.stderr {
			if !strings.Contains(errOut, want) {
				t.Errorf("%q: stderr %q, want %q", tt.args, errOut, want)
			}
		}
	}
}

func TestEval(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	labels := filepath.Join(dir, "l.jsonl")
	os.WriteFile(labels, []byte(`{"a":"000_d85516be251f1ff5.txt","b":"002_df28b0ff4a327f64.txt","label":"same_event"}
{"a":"000_d85516be251f1ff5.txt","b":"003_2d4469413d9eec7e.txt","label":"related"}
{"a":"001_07e1d37294a969bb.txt","b":"missing.txt","label":"copy"}
`), 0o644)
	truth := filepath.Join(dir, "t.csv")
	// A byte-order mark before the header, as Excel writes it, and a
	// document the report does not hold.
	os.WriteFile(truth, []byte("\ufeffid,cluster\n000_d85516be251f1ff5.txt,m\n002_df28b0ff4a327f64.txt,m\n003_2d4469413d9eec7e.txt,p\nghost.txt,g\n"), 0o644)
	code, out, errOut := runCmd(t, "", "eval", "--labels", labels, "--truth", truth, "testdata/seeds.golden.csv")
	want := `2 labelled pairs
copy level (same group)    precision 0.000 recall 0.000 F1 0.000 (TP 0, FP 0, FN 0, TN 2)
event level (same cluster) precision 1.000 recall 1.000 F1 1.000 (TP 1, FP 0, FN 0, TN 1)
1 pairs not scored: a document is not in the report (first: ` + labels + `:3, 001_07e1d37294a969bb.txt missing.txt)
3 documents: B-cubed precision 1.000 recall 1.000 F1 1.000, adjusted Rand index 1.000
not scored: 1 documents of ` + truth + ` missing from the report, 2 of the report's documents not in ` + truth + `
`
	if code != 0 || out != want {
		t.Errorf("exit %d (%s), output:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	// --errors lists the pairs decided against their labels.
	code, out, errOut = runCmd(t, "", "eval", "--errors", "--labels", labels, "testdata/seeds.golden.csv")
	if code != 0 || strings.Contains(out, "level, false") {
		t.Errorf("--errors on a right report: exit %d (%s)\n%s", code, errOut, out)
	}
	wrong := filepath.Join(dir, "w.jsonl")
	os.WriteFile(wrong, []byte(`{"a":"000_d85516be251f1ff5.txt","b":"002_df28b0ff4a327f64.txt","label":"related"}
{"a":"001_07e1d37294a969bb.txt","b":"004_1ac7d227b2dc0de5.txt","label":"copy"}
`), 0o644)
	code, out, errOut = runCmd(t, "", "eval", "--errors", "--labels", wrong, "testdata/seeds.golden.csv")
	wantErrs := "event level, false positive: 000_d85516be251f1ff5.txt 002_df28b0ff4a327f64.txt (related, " + wrong + ":1): one cluster, 002_df28b0ff4a327f64.txt\n" +
		"copy level, false negative: 001_07e1d37294a969bb.txt 004_1ac7d227b2dc0de5.txt (copy, " + wrong + ":2): groups 001_07e1d37294a969bb.txt and 004_1ac7d227b2dc0de5.txt\n" +
		"event level, false negative: 001_07e1d37294a969bb.txt 004_1ac7d227b2dc0de5.txt (copy, " + wrong + ":2): clusters 001_07e1d37294a969bb.txt and 004_1ac7d227b2dc0de5.txt\n"
	if code != 0 || !strings.HasSuffix(out, wantErrs) {
		t.Errorf("--errors: exit %d (%s)\n%s\nwant it to end with:\n%s", code, errOut, out, wantErrs)
	}
	// The same report as TSV and as JSON Lines scores the same.
	for _, format := range []string{"tsv", "jsonl"} {
		rep := filepath.Join(dir, "r."+format)
		if code, _, errOut := runCmd(t, "", "cluster", "-q", "--out-format", format, "-o", rep, "testdata/seeds"); code != 0 {
			t.Fatalf("%s report: %s", format, errOut)
		}
		if code, got, errOut := runCmd(t, "", "eval", "--labels", labels, "--truth", truth, rep); code != 0 || got != want {
			t.Errorf("%s report: exit %d (%s), output:\n%s\nwant:\n%s", format, code, errOut, got, want)
		}
	}
	if code, _, errOut := runCmd(t, "", "eval", "--labels", "nope.jsonl", "testdata/seeds.golden.csv"); code != 1 || !strings.Contains(errOut, "nope.jsonl") {
		t.Errorf("missing labels: exit %d, %s", code, errOut)
	}
}

func TestExplain(t *testing.T) {
	atRoot(t)
	code, out, errOut := runCmd(t, "", "explain", "000_d85516be251f1ff5.txt", "002_df28b0ff4a327f64.txt", "testdata/seeds")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "explain-000-002.golden.txt", out)
	code, _, errOut = runCmd(t, "", "explain", "000_d85516be251f1ff5.txt", "nope", "testdata/seeds")
	if code != 1 || !strings.Contains(errOut, `no document "nope"`) {
		t.Errorf("missing id: exit %d, %s", code, errOut)
	}
	code, out, errOut = runCmd(t, "", "explain", "001_07e1d37294a969bb.txt", "001_07e1d37294a969bb.txt", "testdata/seeds")
	if code != 0 || !strings.Contains(out, "exact 1.000") {
		t.Errorf("a document with itself: exit %d, %s%s", code, out, errOut)
	}
	// What was odd in the input is told, as cluster tells it.
	odd := "{\"id\":\"a\",\"text\":\"نص \xff أول\"}\n{bad\n{\"id\":\"b\",\"text\":\"نص ثان\"}\n"
	code, _, errOut = runCmd(t, odd, "explain", "--skip-bad", "a", "b", "-")
	if code != 0 || !strings.Contains(errOut, "skipped 1 records") || !strings.Contains(errOut, "-:2") || !strings.Contains(errOut, "held invalid UTF-8") {
		t.Errorf("odd input: exit %d, stderr %q", code, errOut)
	}
	// Documents in different clusters are told the step that parted them:
	// at --min-cosine 0.25 the seeds chain 001–000–002–004, and the bridge
	// 000–002 is cut (see TestPairsReport).
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-c", "0.25", "000_d85516be251f1ff5.txt", "002_df28b0ff4a327f64.txt"}, "the one link between their two parts of the component (a bridge, two groups or more on each side) was cut (a component of 4 groups; the event cosine of their representatives 0.385"},
		{[]string{"002_df28b0ff4a327f64.txt", "003_2d4469413d9eec7e.txt"}, "no chain of event edges joins their groups"},
	} {
		code, out, errOut = runCmd(t, "", append(append([]string{"explain"}, tt.args...), "testdata/seeds")...)
		if code != 0 || !strings.Contains(out, "event level: different clusters") || !strings.Contains(out, tt.want) {
			t.Errorf("explain %v: exit %d (%s)\n%s\nwant %q", tt.args, code, errOut, out, tt.want)
		}
	}
}

func TestPairsReport(t *testing.T) {
	atRoot(t)
	pairs := filepath.Join(t.TempDir(), "pairs.csv")
	// At --min-cosine 0.25 three pairs pass the event bar and chain
	// 001–000–002–004; the link 000–002 is a bridge with two groups on
	// each side, so refinement cuts it.
	code, _, errOut := runCmd(t, "", "cluster", "-q", "-c", "0.25", "--pairs", pairs, "-o", filepath.Join(t.TempDir(), "r.csv"), "testdata/seeds")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(pairs)
	want := "a,b,level,jaccard,cosine,same_group,same_cluster,decision\n" +
		"000_d85516be251f1ff5.txt,001_07e1d37294a969bb.txt,event,0.188,0.253,false,true,same event: one cluster\n" +
		"000_d85516be251f1ff5.txt,002_df28b0ff4a327f64.txt,event,0.234,0.385,false,false,\"separated by refinement (a weak link cut, a member not similar to its cluster as a whole, or a large component split at its weakest links): neardup explain tells which\"\n" +
		"002_df28b0ff4a327f64.txt,004_1ac7d227b2dc0de5.txt,event,0.164,0.255,false,true,same event: one cluster\n"
	if string(b) != want {
		t.Errorf("pairs report:\n%s\nwant:\n%s", b, want)
	}
}

func TestBadNumbers(t *testing.T) {
	atRoot(t)
	for _, args := range [][]string{
		{"cluster", "-t", "NaN", "testdata/seeds"},
		{"cluster", "-c", "NaN", "testdata/seeds"},
		{"cluster", "-k", "100000000000", "testdata/seeds"},
		{"cluster", "--max-bucket", "1", "testdata/seeds"},
		{"cluster", "--max-bucket", "1001", "testdata/seeds"},
		{"cluster", "-o", "", "testdata/seeds"},
		{"dedup", "-o", "", "testdata/seeds"},
		{"params", "extra"},
		{"cluster", "--copy-cosine", "2", "testdata/seeds"},
	} {
		if code, _, errOut := runCmd(t, "", args...); code != 1 {
			t.Errorf("%v: exit %d (%s), want 1", args, code, errOut)
		}
	}
}

// TestOutputIsInput: an output that names an input, or another output,
// is refused before any work, and the input is left as it was.
func TestOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	text := `{"id":"a","text":"نص قصير للتجربة"}` + "\n"
	if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.csv")
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	table := filepath.Join(dir, "idf.txt")
	os.WriteFile(table, []byte("1 docs\nنص\t1\n"), 0o644)
	sub := filepath.Join(dir, "texts")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "a.txt"), []byte("نص"), 0o644)
	// A link to an output not yet written is that output; so is a path
	// through a link to its directory. A directory is no output, nor a
	// loop of links.
	dangling := filepath.Join(dir, "dangling.csv")
	if err := os.Symlink(out, dangling); err != nil {
		t.Fatal(err)
	}
	dirLink := filepath.Join(dir, "dirlink")
	loop1, loop2 := filepath.Join(dir, "loop1"), filepath.Join(dir, "loop2")
	intoSub := filepath.Join(dir, "into-sub.txt") // a link into the input directory
	for _, l := range [][2]string{{dir, dirLink}, {loop2, loop1}, {loop1, loop2}, {filepath.Join(sub, "r.txt"), intoSub}} {
		if err := os.Symlink(l[0], l[1]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"cluster", "-o", in, in}, "is also an input"},
		{[]string{"cluster", "-o", out, "--summary", dangling, in}, "named as two outputs"},
		{[]string{"cluster", "-o", out, "--summary", filepath.Join(dirLink, "out.csv"), in}, "named as two outputs"},
		{[]string{"cluster", "-o", out, "--summary", sub, in}, "is a directory"},
		{[]string{"cluster", "-o", loop1, in}, "too many levels of symbolic links"},
		{[]string{"cluster", "-o", sub + "/", in}, "is a directory"},
		{[]string{"cluster", "-o", filepath.Join(dir, "none") + "/", in}, "is a directory"},
		{[]string{"cluster", "-o", intoSub, sub}, `where --glob "*.txt" would read it`},
		{[]string{"cluster", "-o", filepath.Join(dir, ".", "in.jsonl"), in}, "is also an input"},
		{[]string{"cluster", "-o", out, "--pairs", out, in}, "named as two outputs"},
		{[]string{"cluster", "-o", out, "--summary", out, in}, "named as two outputs"},
		{[]string{"cluster", "-o", out, "--cpuprofile", out, in}, "named as two outputs"},
		{[]string{"explain", "--cpuprofile", in, "a", "a", in}, "is also an input"},
		{[]string{"explain", "--memprofile", in, "a", "a", in}, "is also an input"},
		{[]string{"explain", "--cpuprofile", table, "--idf", table, "a", "a", in}, "is also an input"},
		{[]string{"explain", "--cpuprofile", out, "--memprofile", out, "a", "a", in}, "named as two outputs"},
		{[]string{"cluster", "--memprofile", "-", in}, "a profile goes to a file"},
		{[]string{"dedup", "-o", out, "--removed", out, in}, "named as two outputs"},
		{[]string{"dedup", "--summary", in, in}, "is also an input"},
		{[]string{"idf", "-o", in, in}, "is also an input"},
		{[]string{"cluster", "--idf", table, "-o", table, sub}, "is also an input"},
		{[]string{"cluster", "-o", link, in}, "is also an input"},
		{[]string{"cluster", "-o", out, in, link}, "given twice as inputs"},
		{[]string{"cluster", "-o", out, "-", in, "-"}, "- is given twice as an input"},
		{[]string{"idf", "-o", out, in, filepath.Join(dir, ".", "in.jsonl")}, "given twice as inputs"},
		{[]string{"explain", "a", "a", sub, dirLink + "/texts"}, "given twice as inputs"},
		{[]string{"cluster", "-o", filepath.Join(sub, "r.txt"), sub}, `in the input directory ` + sub + `, where --glob "*.txt" would read it`},
		{[]string{"cluster", "--glob", "*", "-o", filepath.Join(sub, "r.csv"), sub}, `where --glob "*" would read it`},
	}
	for _, tt := range tests {
		code, _, errOut := runCmd(t, "", tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit 1 with %q", tt.args, code, errOut, tt.msg)
		}
		if got, _ := os.ReadFile(in); string(got) != text {
			t.Fatalf("%q: input changed to %q", tt.args, got)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%q: wrote %s", tt.args, out)
		}
	}
	// A report in the input directory that --glob does not read is fine;
	// so is a device named twice, which is written in place.
	if code, _, errOut := runCmd(t, "", "cluster", "-q", "-o", filepath.Join(sub, "r.csv"), sub); code != 0 {
		t.Errorf("report beside the texts: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", "cluster", "-q", "-o", os.DevNull, "--pairs", os.DevNull, in); code != 0 {
		t.Errorf("%s twice: exit %d, %s", os.DevNull, code, errOut)
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode().IsRegular() {
		t.Fatalf("%s is no longer a device: %v", os.DevNull, err)
	}
	// An output named by a link is written where it points; the link stays.
	if code, _, errOut := runCmd(t, "", "cluster", "-q", "-o", dangling, in); code != 0 {
		t.Errorf("-o a link: exit %d, %s", code, errOut)
	}
	if st, err := os.Lstat(dangling); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.HasPrefix(string(b), "doc_id,") {
		t.Errorf("the link's target: %q, %v", b, err)
	}
	// A relative link is read from the directory that really holds it,
	// as the kernel reads it: a/b/out.csv -> ../target.csv is a/target.csv
	// even when a/b is reached by a link.
	os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755)
	os.Symlink(filepath.Join(dir, "a", "b"), filepath.Join(dir, "lb"))
	os.Symlink("../target.csv", filepath.Join(dir, "a", "b", "out.csv"))
	os.WriteFile(filepath.Join(dir, "target.csv"), []byte("decoy"), 0o644)
	if code, _, errOut := runCmd(t, "", "cluster", "-q", "-o", filepath.Join(dir, "lb", "out.csv"), in); code != 0 {
		t.Errorf("-o through links: exit %d, %s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "target.csv")); string(b) != "decoy" {
		t.Errorf("wrote the file a textual .. names: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a", "target.csv")); !strings.HasPrefix(string(b), "doc_id,") {
		t.Errorf("the link's real target: %q", b)
	}
	// A descriptor not open cannot be written: exit 2, at once.
	if code, _, errOut := runCmd(t, "", "cluster", "-o", "/dev/fd/97", in); code != 2 || !strings.Contains(errOut, "create /dev/fd/97: ") {
		t.Errorf("-o /dev/fd/97: exit %d, %s", code, errOut)
	}
	// /dev/stdout is the process's standard output, written as it is,
	// also when named by a link.
	toStdout := filepath.Join(dir, "to-stdout")
	os.Symlink("/dev/stdout", toStdout)
	if code, out, errOut := runCmd(t, "", "cluster", "-q", "-o", toStdout, in); code != 0 || !strings.HasPrefix(out, "doc_id,") {
		t.Errorf("-o a link to /dev/stdout: exit %d, %q, %s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, "", "cluster", "-q", "-o", "/dev/stdout", in); code != 0 || !strings.HasPrefix(out, "doc_id,") {
		t.Errorf("-o /dev/stdout: exit %d, %q, %s", code, out, errOut)
	}
}

// TestProfilesAreOutputs checks that the profiles are written like the
// other outputs: whole, and only by a run that succeeds.
func TestProfilesAreOutputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(`{"id":"a","text":"نص قصير للتجربة"}`+"\n"), 0o644)
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	os.WriteFile(cpu, []byte("old"), 0o644)
	if code, _, _ := runCmd(t, "", "cluster", "-q", "--cpuprofile", cpu, "--memprofile", mem, "-o", os.DevNull, filepath.Join(dir, "none.jsonl")); code != 1 {
		t.Fatalf("a missing input: exit %d", code)
	}
	if b, _ := os.ReadFile(cpu); string(b) != "old" {
		t.Errorf("a failed run replaced the CPU profile: %q", b)
	}
	if _, err := os.Stat(mem); err == nil {
		t.Errorf("a failed run wrote the heap profile")
	}
	if code, _, errOut := runCmd(t, "", "cluster", "-q", "--cpuprofile", cpu, "--memprofile", mem, "-o", os.DevNull, in); code != 0 {
		t.Fatalf("exit %d, %s", code, errOut)
	}
	for _, p := range []string{cpu, mem} {
		// A profile is gzip-compressed protocol buffers.
		if b, err := os.ReadFile(p); err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s: not a profile (%v)", p, err)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, ".*")); len(matches) > 0 {
		t.Errorf("temporary files left: %q", matches)
	}
}

func TestDescriptor(t *testing.T) {
	for _, tt := range []struct {
		name string
		fd   int
		ok   bool
	}{
		{"/dev/stdout", 1, true}, {"/dev/stderr", 2, true}, {"/dev/fd/3", 3, true},
		{"/proc/self/fd/7", 7, true}, {"/dev//stdout", 1, true}, {"/dev/null", 0, false},
		{"/dev/fd/x", 0, false}, {"stdout", 0, false}, {"/dev/fd/-1", 0, false},
	} {
		if fd, ok := descriptor(tt.name); fd != tt.fd || ok != tt.ok {
			t.Errorf("descriptor(%q) = %d, %v; want %d, %v", tt.name, fd, ok, tt.fd, tt.ok)
		}
	}
}

// TestHints: errors the library words without flags get the flag that
// changes the outcome.
func TestHints(t *testing.T) {
	dir := t.TempDir()
	unknown := filepath.Join(dir, "notes.unknown")
	invalid := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(unknown, []byte("نص\n"), 0o644)
	os.WriteFile(invalid, []byte("{\"id\":\"a\",\"text\":\"\xff\"}\n"), 0o644)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"cluster", unknown}, "optionally .gz or .zst), or give --format"},
		{[]string{"cluster", "--strict", invalid}, "bad.jsonl:1: invalid UTF-8 (1 sequences); without --strict they become U+FFFD"},
	} {
		code, _, errOut := runCmd(t, "", tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit 1 with %q", tt.args, code, errOut, tt.msg)
		}
	}
}

// TestPublicationTimeFlags: --time-field and --window-days reach the run;
// explain shows the times and tells when the window parted two reports;
// a time field that holds no time is reported with its place.
func TestPublicationTimeFlags(t *testing.T) {
	atRoot(t)
	var lines []string
	for _, d := range []struct{ id, date string }{{"000", "2023-12-19"}, {"002", "2024-03-01"}, {"004", "soon"}} {
		paths, _ := filepath.Glob("testdata/seeds/" + d.id + "_*.txt")
		b, err := os.ReadFile(paths[0])
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := json.Marshal(map[string]string{"id": d.id, "text": string(b), "issued": d.date})
		lines = append(lines, string(rec))
	}
	path := filepath.Join(t.TempDir(), "dated.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "explain", "--time-field", "issued", "000", "002", path)
	for _, want := range []string{"published 2023-12-19 00:00 UTC", "published 2024-03-01 00:00 UTC",
		"their groups were first published more than 7 days apart (--window-days; a group is dated by its earliest member: 000's on 2023-12-19 00:00 UTC, 002's on 2024-03-01 00:00 UTC), so their event cosine counts as 0"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("explain: exit %d (%s), want %q in\n%s", code, errOut, want, out)
		}
	}
	// With no window, or no time field read, the two reports are one event.
	for _, args := range [][]string{{"--time-field", "issued", "--window-days", "0"}, {}} {
		code, out, errOut = runCmd(t, "", append(append([]string{"explain"}, args...), "000", "002", path)...)
		if code != 0 || !strings.Contains(out, "event level: one cluster") {
			t.Errorf("explain %v: exit %d (%s)\n%s", args, code, errOut, out)
		}
	}
	code, _, errOut = runCmd(t, "", "cluster", "--time-field", "issued", "-o", filepath.Join(t.TempDir(), "r.csv"), path)
	if want := "neardup: 1 documents had a time field that holds no time (their time is unknown) (first: " + path + ":3)"; code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("cluster: exit %d, stderr %s\nwant %q", code, errOut, want)
	}
	// A --time-field that no document holds is reported; dedup of copies
	// reads no time, so it has nothing to report.
	code, _, errOut = runCmd(t, "", "cluster", "--time-field", "pubdate", "-o", filepath.Join(t.TempDir(), "r.csv"), path)
	if want := "no document has a publication time in --time-field pubdate: no window applies"; code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("cluster --time-field pubdate: exit %d, stderr %s\nwant %q", code, errOut, want)
	}
	code, _, errOut = runCmd(t, "", "dedup", "--time-field", "issued", "-o", filepath.Join(t.TempDir(), "d.jsonl"), path)
	if code != 0 || strings.Contains(errOut, "time") {
		t.Errorf("dedup: exit %d, stderr %s", code, errOut)
	}
}

// TestMinPassageFlag: --min-passage reaches the run; explain tells the
// lines two texts share and the event cosine without them.
func TestMinPassageFlag(t *testing.T) {
	const (
		lead  = "أعلن وزير الخارجية اليوم في مؤتمر صحفي عقده في العاصمة عن اتفاق جديد مع الجار الشمالي"
		other = "قال رئيس الوزراء في كلمة أمام البرلمان إن الحكومة ستدعم المزارعين المتضررين من الجفاف"
		back  = "وكانت المفاوضات بين البلدين قد توقفت العام الماضي بعد خلاف على ترسيم الحدود والمياه"
	)
	var lines []string
	for id, text := range map[string]string{"story": lead + "\n" + back, "follow-up": other + "\n" + back} {
		rec, _ := json.Marshal(map[string]string{"id": id, "text": text})
		lines = append(lines, string(rec))
	}
	slices.Sort(lines)
	path := filepath.Join(t.TempDir(), "outlet.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"event cosine, over what each says outside the lines they share verbatim (1 of 40 code points or more): 0.000", "event level: different clusters"}},
		{[]string{"--min-passage", "200"}, []string{"event cosine: 0.498, no line of 200 code points or more", "event level: one cluster"}}, // the lines are shorter
		{[]string{"--min-passage", "0"}, []string{"event cosine: 0.498, the texts compared whole", "event level: one cluster"}},
	} {
		code, out, errOut := runCmd(t, "", append(append([]string{"explain"}, tt.args...), "story", "follow-up", path)...)
		for _, want := range tt.want {
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("explain %v: exit %d (%s), want %q in\n%s", tt.args, code, errOut, want, out)
			}
		}
	}
}

// TestExplainFamily: explain says when two documents are in one family of
// look-alikes, whose cosine the event level weighs within it.
func TestExplainFamily(t *testing.T) {
	names := []string{"أحمد الحسيني", "محمد العلوي", "حسن النجار", "خالد الخطيب", "يوسف الشامي", "سعيد البدوي",
		"منصور المصري", "فيصل الحداد", "ناصر الصباغ", "سالم العطار", "راشد الدباغ", "طارق القاسمي"}
	var lines []string
	for i, name := range names {
		text := "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة الرئيس " + name +
			" بمناسبة ذكرى يوم الاستقلال لبلاده. وأعرب الملك في البرقية عن أطيب التهاني وأصدق التمنيات بالصحة والسعادة لفخامته ولحكومة وشعب بلاده الصديق اطراد التقدم والازدهار."
		rec, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("cable-%02d", i), "text": text})
		lines = append(lines, string(rec))
	}
	path := filepath.Join(t.TempDir(), "cables.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "explain", "cable-00", "cable-01", path)
	if want := "one family of look-alikes: the event level weighs their cosine by what varies among its members"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("explain: exit %d (%s), want %q in\n%s", code, errOut, want, out)
	}
}

// TestInvalidFileNameInReport: a text file whose name is not valid UTF-8
// is reported in valid UTF-8, in CSV as in JSON Lines, and --strict
// refuses it as it refuses invalid text.
func TestInvalidFileNameInReport(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad\xffname.txt"), []byte("نص"), 0o644); err != nil {
		t.Skip("the file system refuses the name:", err)
	}
	for _, format := range []string{"csv", "jsonl"} {
		code, out, errOut := runCmd(t, "", "cluster", "--out-format", format, dir)
		if code != 0 || !utf8.ValidString(out) || !strings.Contains(out, "bad\uFFFDname.txt") {
			t.Errorf("%s: exit %d, report %q, %s", format, code, out, errOut)
		}
		if !strings.Contains(errOut, "1 documents held invalid UTF-8") {
			t.Errorf("%s: not counted: %s", format, errOut)
		}
	}
	if code, _, errOut := runCmd(t, "", "cluster", "--strict", dir); code != 1 || !strings.Contains(errOut, "invalid UTF-8") {
		t.Errorf("--strict: exit %d, %s", code, errOut)
	}
}

// TestTinyWindow: a window of less than a nanosecond is the smallest
// window, not 0, which is none.
func TestTinyWindow(t *testing.T) {
	for _, tt := range []struct {
		days string
		want time.Duration
	}{{"1e-15", 1}, {"0", 0}, {"1", 24 * time.Hour}} {
		fs := newFlags("cluster", io.Discard, "")
		pf := addPipelineFlags(fs)
		if err := parse(fs, []string{"--window-days", tt.days}); err != nil {
			t.Fatal(err)
		}
		cfg, _, err := pf.config(strings.NewReader(""))
		if err != nil || cfg.Window != tt.want {
			t.Errorf("--window-days %s: window %v, %v; want %v", tt.days, cfg.Window, err, tt.want)
		}
	}
}

// TestREADMEFlags: every flag of every command is in the README, and the
// README names no flag that no command has.
func TestREADMEFlags(t *testing.T) {
	atRoot(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := make(map[string]bool)
	for _, m := range regexp.MustCompile("`(?:-[a-z], )?--([a-z][a-z0-9-]*)").FindAllSubmatch(readme, -1) {
		documented[string(m[1])] = true
	}
	// A help line of a flag: "  -k, --shingle int   …" or "      --seed uint   …".
	line := regexp.MustCompile(`(?m)^ +(?:-[a-zA-Z], )?--([a-z][a-z0-9-]*)`)
	exists := map[string]bool{"preset": true} // named to say why there is none
	for _, c := range commands {
		if c.name == "help" {
			continue
		}
		code, out, errOut := runCmd(t, "", "help", c.name)
		if code != 0 {
			t.Fatalf("help %s: exit %d, %s", c.name, code, errOut)
		}
		for _, m := range line.FindAllStringSubmatch(out, -1) {
			exists[m[1]] = true
			if !documented[m[1]] {
				t.Errorf("%s --%s is not in the README", c.name, m[1])
			}
		}
	}
	if len(exists) < 40 {
		t.Fatalf("%d flags found in the help: is it still parsed?", len(exists))
	}
	for f := range documented {
		if !exists[f] {
			t.Errorf("the README names --%s, which no command has", f)
		}
	}
}
