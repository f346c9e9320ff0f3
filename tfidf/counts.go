package tfidf

import (
	"iter"
	"math/bits"
)

// counts maps term hashes to document frequencies: an open-addressing hash
// table with linear probing, each slot one word holding the key above its
// count. Every term of every document is counted into one, and every term
// weighed is looked up in one or two, so the table is on the hot path of
// reading: a Go map spent most of its time comparing the control bytes of
// its groups, where a term here costs one multiplication and, at a load of
// at most one half, about one memory access. The zero value is an empty
// table.
type counts struct {
	slots []uint64 // key<<32 | count; a count of 0 marks an empty slot
	n     int      // slots in use
	shift uint     // 64 − log2(len(slots))
}

// slot returns where key's probe sequence starts.
func (c *counts) slot(key uint32) int { return fibonacci(key, c.shift) }

// fibonacci returns where key's probe sequence starts in a table of
// 2^(32−shift) slots: the top bits of its Fibonacci hash, which spreads
// keys that differ in any bit (the keys are hashes already, but those of a
// hostile input need not be spread). The hash is a bijection of 32-bit
// integers, so keys sorted by it (see inSlotOrder) are in the order of
// their slots, in a table of any size: AddTallies counts a batch's terms,
// and Memo.Fill weighs them, in that order, sweeping through the tables
// instead of jumping about in them.
func fibonacci(key uint32, shift uint) int { return int(inSlotOrder(key) >> shift) }

// inSlotOrder returns the Fibonacci hash of key, multiplication by 2^32/φ
// (odd); fromSlotOrder inverts it.
func inSlotOrder(key uint32) uint32 { return key * 0x9e3779b9 }

func fromSlotOrder(h uint32) uint32 { return h * 0x144cbc89 } // the inverse of 0x9e3779b9 modulo 2^32

// shiftFor returns the shift of fibonacci for a table of size slots, a
// power of two up to 2^31: 32 − log2(size).
func shiftFor(size int) uint { return uint(bits.LeadingZeros32(uint32(size))) + 1 }

// add adds n to key's count.
func (c *counts) add(key, n uint32) { c.update(key, n, true) }

// set sets key's count to n.
func (c *counts) set(key, n uint32) { c.update(key, n, false) }

// update adds n to key's count, or sets it to n. A count of 0 is not
// stored: the key then reads as absent, which is the same.
func (c *counts) update(key, n uint32, add bool) {
	if 2*(c.n+1) > len(c.slots) {
		c.grow()
	}
	mask := len(c.slots) - 1
	for i := c.slot(key); ; i = (i + 1) & mask {
		s := c.slots[i]
		if s == 0 {
			if n != 0 {
				c.slots[i] = uint64(key)<<32 | uint64(n)
				c.n++
			}
			return
		}
		if uint32(s>>32) == key {
			if add {
				n += uint32(s) // counts stay below 2^32: they count documents
			}
			if n == 0 {
				c.remove(i)
				return
			}
			c.slots[i] = uint64(key)<<32 | uint64(n)
			return
		}
	}
}

// remove empties slot i and moves back the keys after it that its being
// full had pushed on, so that every key stays reachable from its start.
func (c *counts) remove(i int) {
	mask := len(c.slots) - 1
	c.slots[i] = 0
	c.n--
	for j := (i + 1) & mask; c.slots[j] != 0; j = (j + 1) & mask {
		s := c.slots[j]
		c.slots[j] = 0
		c.n--
		c.update(uint32(s>>32), uint32(s), false)
	}
}

// get returns key's count, 0 if it has none.
func (c *counts) get(key uint32) uint32 {
	if c.n == 0 {
		return 0
	}
	mask := len(c.slots) - 1
	for i := c.slot(key); ; i = (i + 1) & mask {
		s := c.slots[i]
		if s == 0 {
			return 0
		}
		if uint32(s>>32) == key {
			return uint32(s)
		}
	}
}

// len returns the number of keys with a count.
func (c *counts) len() int { return c.n }

// all yields every key and its count, in the table's order.
func (c *counts) all() iter.Seq2[uint32, uint32] {
	return func(yield func(uint32, uint32) bool) {
		for _, s := range c.slots {
			if s != 0 && !yield(uint32(s>>32), uint32(s)) {
				return
			}
		}
	}
}

// grow doubles the table (to 1,024 slots at first) and re-inserts its keys.
func (c *counts) grow() {
	old := c.slots
	size := max(2*len(old), 1024)
	c.slots = make([]uint64, size)
	c.shift = shiftFor(size)
	c.n = 0
	for _, s := range old {
		if s != 0 {
			c.add(uint32(s>>32), uint32(s))
		}
	}
}
