package cluster_test

import (
	"fmt"

	"github.com/neardup/neardup/cluster"
	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/shingle"
	"github.com/neardup/neardup/tfidf"
)

// Build places every document in a near-duplicate group nested in an event
// cluster: here two copies of a report, another report of the same event,
// and a report of another.
func ExampleBuild() {
	texts := []string{
		"اعلنت وزاره الصحه افتتاح مستشفي جديد في العاصمه يضم مئتي سرير واقساما للطوارئ",
		"عاجل اعلنت وزاره الصحه افتتاح مستشفي جديد في العاصمه يضم مئتي سرير واقساما للطوارئ",
		"افتتح وزير الصحه مستشفي العاصمه الجديد وفيه مئتا سرير وقسم للطوارئ",
		"فاز المنتخب الوطني بكاس البطوله بعد مباراه مثيره انتهت بركلات الترجيح",
	}
	s := minhash.NewSigner(128, 1)
	var distinct shingle.Set
	var docs []cluster.Doc
	for i, t := range texts {
		set := distinct.Distinct(shingle.Append(nil, t, 5))
		docs = append(docs, cluster.Doc{
			ID:   fmt.Sprint("doc", i),
			Size: len([]rune(t)),
			Sig:  minhash.Trim16(nil, s.Sign(nil, set)),
			Set:  len(set),
			Vec:  tfidf.Builtin().Vector(tfidf.NewBag(t)),
		})
	}
	// Every pair is a candidate here; a corpus takes them from LSH.
	var pairs []uint64
	for a := range docs {
		for b := a + 1; b < len(docs); b++ {
			pairs = append(pairs, uint64(a)<<32|uint64(b))
		}
	}
	opt := cluster.Options{Threshold: 0.6, Containment: 0.8, CopyCosine: 0.5, MinCosine: 0.3}
	r := cluster.Build(docs, nil, pairs, opt)
	for i, a := range r.Assign {
		fmt.Printf("%s: cluster %s, group %s\n", docs[i].ID, docs[a.Cluster].ID, docs[a.Group].ID)
	}
	// Output:
	// doc0: cluster doc1, group doc1
	// doc1: cluster doc1, group doc1
	// doc2: cluster doc1, group doc2
	// doc3: cluster doc3, group doc3
}
