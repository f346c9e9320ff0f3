package neardup

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/cluster"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/shingle"
	"github.com/neardup/neardup/tfidf"
)

// batchSize is how many documents are read before they are processed in
// parallel: it bounds the texts held in memory.
const batchSize = 512

// newPipeline returns the pipeline of a checked cfg with its Workers set.
func newPipeline(cfg Config) *pipeline {
	prior := cfg.IDF
	if prior == nil {
		prior = tfidf.Builtin()
	}
	if cfg.CopiesOnly {
		cfg.MinPassage = 0 // passages serve the event level only
	}
	p := &pipeline{
		cfg:     cfg,
		norm:    arabic.NewNormalizer(cfg.Normalize),
		signer:  minhash.NewSchemeSigner(cfg.Scheme, cfg.NumPerm, cfg.Seed),
		prior:   prior,
		table:   tfidf.NewTable(),
		seen:    make(map[string]int32),
		fileID:  make(map[string]int32),
		explain: make(map[string]*Detail),
	}
	p.explainIDs = make(map[string]bool)
	for _, id := range cfg.Explain {
		p.explainIDs[id] = true
	}
	p.scratch = make([]scratch, cfg.Workers)
	for set := range p.tally {
		p.tally[set] = make([]*tfidf.Tally, cfg.Workers)
		for i := range p.tally[set] {
			p.tally[set][i] = new(tfidf.Tally)
		}
	}
	return p
}

type pipeline struct {
	cfg    Config
	norm   *arabic.Normalizer
	signer *minhash.Signer
	prior  *tfidf.Table
	table  *tfidf.Table // the corpus's document frequencies: of the batches read so far
	memo   tfidf.Memo   // the weights of the last batch's terms, as chooseTerms sees them
	// tally holds two sets of tallies, one per worker, of the terms of a
	// batch: while chooseTerms counts one batch's set, the workers tally
	// the next batch into the other.
	tally   [2][]*tfidf.Tally
	batches int              // batches processed
	choice  *termChoice      // the batch whose terms are being chosen, if any
	docs    []cluster.Doc    // what clustering needs, by document number
	info    []docInfo        // the rest, by document number
	files   []string         // input files, by docInfo.file
	fileID  map[string]int32 // index of each file in files
	seen    map[string]int32 // id -> document number, to refuse duplicate ids
	suffix  map[string]int   // id repeated -> the next n of id#n to try (Config.DedupeIDs)
	stats   Stats
	// explainIDs are the ids of Config.Explain (read-only), explain the
	// details of those found (written by workers under mu).
	explainIDs map[string]bool
	explain    map[string]*Detail
	explainN   []int32 // their document numbers
	skipped    []Skipped
	scratch    []scratch // one per worker, while reading
	mu         sync.Mutex
}

// docInfo is what the run keeps of a document beside its cluster.Doc (id,
// length, 256-byte signature, TF-IDF vector of 48 terms): title, place,
// term counts until the vector is made, event signature until the
// candidates are found.
type docInfo struct {
	title      string
	file, line int32
	bag        tfidf.Bag // term counts: all of them until chooseTerms, then the heaviest until the vector is made
	esig       []uint16  // event MinHash signature, 16 bits a value
}

func (d *docInfo) place(files []string) string {
	return files[d.file] + ":" + strconv.Itoa(int(d.line))
}

// read consumes src. A reader goroutine fills batches of documents and
// hands them over a queue of two, so that at most four batches of texts
// are in memory while reading overlaps processing.
func (p *pipeline) read(src Source) error {
	batches := make(chan []corpus.Document, 2)
	stop := make(chan struct{})
	errStopped := errors.New("stopped")
	var readErr error
	go func() {
		defer close(batches)
		// A panic in a reader must not look like the end of the input.
		defer func() {
			if r := recover(); r != nil {
				readErr = fmt.Errorf("reading stopped: %w: %v", ErrInternal, r)
			}
		}()
		batch := make([]corpus.Document, 0, batchSize)
		send := func() bool {
			select {
			case batches <- batch:
				batch = make([]corpus.Document, 0, batchSize)
				return true
			case <-stop:
				return false
			}
		}
		readErr = p.forEach(src, func(d *corpus.Document) error {
			batch = append(batch, *d)
			if len(batch) == batchSize && !send() {
				return errStopped
			}
			return nil
		})
		if readErr == nil && len(batch) > 0 {
			send()
		}
	}()
	defer p.awaitTerms()
	for batch := range batches {
		if err := p.admit(batch); err != nil {
			close(stop)
			for range batches { // let the reader finish
			}
			return err
		}
		p.process(batch)
		p.progress("read", len(p.docs))
	}
	return readErr
}

