package cluster

// unionFind is a disjoint-set forest over 0..n-1. The root of a set is its
// smallest element, which makes the partition's labels independent of the
// order of unions.
type unionFind []int32

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = int32(i)
	}
	return u
}

func (u unionFind) find(x int32) int32 {
	for u[x] != x {
		u[x] = u[u[x]] // path halving
		x = u[x]
	}
	return x
}

func (u unionFind) union(a, b int32) {
	ra, rb := u.find(a), u.find(b)
	switch {
	case ra < rb:
		u[rb] = ra
	case rb < ra:
		u[ra] = rb
	}
}

// sets returns the sets of size > 1 as sorted member lists, ordered by
// their smallest member, and marks singletons by omission.
func (u unionFind) sets() [][]int32 {
	// Slices indexed by root, not maps: a union-find spans every document.
	count := make([]int32, len(u))
	for i := range u {
		count[u.find(int32(i))]++
	}
	index := make([]int32, len(u)) // 1 + position in out of each root's set
	var out [][]int32
	for i := range u {
		r := u.find(int32(i))
		if count[r] < 2 {
			continue
		}
		if index[r] == 0 {
			out = append(out, make([]int32, 0, count[r]))
			index[r] = int32(len(out))
		}
		k := index[r] - 1
		out[k] = append(out[k], int32(i))
	}
	return out
}
