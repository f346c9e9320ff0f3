package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/cluster"
	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/shingle"
	"github.com/neardup/neardup/tfidf"
)

func runExplain(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("explain", stdout, "neardup explain 000_d85516be251f1ff5.txt 002_df28b0ff4a327f64.txt testdata/seeds")
	pf := addPipelineFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 3 {
		return usageError{fmt.Errorf("want two document ids, then the inputs (explain A B PATH)")}
	}
	a, b := fs.Arg(0), fs.Arg(1)
	cfg, opt, err := pf.config(stdin)
	if err != nil {
		return err
	}
	cfg.Explain = []string{a, b}
	res, err := pf.run(fs.Args()[2:], cfg, opt)
	if err != nil {
		return err
	}
	// What was odd in the input bears on the evidence: a record skipped,
	// a text cut or with invalid UTF-8 replaced.
	printNotices(stderr, res.Stats)
	pf.timeNotice(stderr, res.Stats)
	var da, db *neardup.Detail
	for i := range res.Explained {
		// Not a switch: a document may be explained against itself.
		if id := res.Explained[i].Row.ID; id == a {
			da = &res.Explained[i]
		}
		if id := res.Explained[i].Row.ID; id == b {
			db = &res.Explained[i]
		}
	}
	for _, x := range []struct {
		id string
		d  *neardup.Detail
	}{{a, da}, {b, db}} {
		if x.d == nil {
			return inputError{fmt.Errorf("no document %q in the inputs", x.id)}
		}
	}
	explain(stdout, cfg, da, db, res.Why, res.CopyWhy)
	return nil
}

// notCopies says in words the rule, named by why, that put a and b in
// different groups.
func notCopies(cfg neardup.Config, a, b *neardup.Detail, why cluster.CopyStep) string {
	top := func(d *neardup.Detail) string {
		var names []string
		for _, t := range d.Vec.Heaviest(cluster.TopTerms) {
			names = append(names, d.Terms[t])
		}
		return strings.Join(names, ", ")
	}
	switch why {
	case cluster.CopyText:
		return fmt.Sprintf("their texts differ (estimated Jaccard below %.2f, neither contained %.2f in the other)", cfg.Threshold, cfg.Containment)
	case cluster.CopyTemplate:
		return fmt.Sprintf("they share text, but in their family of %d or more look-alikes neither holds the other's %d heaviest terms (%s; %s): a template filled in with other names",
			cluster.MinFamily, cluster.TopTerms, top(a), top(b))
	case cluster.CopySubject:
		if a.Family >= 0 && a.Family == b.Family {
			return fmt.Sprintf("they share text, but in their family of %d or more look-alikes their cosine weighed by what varies among its members is below %.2f",
				cluster.MinFamily, cfg.CopyCosine)
		}
		return fmt.Sprintf("they share text but not their subject (cosine below %.2f): boilerplate, or a template filled in with other names", cfg.CopyCosine)
	case cluster.CopyUnlinked:
		return "as a pair they pass the copy tests, but they were never paired as candidates (they share no LSH band, or only buckets over --max-bucket, whose documents are paired with their successor only), nor were texts between them"
	case cluster.CopyRepresentative:
		return "as a pair they pass the copy tests, but they ended under different representatives (taken longest first, each document joins the representative before it that it is a copy of and shares most text with, or starts a group)"
	}
	return string(why)
}