// forEach is ForEach over p's configuration. It runs on the reader
// goroutine, which alone touches p.skipped until reading ends.
func (p *pipeline) forEach(src Source, fn func(*corpus.Document) error) error {
	return ForEach(src, p.cfg, &p.skipped, fn)
}

// admit checks a batch for duplicate ids and counts it, in input order.
func (p *pipeline) admit(batch []corpus.Document) error {
	for i := range batch {
		d := &batch[i]
		if _, dup := p.seen[d.ID]; dup && p.cfg.DedupeIDs {
			// The n-th document with an id is renamed id#n, or the next
			// free number. The numbers below the last one given were
			// taken then, and still are: the search starts after it, so
			// that m repeats of an id cost O(m), not O(m²).
			if p.suffix == nil {
				p.suffix = make(map[string]int)
			}
			base := d.ID
			for n := max(p.suffix[base], 2); ; n++ {
				id := base + "#" + strconv.Itoa(n)
				if _, taken := p.seen[id]; !taken {
					d.ID, p.suffix[base] = id, n+1
					break
				}
			}
			p.stats.RenamedIDs++
		}
		if prev, dup := p.seen[d.ID]; dup {
			first := ""
			if k := int(prev) - len(p.docs); k >= 0 { // in this batch
				first = batch[k].Place()
			} else {
				first = p.info[prev].place(p.files)
			}
			return fmt.Errorf("%s: duplicate id %q (first at %s)", d.Place(), d.ID, first)
		}
		p.seen[d.ID] = int32(len(p.docs) + i)
		if err := p.stats.Admit(d, p.cfg); err != nil {
			return err
		}
		if _, ok := p.fileID[d.File]; !ok {
			p.fileID[d.File] = int32(len(p.files))
			p.files = append(p.files, strings.ToValidUTF8(d.File, "\uFFFD")) // as in d.Place()
		}
	}
	return nil
}

// process turns a batch of documents into docInfos, in parallel, in order.
// The terms of its documents are chosen while the next batch is signed;
// awaitTerms waits for the choice of the last.
func (p *pipeline) process(batch []corpus.Document) {
	tally := p.tally[p.batches%2]
	p.batches++
	for w := range p.scratch {
		p.scratch[w].tally = tally[w]
	}
	base := len(p.docs)
	p.docs = append(p.docs, make([]cluster.Doc, len(batch))...)
	p.info = append(p.info, make([]docInfo, len(batch))...)
	// The batch's signatures share one allocation: fewer objects for the
	// garbage collector to track, none of them with pointers to scan.
	k := p.cfg.NumPerm
	sigs := make([]uint16, len(batch)*k)
	// Where each document's terms occur, until chooseTerms has made its
	// passages: outside docInfo, which is kept to the end.
	wheres := make([]tfidf.Where, len(batch))
	var wg sync.WaitGroup
	next := make(chan int, len(batch))
	for i := range batch {
		next <- i
	}
	close(next)
	for w := range p.scratch {
		wg.Go(func() {
			s := &p.scratch[w]
			for i := range next {
				p.sign(base+i, &batch[i], s, sigs[i*k:i*k:(i+1)*k], &wheres[i])
			}
		})
	}
	wg.Wait()
	p.awaitTerms()
	p.choice = p.chooseTerms(base, tally, wheres)
	for i := range batch {
		if p.docs[base+i].Size == 0 {
			p.stats.Empty++
		}
	}
}

