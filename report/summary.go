package report

import (
	"encoding/json"
	"io"

	"github.com/neardup/neardup"
)

// A Summary describes a run: enough to reproduce it and to check what it
// did. It is written as JSON by --summary.
type Summary struct {
	Version   string   `json:"version"`
	Command   []string `json:"command"`
	Documents int      `json:"documents"`
	// Clusters and InClusters are nil for a run of copies only
	// (Config.CopiesOnly), which finds no clusters.
	Clusters      *int              `json:"clusters,omitempty"`
	Groups        int               `json:"near_duplicate_groups"`
	InClusters    *int              `json:"documents_in_clusters_of_2_or_more,omitempty"`
	Copies        int               `json:"copies"`
	Kept          *int              `json:"kept,omitempty"`
	Removed       *int              `json:"removed,omitempty"`
	Empty         int               `json:"empty_documents"`
	Invalid       int               `json:"invalid_utf8_sequences"`
	Generated     int               `json:"generated_ids"`
	Renamed       int               `json:"renamed_duplicate_ids"`
	Skipped       []neardup.Skipped `json:"skipped"`
	InvalidDocs   neardup.Places    `json:"documents_with_invalid_utf8"`
	GeneratedDocs neardup.Places    `json:"documents_with_generated_ids"`
	Truncated     neardup.Places    `json:"documents_cut_to_max_doc_bytes"`
	Dated         int               `json:"documents_with_time"`
	BadTimes      neardup.Places    `json:"documents_with_unreadable_time"`
	Parameters    map[string]any    `json:"parameters"`
	Stages        map[string]any    `json:"stages"` // the counts --verbose prints
	Seconds       map[string]any    `json:"seconds"`
}

// NewSummary fills a summary from a run's configuration and statistics.
func NewSummary(version string, args []string, cfg neardup.Config, st neardup.Stats) *Summary {
	copyP, _ := cfg.CopyParams()
	n := cfg.Normalize
	var clusters, inClusters *int
	if !cfg.CopiesOnly {
		clusters, inClusters = &st.Clusters, &st.InClusters
	}
	return &Summary{
		Version:     version,
		Command:     args,
		Documents:   st.Docs,
		Clusters:    clusters,
		Groups:      st.Groups,
		InClusters:  inClusters,
		Copies:      st.Duplicates,
		Empty:       st.Empty,
		Invalid:     st.InvalidUTF8,
		Generated:   st.GeneratedID,
		Renamed:     st.RenamedIDs,
		Skipped:     append([]neardup.Skipped{}, st.Skipped...),
		InvalidDocs: st.InvalidDocs, GeneratedDocs: st.GeneratedDocs, Truncated: st.Truncated,
		Dated: st.Dated, BadTimes: st.BadTimes,
		Parameters: map[string]any{
			"shingle": cfg.Shingle, "num_perm": cfg.NumPerm, "seed": cfg.Seed, "scheme": cfg.Scheme.String(),
			"threshold": cfg.Threshold, "containment": cfg.Containment, "copy_cosine": cfg.CopyCosine,
			"bands": copyP.Bands, "rows": copyP.Rows, "events": !cfg.CopiesOnly, "min_cosine": cfg.MinCosine,
			"window_days": cfg.Window.Hours() / 24, "min_passage": cfg.MinPassage,
			"event_terms": cfg.EventTerms, "event_threshold": cfg.EventThreshold, "event_bands": cfg.EventParams().Bands,
			"event_rows": cfg.EventParams().Rows, "max_bucket": cfg.MaxBucket, "keep": cfg.Keep.String(),
			"workers": st.Workers, "max_doc_bytes": cfg.MaxDocBytes, "strict": cfg.Strict, "skip_bad": cfg.SkipBad, "dedupe_ids": cfg.DedupeIDs,
			"normalization": map[string]any{
				"zwnj_space": n.ZWNJSpace, "persian": n.Persian, "teh_marbuta": n.TehMarbuta, "hamza": n.Hamza.String(),
				"digits": n.Digits, "lower": n.Lower, "punct": n.Punct.String(),
			},
		},
		Stages: stages(cfg, st),
		Seconds: map[string]any{
			"read_and_sign": st.Read.Seconds(), "candidates": st.Candidates.Seconds(),
			"clustering": st.Clustering.Seconds(), "total": st.Elapsed.Seconds(),
		},
	}
}

// WriteSummary writes s as indented JSON.
func WriteSummary(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// stages returns the counts --verbose prints; a run of copies only has no
// event clustering to count.
func stages(cfg neardup.Config, st neardup.Stats) map[string]any {
	m := map[string]any{
		"copy_pairs_tested": st.Copy.Tested, "copy_pairs_kept": st.CopyPairs,
		"event_pairs_tested": st.Event.Tested, "event_pairs_kept": st.EventPairs,
		"copy_buckets_over_max": st.Copy.CappedBuckets, "event_buckets_over_max": st.Event.CappedBuckets,
		"largest_copy_bucket": st.Copy.LargestBucket, "largest_event_bucket": st.Event.LargestBucket,
		"copy_edges": st.Cluster.CopyEdges, "families": st.Cluster.Families,
	}
	if !cfg.CopiesOnly {
		m["event_edges"], m["weak_links_cut"] = st.Cluster.EventEdges, st.Cluster.Cut
		m["groups_pruned"], m["components_split_at_weak_links"] = st.Cluster.Pruned, st.Cluster.Split
	}
	return m
}