// explain prints the evidence on two documents and the decisions taken;
// why and copyWhy tell why they are in different clusters and groups, if
// they are.
func explain(w io.Writer, cfg neardup.Config, a, b *neardup.Detail, why *neardup.Separation, copyWhy cluster.CopyStep) {
	setOf := func(d *neardup.Detail) map[uint64]bool {
		m := make(map[uint64]bool)
		for _, h := range shingle.Append(nil, d.Normalized, cfg.Shingle) {
			m[h] = true
		}
		return m
	}
	sa, sb := setOf(a), setOf(b)
	inter := 0
	for h := range sa {
		if sb[h] {
			inter++
		}
	}
	ratio := func(x, y int) float64 {
		if y == 0 {
			return 0
		}
		return float64(x) / float64(y)
	}
	for _, x := range []struct {
		d   *neardup.Detail
		set map[uint64]bool
	}{{a, sa}, {b, sb}} {
		d, published := x.d, ""
		if !d.Time.IsZero() {
			published = ", published " + d.Time.UTC().Format(timeLayout)
		}
		fmt.Fprintf(w, "%s (%s): %d characters, %d distinct shingles, %d terms%s; %s\n",
			d.Row.ID, d.Row.Place, d.Row.Chars, len(x.set), len(d.Vec.Terms), published, d.Row.Title)
	}
	exact := ratio(inter, len(sa)+len(sb)-inter)
	est := minhash.Similarity(a.Sig, b.Sig)
	cos := tfidf.Cosine(a.Vec, b.Vec)
	fmt.Fprintf(w, "\nJaccard of shingles: exact %.3f, estimated %.3f (copies at %.2f)\n", exact, est, cfg.Threshold)
	fmt.Fprintf(w, "containment: %.3f of A's shingles are in B, %.3f of B's in A (copies at %.2f with cosine %.2f)\n",
		ratio(inter, len(sa)), ratio(inter, len(sb)), cfg.Containment, cfg.CopyCosine)
	fmt.Fprintf(w, "TF-IDF cosine: %.3f\n", cos)
	if a.Family >= 0 && a.Family == b.Family {
		fmt.Fprintf(w, "one family of look-alikes: the event level weighs their cosine by what varies among its members, not as below\n")
	}
	switch n := a.Passages.Shared(b.Passages); {
	case cfg.MinPassage == 0:
		fmt.Fprintf(w, "event cosine: %.3f, the texts compared whole (--min-passage 0) (one event at %.2f)\n", cos, cfg.MinCosine)
	case n > 0:
		fmt.Fprintf(w, "event cosine, over what each says outside the lines they share verbatim (%d of %d code points or more): %.3f (one event at %.2f)\n",
			n, cfg.MinPassage, tfidf.OwnCosine(a.Vec, a.Passages, b.Vec, b.Passages), cfg.MinCosine)
	default:
		fmt.Fprintf(w, "event cosine: %.3f, no line of %d code points or more shared verbatim (one event at %.2f)\n", cos, cfg.MinPassage, cfg.MinCosine)
	}

	type shared struct {
		term string
		w    float64
	}
	var top []shared
	for i, t := range a.Vec.Terms {
		if j, ok := slices.BinarySearch(b.Vec.Terms, t); ok {
			top = append(top, shared{a.Terms[t], a.Vec.Weight(i) * b.Vec.Weight(j)})
		}
	}
	slices.SortFunc(top, func(x, y shared) int {
		if c := cmp.Compare(y.w, x.w); c != 0 {
			return c
		}
		return cmp.Compare(x.term, y.term)
	})
	var terms []string
	for _, s := range top[:min(len(top), 12)] {
		terms = append(terms, fmt.Sprintf("%s %.3f", s.term, s.w))
	}
	fmt.Fprintf(w, "top shared terms (their parts of the cosine, which they sum to with the rest): %s\n", strings.Join(terms, ", "))

	copyP, _ := cfg.CopyParams()
	yes := map[bool]string{true: "yes", false: "no"}
	fmt.Fprintf(w, "LSH candidates: for copies (%v) %s, for events (%v) %s\n",
		copyP, yes[minhash.SharesBand(copyP, a.Sig, b.Sig)], cfg.EventParams(), yes[minhash.SharesBand(cfg.EventParams(), a.EventSig, b.EventSig)])

	ra, rb := a.Row, b.Row
	fmt.Fprintln(w)
	switch {
	case ra.GroupID == rb.GroupID:
		fmt.Fprintf(w, "copy level: one group, %s (%d documents): each is a copy of the group's representative (Jaccard ≥ %.2f or contained ≥ %.2f, and cosine ≥ %.2f; in a family of look-alike texts, the cosine weighed within it and the heaviest terms held)\n",
			ra.GroupID, ra.GroupSize, cfg.Threshold, cfg.Containment, cfg.CopyCosine)
	default:
		fmt.Fprintf(w, "copy level: different groups, %s and %s: %s\n", ra.GroupID, rb.GroupID, notCopies(cfg, a, b, copyWhy))
	}
	switch {
	case ra.ClusterID == rb.ClusterID:
		fmt.Fprintf(w, "event level: one cluster, %s (%d documents); cosine to its representative %.3f and %.3f\n",
			ra.ClusterID, ra.ClusterSize, ra.Cosine, rb.Cosine)
	default:
		fmt.Fprintf(w, "event level: different clusters, %s and %s: %s\n", ra.ClusterID, rb.ClusterID, separated(cfg, why))
	}
}

// timeLayout is how explain writes a time.
const timeLayout = "2006-01-02 15:04 UTC"

// separated says why two groups' documents are in different clusters.
func separated(cfg neardup.Config, why *neardup.Separation) string {
	if why == nil { // no event level (dedup's copies only)
		return "their groups are apart"
	}
	far := ""
	if why.TooFar {
		d := why.Dated
		far = fmt.Sprintf("their groups were first published more than %g days apart (--window-days; a group is dated by its earliest member: %s's on %s, %s's on %s), so their event cosine counts as 0; ",
			cfg.Window.Hours()/24, d[0].ID, d[0].First.Format(timeLayout), d[1].ID, d[1].First.Format(timeLayout))
	}
	return far + separationStep(cfg, why)
}

// separationStep says which step of event clustering parted two groups.
func separationStep(cfg neardup.Config, why *neardup.Separation) string {
	var s string
	switch why.Step {
	case cluster.StepComponent:
		return fmt.Sprintf("no chain of event edges joins their groups (each edge: a candidate pair of representatives with cosine ≥ %.2f)", cfg.MinCosine)
	case cluster.StepSplit:
		s = fmt.Sprintf("their component was too large to refine whole, and was split at its weakest links: with links of cosine ≥ %.2f only, they fall in different pieces", why.Bar)
	case cluster.StepBridge:
		s = "the one link between their two parts of the component (a bridge, two groups or more on each side) was cut"
	case cluster.StepApart:
		s = fmt.Sprintf("in what was left to cluster again, no chain of links with cosine ≥ %.2f joins them", cfg.MinCosine)
	case cluster.StepPrune:
		s = fmt.Sprintf("the group of %s left the cluster: its mean cosine to the others, %.3f, is below %.2f", why.LeftID, why.Mean, cfg.MinCosine)
	case cluster.StepAlone:
		s = fmt.Sprintf("in their part of the component no group had a mean cosine to the others of %.2f: each was left alone", cfg.MinCosine)
	default:
		s = string(why.Step)
	}
	return s + fmt.Sprintf(" (a component of %d groups; the event cosine of their representatives %.3f, weighed within their family of look-alikes if they are in one)", why.Units, why.Cosine)
}