// A termChoice is chooseTerms at work on the bags of a batch.
type termChoice struct {
	base     int              // the number of the batch's first document
	bags     []tfidf.Bag      // its documents' bags, the heaviest terms once done
	passages []tfidf.Passages // where the heaviest terms occur, once done
	done     chan struct{}
}

// chooseTerms starts to keep, of each document from number base on (the
// batch just reduced, whose terms tally holds), its
// MaxTerms heaviest terms, weighed by the prior blended with the corpus's
// document frequencies as read so far, this batch's included. A block of
// boilerplate that many pages carry (a site's header and footer, of words
// rare in news at large) is then common from the first batch that holds
// it, and does not fill the terms of every page it is on: weighed by the
// prior alone, it did, and their cosine became 1. Batches are cut by input
// position, so the choice does not depend on Workers.
//
// It runs while the workers sign the next batch, on bags of its own, which
// awaitTerms puts back: p.info grows meanwhile. Each distinct term of the
// batch is weighed once, into p.memo, which the documents' choices then
// read: far fewer look-ups into the large tables than one per term of
// every document. wheres say where each document's terms occur; from them
// it records the passages of the terms kept (see cluster.Doc.Passages).
func (p *pipeline) chooseTerms(base int, tally []*tfidf.Tally, wheres []tfidf.Where) *termChoice {
	n := len(p.info) - base
	c := &termChoice{base: base, bags: make([]tfidf.Bag, n), passages: make([]tfidf.Passages, n), done: make(chan struct{})}
	for i := range c.bags {
		c.bags[i] = p.info[base+i].bag
	}
	all := slices.Clone(c.bags)
	go func() {
		defer close(c.done)
		terms := p.table.AddTallies(tally...)
		p.memo.Fill(tfidf.NewBlend(p.table, p.prior).Others(), terms)
		forRange(p, 0, len(c.bags), func(i int, tc *tfidf.Counter) {
			if b := &c.bags[i]; len(b.Terms) > tfidf.MaxTerms {
				*b = tc.Top(*b, tfidf.MaxTerms, &p.memo)
			}
		})
		// The batch's passages share one allocation (see
		// tfidf.Where.AppendPassages).
		n := 0
		for _, w := range wheres {
			n += w.PassagesSize()
		}
		arena := make([]uint64, 0, n)
		for i, w := range wheres {
			c.passages[i], arena = w.AppendPassages(arena, all[i], c.bags[i])
		}
	}()
	return c
}

// awaitTerms waits for the terms of the batch being chosen, if any, and
// puts them in p.info.
func (p *pipeline) awaitTerms() {
	if c := p.choice; c != nil {
		<-c.done
		for i, b := range c.bags {
			p.info[c.base+i].bag, p.docs[c.base+i].Passages = b, c.passages[i]
		}
		p.choice = nil
	}
}

// size returns the length of text in code points, from its number of
// k-shingles where that tells it.
func size(text string, shingles, k int) int {
	if shingles > 1 {
		return shingles + k - 1
	}
	return utf8.RuneCountInString(text)
}

// scratch is the memory one worker reuses from document to document, and
// the tally of its batch's documents' terms, for chooseTerms to count.
type scratch struct {
	text   []byte
	ends   []int // where each line of text ends
	hashes []uint64
	set    shingle.Set
	sig    []uint32
	terms  tfidf.Counter
	tally  *tfidf.Tally
}

