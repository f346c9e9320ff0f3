package neardup

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
)

// titleRef is the definition titleOf implements without reading past what
// it keeps: the fields of the first line joined by one space, cut to 80
// code points and "…".
func titleRef(d *corpus.Document) string {
	t := strings.Join(strings.Fields(titleSource(d)), " ")
	if utf8.RuneCountInString(t) > 80 {
		t = string([]rune(t)[:80]) + "…"
	}
	return t
}

func TestTitleOf(t *testing.T) {
	word := strings.Repeat("ب", 9) // nine letters and a space: ten code points
	tests := []corpus.Document{
		{Title: "  عنوان   الخبر \t هنا  ", Text: "نص"},
		{Text: "\n\n  السطر الأول\nالسطر الثاني"},
		{Text: strings.Repeat(word+" ", 100)},              // no newline: the whole text is the first line
		{Text: strings.Repeat(word+" ", 8)},                // 80 code points with the last space: no cut
		{Text: strings.Repeat(word+" ", 7) + word + "x y"}, // a letter past 80
		{Text: strings.Repeat(word+"  ", 7) + word + " y"}, // the 81st is a space, then a word
		{Text: strings.Repeat("ا", 79) + "   z"},           // a space at the 80th
		{Title: " ", Text: ""},
	}
	for _, d := range tests {
		if got, want := titleOf(&d), titleRef(&d); got != want {
			t.Errorf("titleOf(%q, %q) = %q, want %q", d.Title, d.Text, got, want)
		}
	}
}
