package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// copies is a JSONL corpus: two texts and two edited copies of the first.
const copiesJSONL = `{"id":"a","text":"أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير وأقساما للطوارئ والأطفال","n":1}
{"id":"b","text":"فاز المنتخب الوطني بكأس البطولة بعد مباراة مثيرة انتهت بركلات الترجيح أمام جمهور غفير"}
{"id":"c","text":"أعلنتْ وزارةُ الصحةِ اليومَ عن افتتاحِ مستشفى جديدٍ في العاصمةِ يضمُّ مئتي سريرٍ وأقساماً للطوارئ والأطفال"}
{"id":"d","meta":{"x":[1,2]},"text":"عاجل: أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير وأقساما للطوارئ والأطفال"}
`

func TestDedupJSONL(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	removed := filepath.Join(dir, "removed.jsonl")
	code, out, errOut := runCmd(t, copiesJSONL, "dedup", "--removed", removed, "-")
	lines := strings.Split(copiesJSONL, "\n")
	// d is the longest copy: it is kept, in input order, byte for byte.
	if want := lines[1] + "\n" + lines[3] + "\n"; code != 0 || out != want {
		t.Fatalf("exit %d (%s), output:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	if !strings.Contains(errOut, "4 documents, 2 kept, 2 removed") {
		t.Errorf("summary %q", errOut)
	}
	// --verbose adds each stage's counts, as for cluster: without the
	// event clustering, which a dedup without --annotate skips.
	if code, _, errOut := runCmd(t, copiesJSONL, "dedup", "-v", "-o", os.DevNull, "-"); code != 0 || !strings.Contains(errOut, "neardup: read and sign ") || !strings.Contains(errOut, " families of look-alikes; copies only)") {
		t.Errorf("dedup -v: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, copiesJSONL, "dedup", "-v", "--annotate", "-o", os.DevNull, "-"); code != 0 || !strings.Contains(errOut, " components split at weak links)") {
		t.Errorf("dedup -v --annotate: exit %d, %q", code, errOut)
	}
	b, _ := os.ReadFile(removed)
	if want := strings.TrimSuffix(lines[0], "}") + `,"replaced_by":"d"}` + "\n" + strings.TrimSuffix(lines[2], "}") + `,"replaced_by":"d"}` + "\n"; string(b) != want {
		t.Errorf("removed:\n%s\nwant:\n%s", b, want)
	}
	// Dropping copies finds no clusters, and its summary says so; an
	// annotation names each record's cluster.
	for _, annotate := range []bool{false, true} {
		summary := filepath.Join(dir, "s.json")
		args := []string{"dedup", "-q", "--summary", summary, "-o", os.DevNull, "-"}
		if annotate {
			args = append(args, "--annotate")
		}
		if code, _, errOut := runCmd(t, copiesJSONL, args...); code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
		var s struct {
			Clusters   *int           `json:"clusters"`
			Parameters map[string]any `json:"parameters"`
			Stages     map[string]any `json:"stages"`
		}
		if b, err := os.ReadFile(summary); err != nil || json.Unmarshal(b, &s) != nil {
			t.Fatalf("summary %s: %v", b, err)
		}
		_, edges := s.Stages["event_edges"]
		if (s.Clusters != nil) != annotate || s.Parameters["events"] != annotate || edges != annotate {
			t.Errorf("--annotate %v: summary clusters %v, events %v, stages %v", annotate, s.Clusters, s.Parameters["events"], s.Stages)
		}
		if w, _ := s.Parameters["workers"].(float64); w < 1 {
			t.Errorf("summary workers %v: want the number used", s.Parameters["workers"])
		}
	}
	code, out, _ = runCmd(t, copiesJSONL, "dedup", "--keep", "first", "-")
	if want := lines[0] + "\n" + lines[1] + "\n"; code != 0 || out != want {
		t.Errorf("--keep first:\n%s", out)
	}
	code, out, _ = runCmd(t, copiesJSONL, "dedup", "--annotate", "-q", "-")
	var recs []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("annotated line %q: %v", l, err)
		}
		recs = append(recs, m)
	}
	if code != 0 || len(recs) != 4 || recs[0]["dup_group_id"] != "d" || recs[0]["keep"] != false || recs[3]["keep"] != true || recs[1]["cluster_id"] != "b" || recs[0]["n"] != 1.0 {
		t.Errorf("annotated: %v", recs)
	}
}