// sign reduces document n, read as d; its signature goes to sig, and where
// its terms occur to where.
func (p *pipeline) sign(n int, d *corpus.Document, s *scratch, sig []uint16, where *tfidf.Where) {
	s.text, s.ends = p.norm.AppendLines(s.text[:0], s.ends[:0], d.Text)
	// The normalized text is read as a string without a copy: s.text is
	// not written again until the next document, and nothing below keeps
	// text or a substring of it past this call but the explain details,
	// which copy it. A copy was 3 KB of garbage a document, a fifth of all
	// a run allocates.
	text := unsafe.String(unsafe.SliceData(s.text), len(s.text))
	s.hashes = shingle.Append(s.hashes[:0], text, p.cfg.Shingle)
	hashes := s.set.Distinct(s.hashes)
	s.sig = p.signer.Sign(s.sig, hashes)
	bag, w := s.terms.BagLines(text, s.ends, p.cfg.MinPassage)
	s.tally.Add(bag)
	bag = bag.Clone() // all its terms, until chooseTerms keeps the heaviest
	*where = w.Clone()
	p.docs[n] = cluster.Doc{
		ID:   d.ID,
		Size: size(text, len(s.hashes), p.cfg.Shingle),
		Set:  len(hashes),
		Sig:  minhash.Trim16(sig, s.sig),
	}
	if !d.Time.IsZero() {
		// 0 means unknown to clustering: the first second of 1970 is
		// read as the next.
		p.docs[n].Time = d.Time.Unix()
		if p.docs[n].Time == 0 {
			p.docs[n].Time = 1
		}
	}
	p.info[n] = docInfo{
		title: titleOf(d),
		file:  p.fileID[d.File],
		line:  int32(d.Line),
		bag:   bag,
	}
	if p.explainIDs[d.ID] {
		text := strings.Clone(text) // its terms are cut from it
		terms := make(map[uint32]string)
		arabic.Terms(text, func(t string) { terms[tfidf.Hash(t)] = t })
		p.mu.Lock()
		p.explain[d.ID] = &Detail{Normalized: text, Terms: terms, Time: d.Time, index: int32(n)}
		p.mu.Unlock()
	}
	if len(d.Text) > bigText {
		// The buffers grew to many times the text; a worker keeps them
		// for the next document only if they are of an ordinary size.
		s.text, s.ends, s.hashes, s.set, s.terms = nil, nil, nil, shingle.Set{}, tfidf.Counter{}
	}
}

// bigText is the length in bytes above which a text's working buffers are
// let go once it is reduced: the normalized text, 8 bytes a shingle and the
// table of distinct ones come to many times the text.
const bigText = 1 << 20

// titleSource returns the title, or the first line of the text if the
// title is blank.
func titleSource(d *corpus.Document) string {
	if strings.TrimSpace(d.Title) != "" {
		return d.Title
	}
	t := strings.TrimSpace(d.Text)
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		t = t[:i]
	}
	return t
}

