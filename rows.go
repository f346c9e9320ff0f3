package neardup

import (
	"cmp"
	"slices"

	"github.com/neardup/neardup/cluster"
)

// rows builds the report rows, by document number, and fills the counts.
func (p *pipeline) rows(assign []cluster.Assignment) []Row {
	rows := make([]Row, len(assign))
	// Each group and cluster is counted at its representative.
	for i, a := range assign {
		info := &p.info[i]
		rows[i] = Row{
			Index:       i,
			ID:          p.docs[i].ID,
			Place:       info.place(p.files),
			Title:       info.title,
			Chars:       p.docs[i].Size,
			ClusterID:   p.docs[a.Cluster].ID,
			ClusterSize: a.ClusterSize,
			GroupID:     p.docs[a.Group].ID,
			GroupSize:   a.GroupSize,
			Keep:        a.Group == i,
			Jaccard:     a.Jaccard,
			Cosine:      a.Cosine,
		}
		if a.Group == i {
			p.stats.Groups++
		}
		if a.Cluster == i {
			p.stats.Clusters++
		}
		if a.ClusterSize > 1 {
			p.stats.InClusters++
		}
		if a.Group != i {
			p.stats.Duplicates++
		}
	}
	return rows
}

// SortRows puts rows in report order: largest clusters first, then by
// cluster id; within a cluster, the representative's group first, then
// the largest groups, then by group id;
// within a group, the kept document first, then by id.
func SortRows(rows []Row) {
	slices.SortFunc(rows, func(a, b Row) int {
		if c := cmp.Compare(b.ClusterSize, a.ClusterSize); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ClusterID, b.ClusterID); c != 0 {
			return c
		}
		if ar, br := a.GroupID == a.ClusterID, b.GroupID == b.ClusterID; ar != br {
			if ar {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.GroupSize, a.GroupSize); c != 0 {
			return c
		}
		if c := cmp.Compare(a.GroupID, b.GroupID); c != 0 {
			return c
		}
		if a.Keep != b.Keep {
			if a.Keep {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