func TestDedupCSVAndText(t *testing.T) {
	atRoot(t)
	in := "id,text,extra\n" +
		"a,\"أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير\",1\n" +
		"b,\"فاز المنتخب الوطني بكأس البطولة بعد مباراة مثيرة انتهت بركلات الترجيح\",2\n" +
		"c,\"أعلنتْ وزارةُ الصحةِ اليومَ عن افتتاحِ مستشفى جديدٍ في العاصمةِ يضمُّ مئتي سريرٍ\",3\n"
	code, out, errOut := runCmd(t, in, "dedup", "--format", "csv", "-q", "-")
	// Fields are written unchanged; quotes only where RFC 4180 needs them.
	lines := strings.Split(strings.ReplaceAll(in, `"`, ""), "\n")
	if want := lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n"; code != 0 || out != want {
		t.Errorf("exit %d (%s), output:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	code, out, _ = runCmd(t, in, "dedup", "--format", "csv", "--annotate", "-q", "-")
	if code != 0 || !strings.HasPrefix(out, "id,text,extra,cluster_id,dup_group_id,keep\n") || !strings.Contains(out, ",3,a,a,false\n") {
		t.Errorf("annotated CSV:\n%s", out)
	}
	// Annotated again, the annotations take their own columns.
	again := out
	code, out, _ = runCmd(t, again, "dedup", "--format", "csv", "--annotate", "-q", "-")
	if code != 0 || out != again {
		t.Errorf("annotated twice:\n%s\nwant:\n%s", out, again)
	}
	code, out, _ = runCmd(t, "", "dedup", "-q", "testdata/seeds")
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.HasPrefix(out, `{"id":"000_d85516be251f1ff5.txt","text":"`) {
		t.Errorf("text files: exit %d, %.200s", code, out)
	}
}

type pqRec struct {
	ID   string `parquet:"id"`
	Text string `parquet:"text"`
	Lang string `parquet:"lang"`
}

func TestDedupParquet(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.parquet")
	var recs []pqRec
	for _, l := range strings.Split(strings.TrimSpace(copiesJSONL), "\n") {
		var m map[string]any
		json.Unmarshal([]byte(l), &m)
		recs = append(recs, pqRec{m["id"].(string), m["text"].(string), "ar"})
	}
	if err := parquet.WriteFile(in, recs); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.parquet")
	if code, _, errOut := runCmd(t, "", "dedup", "-q", "-o", out, in); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, err := parquet.ReadFile[pqRec](out)
	if err != nil || len(got) != 2 || got[0] != recs[1] || got[1] != recs[3] {
		t.Errorf("dedup parquet: %v %v", got, err)
	}
	if code, _, errOut := runCmd(t, "", "dedup", "-q", "--annotate", "-o", out, in); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type annotated struct {
		pqRec
		ClusterID  string `parquet:"cluster_id"`
		DupGroupID string `parquet:"dup_group_id"`
		Keep       string `parquet:"keep"`
	}
	all, err := parquet.ReadFile[annotated](out)
	if err != nil || len(all) != 4 || all[0].ID != "a" || all[0].Lang != "ar" || all[0].DupGroupID != "d" || all[0].Keep != "false" || all[3].Keep != "true" {
		t.Errorf("annotated parquet: %+v %v", all, err)
	}
	// The input's columns keep their order, and the added ones follow, in
	// the annotated file and the removed one.
	removed := filepath.Join(dir, "removed.parquet")
	if code, _, errOut := runCmd(t, "", "dedup", "-q", "--removed", removed, "-o", os.DevNull, in); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for file, want := range map[string]string{
		out:     "id text lang cluster_id dup_group_id keep",
		removed: "id text lang replaced_by",
	} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range pf.Schema().Fields() {
			names = append(names, c.Name())
		}
		f.Close()
		if got := strings.Join(names, " "); got != want {
			t.Errorf("%s: columns %s, want %s", filepath.Base(file), got, want)
		}
	}
	rem, err := parquet.ReadFile[struct {
		pqRec
		ReplacedBy string `parquet:"replaced_by"`
	}](removed)
	if err != nil || len(rem) != 2 || rem[0].ID != "a" || rem[0].ReplacedBy != "d" || rem[1].Text != recs[2].Text || rem[1].Lang != "ar" {
		t.Errorf("removed parquet: %+v %v", rem, err)
	}
}

