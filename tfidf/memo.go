package tfidf

// A Memo is an IDF that remembers another's values for some terms (a
// batch's, as [Table.AddTallies] returns them), and asks the other for the
// rest. A [Blend] weighs a term by two large tables, the corpus's and the
// prior's, a few megabytes each: looking a term up in both, for every term
// of every document of a batch, was mostly waiting for memory. A batch of
// documents holds far fewer distinct terms than term occurrences, so
// weighing each distinct term once, into a table small enough to stay in
// cache, is the cheaper way. IDF may be called once Fill has been, from
// many goroutines, but not during a Fill.
type Memo struct {
	idf   IDF
	slots []memoSlot // an IDF of 0 marks an empty slot (a term that weighs 0 is asked of idf each time)
	shift uint       // 64 − log2(len(slots))
}

type memoSlot struct {
	h   uint32
	idf float64
}

// Fill makes m remember idf's values for terms, which may repeat, and
// forget those it held, keeping its memory where it is enough.
func (m *Memo) Fill(idf IDF, terms []uint32) {
	m.idf = idf
	size := 1024 // at most half full
	for size < 2*len(terms) {
		size *= 2
	}
	if len(m.slots) == size {
		clear(m.slots)
	} else {
		m.slots = make([]memoSlot, size)
		m.shift = shiftFor(size)
	}
	mask := len(m.slots) - 1
	for _, h := range terms {
		for i := m.slot(h); ; i = (i + 1) & mask {
			s := &m.slots[i]
			if s.idf == 0 {
				*s = memoSlot{h, idf.IDF(h)}
				break
			}
			if s.h == h {
				break // a repeat
			}
		}
	}
}

// slot returns where h's probe sequence starts.
func (m *Memo) slot(h uint32) int { return fibonacci(h, m.shift) }

// IDF returns the IDF of a term: the value remembered, or else the one the
// IDF given to Fill returns.
func (m *Memo) IDF(h uint32) float64 {
	if len(m.slots) > 0 {
		mask := len(m.slots) - 1
		for i := m.slot(h); ; i = (i + 1) & mask {
			s := m.slots[i]
			if s.idf == 0 {
				break
			}
			if s.h == h {
				return s.idf
			}
		}
	}
	return m.idf.IDF(h)
}
