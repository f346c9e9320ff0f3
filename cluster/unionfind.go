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
	count := make(map[int32]int)
	for i := range u {
		count[u.find(int32(i))]++
	}
	index := make(map[int32]int)
	var out [][]int32
	for i := range u {
		r := u.find(int32(i))
		if count[r] < 2 {
			continue
		}
		k, ok := index[r]
		if !ok {
			k = len(out)
			index[r] = k
			out = append(out, make([]int32, 0, count[r]))
		}
		out[k] = append(out[k], int32(i))
	}
	return out
}