func TestClusterOutputs(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	summary := filepath.Join(dir, "s.json")
	code, out, errOut := runCmd(t, "", "cluster", "-q", "--out-format", "tsv", "--bom", "--summary", summary, "testdata/seeds")
	if code != 0 || !strings.HasPrefix(out, "\ufeffdoc_id\tcluster_id\t") {
		t.Errorf("exit %d (%s): %.60q", code, errOut, out)
	}
	var s map[string]any
	b, _ := os.ReadFile(summary)
	if err := json.Unmarshal(b, &s); err != nil || s["documents"] != 5.0 || s["clusters"] != 4.0 {
		t.Errorf("summary %s: %v", b, err)
	}
	// The parameters name how the inputs were read and the IDF table used.
	params, _ := s["parameters"].(map[string]any)
	in, _ := params["input"].(map[string]any)
	idf, _ := params["idf"].(map[string]any)
	if in["glob"] != "*.txt" || in["id_field"] != "id" || idf["table"] != "builtin" || idf["docs"] != 31525.0 {
		t.Errorf("summary parameters: input %v, idf %v", in, idf)
	}
	// It holds the counts --verbose prints: the seeds' one event edge.
	if st, _ := s["stages"].(map[string]any); st["event_edges"] != 1.0 || st["event_pairs_tested"] == nil || st["components_split_at_weak_links"] != 0.0 {
		t.Errorf("summary stages: %v", s["stages"])
	}
	code, out, _ = runCmd(t, "", "cluster", "-q", "--out-format", "jsonl", "testdata/seeds")
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.Contains(out, `"cluster_size":2`) {
		t.Errorf("jsonl report: %s", out)
	}
	if code, _, _ := runCmd(t, "", "cluster", "--bom", "--out-format", "jsonl", "testdata/seeds"); code != 1 {
		t.Errorf("--bom with jsonl: exit %d", code)
	}
}

// TestPipe runs the built binary as a pipeline step:
// gzip -dc crawl.jsonl.gz | neardup dedup - | gzip > clean.jsonl.gz.
func TestPipe(t *testing.T) {
	dir := t.TempDir()
	bin := binary(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(copiesJSONL))
	zw.Close()
	crawl := filepath.Join(dir, "crawl.jsonl.gz")
	os.WriteFile(crawl, gz.Bytes(), 0o644)
	clean := filepath.Join(dir, "clean.jsonl.gz")
	cmd := exec.Command("sh", "-c", "set -e; gzip -dc "+crawl+" | "+bin+" dedup -q - | gzip > "+clean)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pipe: %v\n%s", err, out)
	}
	f, _ := os.Open(clean)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.ReadFrom(zr)
	lines := strings.Split(copiesJSONL, "\n")
	if want := lines[1] + "\n" + lines[3] + "\n"; got.String() != want {
		t.Errorf("clean.jsonl.gz:\n%s\nwant:\n%s", got.String(), want)
	}
}

var built struct {
	once sync.Once
	path string
	err  error
}

// binary builds the command once for the tests that run it as a process.
func binary(t *testing.T) string {
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "neardup-test-*")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "neardup")
		if out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}