// titleOf returns the title, or the first line of the text, on one line
// (runs of white space made one space) and cut to 80 code points plus "…".
// It reads no further than it keeps: the first line of a text may be all
// of it.
func titleOf(d *corpus.Document) string {
	t := titleSource(d)
	const max = 80
	var b strings.Builder
	// One allocation, enough for what is kept: grown rune by rune, the
	// title took five or six.
	b.Grow(min(len(t), utf8.UTFMax*max+len("…")))
	n, space := 0, false
	for _, r := range t {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			if n == max {
				b.WriteString("…")
				break
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		if n == max {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// keepHeldPassages lets go of the passages that no other document holds,
// once the corpus is read: they cannot be shared, and their terms join the
// rest of their text. What is kept is copied into a few large chunks,
// never reallocated, as the passages point into them.
func (p *pipeline) keepHeldPassages() {
	n := 0
	for i := range p.docs {
		n += p.docs[i].Passages.Len()
	}
	hashes := make([]uint32, 0, n)
	for i := range p.docs {
		hashes = p.docs[i].Passages.AppendHashes(hashes)
	}
	held := tfidf.Held(hashes)
	var chunk []uint64
	for i := range p.docs {
		ps := &p.docs[i].Passages
		if cap(chunk)-len(chunk) < ps.Size() {
			chunk = make([]uint64, 0, max(1<<16, ps.Size()))
		}
		*ps, chunk = ps.AppendOnly(chunk, held)
	}
}

// cluster finds candidates, clusters and builds the rows.
func (p *pipeline) cluster() (*Result, error) {
	start := time.Now()
	p.progress("candidates", len(p.docs))
	copyParams, _ := p.cfg.CopyParams()
	copyIdx := minhash.NewIndex[uint16](copyParams)
	// Event sets are a couple of dozen terms, signed in pieces (see
	// eventParts): only independent hashes have pieces.
	eventSigner := minhash.NewSchemeSigner(minhash.MultiplyShift, EventPerm, p.cfg.Seed^0x5bd1e995)
	blend := tfidf.NewBlend(p.table, p.prior)
	p.keepHeldPassages()
	// Each worker appends its documents' weights to chunks of its own,
	// where an allocation a document made most of the garbage of this step
	// and the collection it set off kept the second worker from helping.
	forDocs(p, func(i int, weights *[]uint16) {
		info, doc := &p.info[i], &p.docs[i]
		if cap(*weights)-len(*weights) < tfidf.MaxTerms {
			*weights = make([]uint16, 0, 1<<15)
		}
		doc.Vec, *weights = blend.AppendVector(*weights, info.bag)
		info.bag = tfidf.Bag{}
	})
	docs := p.docs
	for i := range docs {
		copyIdx.Add(uint32(i), docs[i].Sig)
	}
	opt := p.cfg.ClusterOptions()
	// Candidates are tested as each band finds them, so that only pairs
	// that share text or a subject are held.
	copyPairs, cst := copyIdx.Pairs(minhash.PairOptions{MaxBucket: p.cfg.MaxBucket, Workers: p.cfg.Workers,
		Keep: opt.Candidate(docs, false)})
	copyIdx = nil
	eventPairs, est, err := p.eventPairs(eventSigner, opt.Candidate(docs, true))
	if err != nil {
		return nil, err
	}
	for _, det := range p.explain {
		n := det.index
		esig := eventSigner.Sign(nil, docs[n].Vec.AppendHeaviest(nil, p.cfg.EventTerms))
		det.Sig, det.EventSig, det.Vec, det.Passages = docs[n].Sig, minhash.Trim16(nil, esig), docs[n].Vec, docs[n].Passages
		p.explainN = append(p.explainN, n)
	}
	p.stats.CopyPairs, p.stats.Copy = len(copyPairs), cst
	p.stats.EventPairs, p.stats.Event = len(eventPairs), est
	p.stats.Candidates = time.Since(start)
	start = time.Now()
	p.progress("clustering", len(p.docs))
	slices.Sort(p.explainN)
	if len(p.explainN) == 2 {
		opt.Trace = &[2]int32{p.explainN[0], p.explainN[1]}
	}
	built := cluster.Build(docs, copyPairs, eventPairs, opt)
	assign := built.Assign
	// Signatures and vectors are not needed for the rows: let them go
	// before the rows are built, when memory would otherwise peak.
	for i := range docs {
		docs[i].Sig, docs[i].Vec = nil, tfidf.Vector{}
	}
	p.stats.Cluster = built.Stats
	p.stats.Docs, p.stats.Workers = len(docs), p.cfg.Workers
	res := &Result{Rows: p.rows(assign), CopyWhy: built.CopyWhy}
	if w := built.Why; w != nil {
		res.Why = &Separation{Separation: *w}
		if w.Step == cluster.StepPrune {
			res.Why.LeftID = docs[w.Left].ID
		}
		if w.TooFar {
			for i, n := range p.explainN {
				res.Why.Dated[i] = GroupDate{ID: docs[assign[n].Group].ID, First: time.Unix(w.First[i], 0).UTC()}
			}
		}
	}
	for _, n := range p.explainN {
		det := p.explain[docs[n].ID]
		det.Row, det.Family = res.Rows[n], assign[n].Family
		res.Explained = append(res.Explained, *det)
	}
	SortRows(res.Rows)
	for _, e := range built.Edges {
		a, b := assign[e.A], assign[e.B]
		res.Pairs = append(res.Pairs, Pair{
			A: docs[e.A].ID, B: docs[e.B].ID, Copy: e.Copy, Jaccard: e.Jaccard, Cosine: e.Cosine,
			SameGroup: a.Group == b.Group, SameCluster: a.Cluster == b.Cluster,
		})
	}
	p.stats.Clustering = time.Since(start)
	return res, nil
}

// eventParts is how many pieces the event bands are found in: each
// document holds the 16-bit event signature values of one piece at a time
// (64 bytes instead of 256 with the defaults), while the event candidates
// are found, when memory peaks. Each piece is signed with its own
// positions only; the pairs are the same.
const eventParts = 4

// eventPairs finds the event candidates that keep accepts.
func (p *pipeline) eventPairs(signer *minhash.Signer, keep func(a, b uint32) bool) ([]uint64, minhash.PairStats, error) {
	params := p.cfg.EventParams()
	parts := 1
	for n := eventParts; n > 1; n-- {
		if params.Bands%n == 0 {
			parts = n
			break
		}
	}
	bands := params.Bands / parts
	order := p.timeOrder()
	var pairs []uint64
	var st minhash.PairStats
	// Every document's piece of event signature lives in one allocation,
	// rewritten piece after piece: appended to slices of their own they
	// were a sixth of all the objects a run allocated.
	w := bands * params.Rows
	esigs := make([]uint16, len(p.info)*w)
	for i := range p.info {
		p.info[i].esig = esigs[i*w : i*w : (i+1)*w]
	}
	for part := range parts {
		piece, err := signer.Positions(part*bands*params.Rows, (part+1)*bands*params.Rows)
		if err != nil {
			return nil, st, fmt.Errorf("event signatures: %w", err)
		}
		forDocs(p, func(i int, s *eventScratch) {
			// Event candidates are verified on their cosine, so 16 bits of
			// each value are enough: a band of two rows then agrees by chance
			// once in 2^32 pairs.
			s.terms = p.docs[i].Vec.AppendHeaviest(s.terms[:0], p.cfg.EventTerms)
			s.sig = piece.Sign(s.sig, s.terms)
			p.info[i].esig = minhash.Trim16(p.info[i].esig, s.sig)
		})
		idx := minhash.NewIndex[uint16](minhash.Params{Bands: bands, Rows: params.Rows})
		for i := range p.info {
			idx.Add(uint32(i), p.info[i].esig)
		}
		var pst minhash.PairStats
		pairs, pst = idx.Pairs(minhash.PairOptions{MaxBucket: p.cfg.MaxBucket, Workers: p.cfg.Workers,
			Keep: keep, Kept: pairs, Order: order})
		st.Buckets += pst.Buckets
		st.CappedBuckets += pst.CappedBuckets
		st.LargestBucket = max(st.LargestBucket, pst.LargestBucket)
		st.Tested += pst.Tested
	}
	for i := range p.info {
		p.info[i].esig = nil
	}
	return pairs, st, nil
}

// timeOrder ranks the documents by publication time, ties and documents of
// unknown time (first) by input position; nil if no document has a time.
func (p *pipeline) timeOrder() []uint32 {
	if p.stats.Dated == 0 {
		return nil
	}
	byTime := make([]uint32, len(p.docs))
	for i := range byTime {
		byTime[i] = uint32(i)
	}
	slices.SortStableFunc(byTime, func(a, b uint32) int { return cmp.Compare(p.docs[a].Time, p.docs[b].Time) })
	rank := make([]uint32, len(p.docs))
	for r, i := range byTime {
		rank[i] = uint32(r)
	}
	return rank
}

// eventScratch is the memory one goroutine reuses while it signs event
// terms.
type eventScratch struct {
	terms []uint64
	sig   []uint32
}

// forDocs calls fn for every document on cfg.Workers goroutines; each
// goroutine passes its own scratch memory from call to call.
func forDocs[S any](p *pipeline, fn func(i int, scratch *S)) {
	forRange(p, 0, len(p.docs), fn)
}

// forRange is forDocs over the documents numbered from begin to end.
func forRange[S any](p *pipeline, begin, end int, fn func(i int, scratch *S)) {
	var wg sync.WaitGroup
	workers := p.cfg.Workers
	chunk := max((end-begin+workers-1)/workers, 1)
	for lo := begin; lo < end; lo += chunk {
		hi := min(lo+chunk, end)
		wg.Go(func() {
			var scratch S
			for i := lo; i < hi; i++ {
				fn(i, &scratch)
			}
		})
	}
	wg.Wait()
}

func (p *pipeline) progress(stage string, done int) {
	if p.cfg.Progress != nil {
		p.cfg.Progress(stage, done)
	}
}
