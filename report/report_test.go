package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"testing"

	"github.com/neardup/neardup"
)

func TestWriteCSVReadsBack(t *testing.T) {
	rows := []neardup.Row{
		{ID: "a,1", ClusterID: "a,1", ClusterSize: 2, GroupID: "a,1", GroupSize: 1, Keep: true, Jaccard: 1, Cosine: 1, Chars: 10, Place: "x.jsonl:1", Title: "عنوان \"مقتبس\""},
		{ID: "b\nc", ClusterID: "a,1", ClusterSize: 2, GroupID: "b\nc", GroupSize: 1, Keep: true, Jaccard: 1, Cosine: 0.12345, Chars: 0, Place: "x.jsonl:2"},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		Header,
		{"a,1", "a,1", "2", "a,1", "1", "true", "1.000", "1.000", "10", "x.jsonl:1", "عنوان \"مقتبس\""},
		{"b\nc", "a,1", "2", "b\nc", "1", "true", "1.000", "0.123", "0", "x.jsonl:2", ""},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("read back %q, want %q", recs, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCSVReportsWriteErrors(t *testing.T) {
	rows := make([]neardup.Row, 10000)
	if err := WriteCSV(failWriter{}, rows); err == nil {
		t.Error("no error from a failing writer")
	}
}

func FuzzWriteCSV(f *testing.F) {
	f.Add("a", "عنوان", 0.5)
	f.Add("\"x\"\r\n", ",", 1.0)
	f.Fuzz(func(t *testing.T, id, title string, cos float64) {
		rows := []neardup.Row{{ID: id, ClusterID: id, GroupID: id, Title: title, Cosine: cos}}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, rows); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("written CSV does not read back: %v", err)
		}
		// encoding/csv reads \r\n inside a quoted field back as \n.
		norm := func(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte("\r\n"), []byte("\n"))) }
		if len(recs) != 2 || recs[1][0] != norm(id) || recs[1][10] != norm(title) {
			t.Fatalf("round trip: %q", recs)
		}
	})
}

func TestWriteFormats(t *testing.T) {
	rows := []neardup.Row{{ID: "a", ClusterID: "a", ClusterSize: 1, GroupID: "a", GroupSize: 1, Keep: true, Jaccard: 1, Cosine: 0.5, Chars: 3, Place: "f:1", Title: "عنوان \"x\""}}
	tests := []struct {
		format string
		bom    bool
		want   string
	}{
		{TSV, false, "doc_id\tcluster_id\tcluster_size\tdup_group_id\tdup_group_size\tkeep\tjaccard_to_group_rep\tcosine_to_cluster_rep\tchars\tsource\ttitle\na\ta\t1\ta\t1\ttrue\t1.000\t0.500\t3\tf:1\t\"عنوان \"\"x\"\"\"\n"},
		{JSONL, false, `{"doc_id":"a","cluster_id":"a","cluster_size":1,"dup_group_id":"a","dup_group_size":1,"keep":true,"jaccard_to_group_rep":1.000,"cosine_to_cluster_rep":0.500,"chars":3,"source":"f:1","title":"عنوان \"x\""}` + "\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := Write(&buf, rows, tt.format, tt.bom); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.format, buf.String(), tt.want)
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, rows, CSV, true); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbfdoc_id,")) {
		t.Errorf("BOM: %q %v", buf.String()[:10], err)
	}
	if err := Write(&buf, rows, JSONL, true); err == nil {
		t.Error("BOM with JSON Lines accepted")
	}
	if err := Write(&buf, rows, "xml", false); err == nil {
		t.Error("unknown format accepted")
	}
}
