package neardup_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/corpus"
)

// A hostile corpus, built to break clustering:
//   - 1,000 congratulation cables: one template, other names and countries;
//   - a boilerplate footer on every document;
//   - a page carrying a teaser paragraph of another story;
//   - one document that is ten others concatenated;
//   - two edited copies of a seed article, and the seeds themselves.
//
// The expected outcome is written by hand below.
func TestHostileCorpus(t *testing.T) {
	const footer = "\n\nجميع الحقوق محفوظة لوكالة الأنباء 2024. تابعونا على وسائل التواصل الاجتماعي واشتركوا في النشرة البريدية."
	docs := map[string]string{}
	var order []string
	add := func(id, text string) {
		docs[id] = text + footer
		order = append(order, id)
	}
	seed := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata/seeds", name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	first := []string{"أحمد", "محمد", "علي", "حسن", "خالد", "يوسف", "إبراهيم", "عمر", "سعيد", "منصور", "فيصل", "ناصر", "سالم", "راشد", "طارق", "كريم", "جمال", "ماجد", "وليد", "هشام", "بشير", "عادل", "نبيل", "رياض", "زياد"}
	family := []string{"الحسيني", "العلوي", "الكبير", "النجار", "الخطيب", "الشامي", "البدوي", "المصري", "الحداد", "الصباغ", "العطار", "الدباغ", "القاسمي", "الهاشمي", "الزين", "الفارس", "السالم", "المنصور", "الراشد", "الطاهر", "الصالح", "الأمين", "الحكيم", "الرفاعي", "الكردي", "التميمي", "الشريف", "العمري", "الجابري", "الحربي", "الغامدي", "القحطاني", "الزهراني", "الشهري", "العتيبي", "المطيري", "الدوسري", "السبيعي", "البلوي", "الجهني"}
	countries := []string{"غانا", "كينيا", "بيرو", "تشيلي", "فنلندا", "النرويج", "إستونيا", "ليتوانيا", "لاتفيا", "مالطا", "قبرص", "أيسلندا", "البرتغال", "المجر", "بولندا", "رومانيا", "بلغاريا", "كرواتيا", "سلوفينيا", "سلوفاكيا", "التشيك", "النمسا", "سويسرا", "بلجيكا", "هولندا", "الدنمارك", "السويد", "إيرلندا", "اليونان", "ألبانيا", "جورجيا", "أرمينيا", "منغوليا", "فيتنام", "تايلاند", "ماليزيا", "إندونيسيا", "الفلبين", "نيبال", "سريلانكا"}
	occasions := []string{"ذكرى يوم الاستقلال", "العيد الوطني", "ذكرى يوم الجمهورية", "ذكرى توليه مقاليد الحكم", "ذكرى يوم الوحدة"}
	type recipient struct{ first, family, country string }
	cables := map[string]recipient{}
	for i := range 1000 {
		to := recipient{first[i%len(first)], family[i/len(first)%len(family)], countries[(i*7)%len(countries)]}
		name, country := to.first+" "+to.family, to.country
		cables[fmt.Sprintf("cable-%04d", i)] = to
		add(fmt.Sprintf("cable-%04d", i), fmt.Sprintf(
			"بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة الرئيس %s رئيس جمهورية %s بمناسبة %s لبلاده. "+
				"وأعرب الملك في البرقية عن أطيب التهاني وأصدق التمنيات بالصحة والسعادة لفخامته ولحكومة وشعب %s الصديق اطراد التقدم والازدهار. "+
				"كما بعث صاحب السمو الملكي ولي العهد برقية تهنئة مماثلة للرئيس %s.",
			name, country, occasions[i%len(occasions)], country, name))
	}
	for _, s := range []string{"000_d85516be251f1ff5.txt", "001_07e1d37294a969bb.txt", "002_df28b0ff4a327f64.txt", "003_2d4469413d9eec7e.txt", "004_1ac7d227b2dc0de5.txt"} {
		add(s[:3], seed(s))
	}
	// Two republications of 000: another headline; a paragraph dropped.
	paras := strings.Split(seed("000_d85516be251f1ff5.txt"), "\n\n")
	add("000-copy-headline", "عاجل | الصين وروسيا تتفقان على تعميق التعاون\n\n"+strings.Join(paras[1:], "\n\n"))
	add("000-copy-short", strings.Join(append(paras[:3:3], paras[4:]...), "\n\n"))
	// A page of 001 that ends with a teaser: the first paragraph of 003.
	teaser := strings.Split(seed("003_2d4469413d9eec7e.txt"), "\n\n")
	add("001-with-teaser", seed("001_07e1d37294a969bb.txt")+"\n\nاقرأ أيضا: "+teaser[0]+" "+teaser[2])
	// Ten unrelated articles, and one page that holds all ten.
	f, err := os.Open("testdata/ant-sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ten []string
	var all []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec struct{ ID, Text string }
		json.Unmarshal(sc.Bytes(), &rec)
		add(rec.ID, rec.Text)
		ten = append(ten, rec.ID)
		all = append(all, rec.Text)
	}
	add("ten-concatenated", strings.Join(all, "\n\n"))

	var in strings.Builder
	enc := json.NewEncoder(&in)
	for _, id := range order {
		enc.Encode(map[string]string{"id": id, "text": docs[id]})
	}
	res, err := neardup.Run(corpus.NewReader([]string{"-"}, corpus.Options{Stdin: strings.NewReader(in.String())}), neardup.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]neardup.Row{}
	clusterSize := map[string]int{}
	for _, r := range res.Rows {
		row[r.ID] = r
		clusterSize[r.ClusterID]++
	}
	if len(row) != len(order) {
		t.Fatalf("%d rows for %d documents", len(row), len(order))
	}
	sameGroup := func(a, b string) bool { return row[a].GroupID == row[b].GroupID }
	sameCluster := func(a, b string) bool { return row[a].ClusterID == row[b].ClusterID }

	// The cables are a family of look-alikes: a copy must hold the three
	// heaviest terms of the text it copies (its recipient's names and
	// country), and their cosine is weighed by what varies in the family.
	// Expected: two cables are one group only if they go to one country
	// and share a term of the recipient's name (محمد الكبير and محمد
	// النجار: the other part, a common word, weighs too little to tell
	// them apart — the known limit), or one name has no term of its own;
	// no group holds more than 5 cables (143 did before the family rules);
	// no cluster more than 50 (all 1,000 were one).
	// What the clustering sees of a name: its terms (normalized, light
	// stems, no stop words) that are not terms of the template. علي is a
	// stop word (على), الشريف a word of the template (الشريفين), العمري
	// and عمر one stem.
	norm := arabic.NewNormalizer(arabic.DefaultOptions())
	termsOf := func(s string) map[string]bool {
		m := map[string]bool{}
		arabic.Terms(string(norm.Append(nil, s)), func(t string) { m[t] = true })
		return m
	}
	template := termsOf(docs["cable-0000"])
	nameTerms := func(r recipient) map[string]bool {
		m := termsOf(r.first + " " + r.family)
		for t := range m {
			if template[t] {
				delete(m, t)
			}
		}
		return m
	}
	shares := func(a, b recipient) bool {
		ta, tb := nameTerms(a), nameTerms(b)
		if len(ta) == 0 || len(tb) == 0 {
			return true // nothing tells this name apart
		}
		for t := range ta {
			if tb[t] {
				return true
			}
		}
		return false
	}
	groupSize := map[string]int{}
	for id, to := range cables {
		r := row[id]
		groupSize[r.GroupID]++
		if rep := cables[r.GroupID]; rep.country != to.country || !shares(rep, to) {
			t.Errorf("%s (%v) is a copy of %s (%v)", id, to, r.GroupID, rep)
		}
		if r.ClusterSize > 50 {
			t.Errorf("cable %s is in a cluster of %d", id, r.ClusterSize)
		}
	}
	for g, n := range groupSize {
		if n > 5 {
			t.Errorf("cable group %s holds %d cables", g, n)
		}
	}
	for id, r := range row {
		if !strings.HasPrefix(id, "cable-") && strings.HasPrefix(r.ClusterID, "cable-") {
			t.Errorf("%s is clustered with the cables", id)
		}
	}
	// The footer makes nothing a copy; real copies stay copies.
	if !sameGroup("000", "000-copy-headline") || !sameGroup("000", "000-copy-short") {
		t.Errorf("the copies of 000 are in groups %s, %s, %s", row["000"].GroupID, row["000-copy-headline"].GroupID, row["000-copy-short"].GroupID)
	}
	if !sameCluster("000", "002") {
		t.Errorf("000 and 002 (Mishustin's visit) are not one cluster: %+v %+v", row["000"], row["002"])
	}
	for _, pair := range [][2]string{{"000", "003"}, {"001", "003"}, {"002", "003"}, {"000", "004"}} {
		if sameCluster(pair[0], pair[1]) {
			t.Errorf("%s and %s are one cluster", pair[0], pair[1])
		}
	}
	// The teaser page goes with its main story, not with the teased one.
	if !sameGroup("001-with-teaser", "001") {
		t.Errorf("the teaser page is in group %s, not with 001", row["001-with-teaser"].GroupID)
	}
	if sameCluster("001-with-teaser", "003") {
		t.Error("the teaser page is clustered with the story it teases")
	}
	// The concatenation is no copy of its parts, and does not glue them.
	for _, id := range ten {
		if sameGroup("ten-concatenated", id) {
			t.Errorf("the concatenation is grouped with %s", id)
		}
	}
	glued := 0
	for i, a := range ten {
		for _, b := range ten[i+1:] {
			if sameCluster(a, b) {
				glued++
			}
		}
	}
	if glued > 0 {
		t.Errorf("%d pairs of the ten unrelated articles share a cluster", glued)
	}
}