// TestInterruptLeavesNoFile stops a run with SIGINT while it reads and
// checks that neither the report nor its temporary file remains.
func TestInterruptLeavesNoFile(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		cmd := exec.Command(bin, "cluster", "-o", filepath.Join(dir, "report.csv"), "-")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stdin.Write([]byte(copiesJSONL)) // and keep standard input open: the run waits
		// The temporary file appears when the output is opened.
		for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
			if ents, _ := os.ReadDir(dir); len(ents) > 0 {
				break
			}
			if time.Since(start) > 30*time.Second {
				t.Fatal("no temporary file after 30 s")
			}
		}
		cmd.Process.Signal(sig)
		err = cmd.Wait()
		stdin.Close()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
			t.Errorf("%v: exit %v, want 130", sig, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) > 0 {
			t.Errorf("%v: left %v", sig, ents[0].Name())
		}
	}
	// Writing to standard output, an interrupted run exits 130 too.
	cmd := exec.Command(bin, "cluster", "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// More than a pipe holds: once written, the command is reading, and
	// its handler, installed before, is in place.
	var many strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&many, `{"id":"d%d","text":"نص رقم %d من نصوص التجربة الكثيرة"}`+"\n", i, i)
	}
	stdin.Write([]byte(many.String()))
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	stdin.Close()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("SIGTERM, writing to standard output: exit %v, want 130", err)
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, false, true)
	p.update("read", 512)
	p.update("read", 1024) // within 200 ms: not drawn
	p.update("clustering", 1024)
	p.done()
	want := "neardup: read (512 documents, "
	if !strings.HasPrefix(buf.String(), want) || strings.Count(buf.String(), "\n") != 2 || !strings.Contains(buf.String(), "neardup: clustering (1024 documents") {
		t.Errorf("verbose progress: %q", buf.String())
	}
	buf.Reset()
	p = newProgress(&buf, false, false)
	p.tty = true // as if standard error were a terminal
	p.update("read", 512)
	p.done()
	if !strings.HasPrefix(buf.String(), "\r\033[Kneardup: read: 512 documents, ") || !strings.HasSuffix(buf.String(), "\r\033[K") {
		t.Errorf("terminal progress: %q", buf.String())
	}
}

// TestDedupRefusesMixedInputs: inputs that cannot be written back together
// are refused as they are read, with the place and exit 1, before any
// output reaches standard output.
func TestDedupRefusesMixedInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	j := write("a.jsonl", `{"id":"j","text":"نص اول"}`+"\n")
	c1 := write("c1.csv", "id,text\nc1,نص ثان\n")
	c2 := write("c2.csv", "id,body,text\nc2,x,نص ثالث\n")
	type annotated struct {
		ID         string `parquet:"id"`
		Text       string `parquet:"text"`
		ReplacedBy string `parquet:"replaced_by"`
	}
	pq := filepath.Join(dir, "a.parquet")
	if err := parquet.WriteFile(pq, []annotated{{"p", "نص", ""}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{j, c1}, c1 + ":2: a csv record among jsonl records"},
		{[]string{c1, c2}, c2 + ":2: its header differs from the first file's"},
		{[]string{fifo(t, dir)}, "is not a regular file, and dedup reads its inputs twice"},
		{[]string{"-o", filepath.Join(dir, "k.parquet"), "--removed", filepath.Join(dir, "r.parquet"), pq}, `the schema already has a column "replaced_by"`},
	} {
		code, out, errOut := runCmd(t, "", append([]string{"dedup", "-q"}, tt.args...)...)
		if code != 1 || out != "" || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%q: exit %d, output %q, stderr %q; want exit 1, no output, %q", tt.args, code, out, errOut, tt.msg)
		}
	}
}

// fifo returns the path of a new named pipe in dir (nobody writes to it:
// reading it would block).
func fifo(t *testing.T, dir string) string {
	p := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return p
}
