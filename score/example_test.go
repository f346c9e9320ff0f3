package score_test

import (
	"fmt"
	"strings"

	"github.com/neardup/neardup/score"
)

// Three reports: a and b copies of one text, c another report of their
// event. The labels call a–b a copy and a–c the same event, rightly, and
// b–c unrelated, which the report gets wrong at the event level.
func ExampleScorePairs() {
	report := "doc_id,cluster_id,dup_group_id\na,a,a\nb,a,a\nc,a,c\n"
	labels := `{"a": "a", "b": "b", "label": "copy"}
{"a": "a", "b": "c", "label": "same_event"}
{"a": "b", "b": "c", "label": "unrelated"}
`
	a, err := score.ReadReport(strings.NewReader(report), "report.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	pairs, err := score.ReadPairs(strings.NewReader(labels), "labels.jsonl")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := score.ScorePairs(pairs, a)
	fmt.Printf("copy:  P %.2f R %.2f F1 %.2f\n", s.Copy.Precision, s.Copy.Recall, s.Copy.F1)
	fmt.Printf("event: P %.2f R %.2f F1 %.2f\n", s.Event.Precision, s.Event.Recall, s.Event.F1)
	// Output:
	// copy:  P 1.00 R 1.00 F1 1.00
	// event: P 0.67 R 1.00 F1 0.80
}
