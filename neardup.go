// Package neardup finds near-duplicate Arabic texts and groups the reports
// of one event.
//
// [Run] streams documents from a reader through the pipeline
//
//	normalize (arabic) → character shingles (shingle) → MinHash (minhash)
//	→ LSH candidates (minhash) → verified, refined clusters (cluster)
//
// and returns one [Row] per document. Two signals feed the clustering:
// shingle MinHash finds copies of one text; TF-IDF vectors of word stems
// (tfidf), and a second MinHash over each document's heaviest terms, find
// independent reports of one event. Texts are not kept: each document is
// reduced, as it is read, to a signature and its heaviest terms.
package neardup

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
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

// Config holds the parameters of a run. Use [DefaultConfig] and change what
// you need.
type Config struct {
	Normalize arabic.Options // how texts are normalized before anything else
	Shingle   int            // shingle length in code points
	NumPerm   int            // MinHash permutations
	Scheme    minhash.Scheme // how signatures are computed
	Seed      uint64         // seed of the permutation family
	Threshold float64        // estimated Jaccard at or above which a text is a copy
	// Containment is the share of a text's shingles found in another at or
	// above which it is a copy, if their cosine is at least CopyCosine;
	// 0 turns the rule off.
	Containment, CopyCosine float64
	Bands                   int     // LSH bands for copies; 0 with Rows 0: chosen from Threshold
	Rows                    int     // LSH rows per band for copies
	MinCosine               float64 // TF-IDF cosine at or above which two reports are of one event
	// Window is the longest time between two reports of one event, by the
	// documents' publication times (corpus.Document.Time); 0: no limit.
	// See cluster.Options.Window.
	Window time.Duration
	// MinPassage is the length, in code points, from which a line of a
	// text is a passage; at the event level, two texts are compared on what
	// each says outside the passages they share (see
	// cluster.Doc.Passages). 0: no line is a passage, and texts are
	// compared whole.
	MinPassage int
	// EventTerms is the number of heaviest terms whose MinHash makes two
	// documents event candidates.
	EventTerms int
	// EventThreshold is the Jaccard similarity of heaviest-term sets the
	// event LSH is tuned to catch.
	EventThreshold float64
	// MaxBucket caps the LSH buckets expanded into all their pairs, at
	// most MaxBucketLimit.
	MaxBucket int
	// IDF is the prior table of document frequencies that the corpus's own
	// counts are added to; nil means the built-in news table.
	IDF     *tfidf.Table
	Workers int // parallel workers, at most MaxWorkers; 0 means one per core
	// Keep picks the representative of each group and cluster.
	Keep cluster.Keep
	// CopiesOnly finds the groups of copies only, as a de-duplication
	// needs: each group is then a cluster of its own. The groups are those
	// of a full run; the event level's cosine tests and clustering are
	// skipped.
	CopiesOnly bool
	// Pairs asks for the evidence of every verified candidate pair.
	Pairs bool
	// Strict makes invalid UTF-8 an error instead of U+FFFD.
	Strict bool
	// MaxDocBytes cuts longer texts to this many bytes (at a code point
	// boundary), counting them in Stats.Truncated; 0 means no limit.
	MaxDocBytes int
	// DedupeIDs renames the second and later documents with an id to
	// id#2, id#3, … instead of stopping with an error.
	DedupeIDs bool
	// SkipBad passes over records and files that cannot be read, counting
	// them in Stats.Skipped, instead of stopping at the first.
	SkipBad bool
	// Progress, if set, is called as the run advances: stage is "read"
	// (done documents read so far), "candidates" or "clustering" (done
	// documents in all). It is called from one goroutine at a time.
	Progress func(stage string, done int)
	// Explain lists ids whose normalized text and signatures the result
	// keeps, to explain their placement.
	Explain []string
}

// DefaultConfig returns the defaults documented in the README.
func DefaultConfig() Config {
	return Config{
		Normalize:      arabic.DefaultOptions(),
		Shingle:        shingle.DefaultK,
		Scheme:         minhash.Default,
		NumPerm:        128,
		Seed:           1,
		Threshold:      0.6,
		Containment:    0.8,
		CopyCosine:     0.5,
		MinCosine:      0.3,
		Window:         DefaultWindow,
		MinPassage:     tfidf.MinPassage,
		EventTerms:     24,
		EventThreshold: 0.1,
		MaxBucket:      100,
		MaxDocBytes:    64 << 20,
	}
}

// DefaultWindow is the default Config.Window: a week. Reports of one event
// follow it within days; a cluster that spans months is a topic (the price
// of gold, a war), which without a window chains its reports together.
const DefaultWindow = 7 * 24 * time.Hour

// CopyParams returns the LSH banding for copies.
func (c *Config) CopyParams() (minhash.Params, error) {
	return banding(c.Bands, c.Rows, c.Threshold, c.NumPerm)
}

// EventParams returns the LSH banding for event candidates.
func (c *Config) EventParams() minhash.Params {
	return minhash.Optimal(c.EventThreshold, EventPerm)
}

// EventPerm is the number of permutations of the event signatures, over a
// document's heaviest terms. It does not follow Config.NumPerm, which is
// for the shingles: the banding chosen for the event threshold changes
// with the permutations (64 bands of 2 rows at 128, 64 of 4 at 256, whose
// effective threshold, 0.35 instead of 0.13, found 19,279 candidates on
// ANT instead of 1,150,888 and lost half the events).
const EventPerm = 128

// FNWeight is the weight of the false-negative area against the
// false-positive area when the copy banding is chosen: a missed copy is lost
// for good, while a false candidate costs one cheap verification.
const FNWeight = 2

// CopyCatch is the least probability with which the copy banding makes a
// pair at the threshold a candidate (see minhash.OptimalCatching).
const CopyCatch = 0.9

func banding(b, r int, t float64, k int) (minhash.Params, error) {
	switch {
	case b == 0 && r == 0:
		return minhash.OptimalCatching(t, k, 1, FNWeight, CopyCatch), nil
	case b > 0 && r > 0 && b*r <= k:
		return minhash.Params{Bands: b, Rows: r}, nil
	case b > 0 && r == 0 && k%b == 0:
		return minhash.Params{Bands: b, Rows: k / b}, nil
	case r > 0 && b == 0 && k%r == 0:
		return minhash.Params{Bands: k / r, Rows: r}, nil
	}
	switch {
	case b > 0 && r == 0:
		return minhash.Params{}, fmt.Errorf("bands %d does not divide %d permutations", b, k)
	case r > 0 && b == 0:
		return minhash.Params{}, fmt.Errorf("rows %d does not divide %d permutations", r, k)
	}
	return minhash.Params{}, fmt.Errorf("bands %d × rows %d does not fit %d permutations", b, r, k)
}

// ClusterOptions returns the options of c that clustering uses.
func (c *Config) ClusterOptions() cluster.Options {
	return cluster.Options{
		Threshold:   c.Threshold,
		Containment: c.Containment,
		CopyCosine:  c.CopyCosine,
		MinCosine:   c.MinCosine,
		Workers:     c.Workers,
		Edges:       c.Pairs,
		Keep:        c.Keep,
		CopiesOnly:  c.CopiesOnly,
		Window:      c.Window,
	}
}

// ErrInternal marks an error that is a defect of the program, not of its
// input: a Source that panicked.
var ErrInternal = errors.New("internal error")

// ErrInvalidUTF8 is the error of a document with invalid UTF-8 under
// Config.Strict; without it each invalid sequence becomes U+FFFD.
var ErrInvalidUTF8 = errors.New("invalid UTF-8")

// MaxWorkers bounds Config.Workers: each worker holds its own scratch
// memory and document frequencies.
const MaxWorkers = 1024

// MaxBucketLimit bounds Config.MaxBucket: a bucket of n documents is
// expanded into n(n−1)/2 pairs, so one of 1,000 copies of a boilerplate
// page costs half a million tests a band, and one of 20,000 would cost 200
// million, which no candidate list should hold.
const MaxBucketLimit = 1000

// Check returns an error naming the first parameter of c out of its range,
// or a banding that does not fit the permutations; Run checks its Config
// so.
func (c *Config) Check() error {
	in := func(x, lo, hi float64) bool { return x >= lo && x <= hi } // false for NaN
	switch {
	case c.Shingle < 1 || c.Shingle > 1024:
		return fmt.Errorf("shingle length %d: must be between 1 and 1024", c.Shingle)
	case c.NumPerm < 1 || c.NumPerm > 1024:
		return fmt.Errorf("num-perm %d: must be between 1 and 1024", c.NumPerm)
	case !in(c.Threshold, 0, 1) || c.Threshold == 0:
		return fmt.Errorf("threshold %v: must be in (0, 1]", c.Threshold)
	case !in(c.MinCosine, 0, 1):
		return fmt.Errorf("min-cosine %v: must be in [0, 1]", c.MinCosine)
	case !in(c.Containment, 0, 1):
		return fmt.Errorf("containment %v: must be in [0, 1]", c.Containment)
	case !in(c.CopyCosine, 0, 1):
		return fmt.Errorf("copy-cosine %v: must be in [0, 1]", c.CopyCosine)
	case !in(c.EventThreshold, 0, 1) || c.EventThreshold == 0:
		return fmt.Errorf("event-threshold %v: must be in (0, 1]", c.EventThreshold)
	case c.EventTerms < 1 || c.EventTerms > tfidf.MaxTerms:
		return fmt.Errorf("event terms %d: must be between 1 and %d, the terms a document keeps", c.EventTerms, tfidf.MaxTerms)
	case c.Workers < 0 || c.Workers > MaxWorkers:
		return fmt.Errorf("workers %d: must be between 1 and %d (0: one per core)", c.Workers, MaxWorkers)
	case c.Window < 0:
		return fmt.Errorf("window %v: must be 0 (no limit) or more", c.Window)
	case c.MinPassage < 0 || c.MinPassage > 1<<20:
		return fmt.Errorf("min-passage %d: must be between 0 (no passages) and %d", c.MinPassage, 1<<20)
	case c.MaxBucket < 2 || c.MaxBucket > MaxBucketLimit:
		return fmt.Errorf("max-bucket %d: must be between 2 and %d", c.MaxBucket, MaxBucketLimit)
	case c.MaxDocBytes < 0:
		return fmt.Errorf("max-doc-bytes %d: must be 0 (no limit) or more", c.MaxDocBytes)
	case c.Scheme > minhash.FastSimilarity:
		return fmt.Errorf("unknown scheme %v", c.Scheme)
	case c.Keep > cluster.Shortest:
		return fmt.Errorf("unknown representative rule %v", c.Keep)
	case c.Normalize.Hamza > arabic.HamzaSeat:
		return fmt.Errorf("unknown hamza rule %v", c.Normalize.Hamza)
	case c.Normalize.Punct > arabic.PunctFold:
		return fmt.Errorf("unknown punctuation rule %v", c.Normalize.Punct)
	}
	_, err := c.CopyParams()
	return err
}

// A Source yields documents; *corpus.Reader is one. Next returns io.EOF
// after the last document.
type Source interface {
	Next() (corpus.Document, error)
}

// A Row is the outcome for one document.
type Row struct {
	Index       int     // position in the input, from 0
	ID          string  // the document's id (renamed id#n with DedupeIDs)
	Place       string  // file:line it was read from
	Title       string  // its title, or the start of its text
	Chars       int     // length of the normalized text in code points
	ClusterID   string  // id of its cluster's representative
	ClusterSize int     // documents in its cluster
	GroupID     string  // id of its near-duplicate group's representative
	GroupSize   int     // documents in its group
	Keep        bool    // the one document of its group a dedup keeps
	Jaccard     float64 // estimated Jaccard to the group's representative
	Cosine      float64 // TF-IDF cosine to the cluster's representative
}

// Stats describes a run.
type Stats struct {
	Docs        int // documents read
	Workers     int // goroutines that reduced them (Config.Workers, or one per core)
	Empty       int // documents with no text after normalization
	InvalidUTF8 int // invalid UTF-8 sequences replaced
	GeneratedID int // documents given a file:line id
	RenamedIDs  int // duplicate ids renamed id#n, with DedupeIDs
	Dated       int // documents with a publication time
	// Documents with invalid UTF-8, with a generated id, cut to
	// MaxDocBytes, and with a time field that holds no time (their time
	// is unknown: no window binds them).
	InvalidDocs, GeneratedDocs, Truncated, BadTimes Places
	Clusters                                        int // clusters, of one document or more
	Groups                                          int // near-duplicate groups
	InClusters                                      int // documents in clusters of two or more
	Duplicates                                      int // documents not kept (copies of another)
	// LSH candidate pairs kept for clustering: for copies, those that
	// share text; for events, those that share text or a subject (Copy and
	// Event count the pairs tested).
	CopyPairs, EventPairs int
	Copy                  minhash.PairStats // the copy LSH's buckets and tests
	Event                 minhash.PairStats // the event LSH's
	Cluster               cluster.Stats     // what clustering did
	Skipped               []Skipped         // records and files passed over, with SkipBad
	// Time spent reading and signing, finding candidates, clustering, and
	// in all.
	Read, Candidates, Clustering, Elapsed time.Duration
}

// batchSize is how many documents are read before they are processed in
// parallel: it bounds the texts held in memory.
const batchSize = 512

// A Result is the outcome of Run.
type Result struct {
	Rows      []Row    // one per document, in report order
	Stats     Stats    // counts and times
	Pairs     []Pair   // with Config.Pairs: verified candidate pairs
	Explained []Detail // with Config.Explain: the documents found, in input order
	// Why, with two documents in Config.Explain that are in different
	// clusters, tells why.
	Why *Separation
	// CopyWhy, with two documents in Config.Explain that are in different
	// near-duplicate groups, names the rule that parted them.
	CopyWhy cluster.CopyStep
}

// A Separation tells why two documents are in different clusters (see
// cluster.Separation), with the id of the group representative that left
// for its "prune" step.
type Separation struct {
	cluster.Separation
	LeftID string
}

// A Pair is a verified candidate pair and what became of it.
type Pair struct {
	A, B        string  // document ids, A read before B
	Copy        bool    // verified as copies (else as reports of one event)
	Jaccard     float64 // estimated Jaccard similarity of their shingles
	Cosine      float64 // TF-IDF cosine
	SameGroup   bool    // they ended in one near-duplicate group
	SameCluster bool    // they ended in one cluster
}

// Decision says in words what became of the pair.
func (p *Pair) Decision() string {
	switch {
	case p.SameGroup:
		return "copies: one group"
	case p.Copy && p.SameCluster:
		return "copies of each other, but one is not a copy of the other's group representative: two groups of one cluster"
	case p.Copy:
		return "copies of each other, but one is not a copy of the other's group representative"
	case p.SameCluster:
		return "same event: one cluster"
	}
	return "separated by refinement (a weak link cut, a member not similar to its cluster as a whole, or a large component split at its weakest links): neardup explain tells which"
}

// A Detail is what the run kept of a document named in Config.Explain.
type Detail struct {
	Row        Row
	Normalized string            // its normalized text
	Sig        []uint16          // shingle signature
	EventSig   []uint16          // event signature
	Vec        tfidf.Vector      // TF-IDF vector
	Passages   tfidf.Passages    // where its vector's terms occur, for the event cosine
	Terms      map[uint32]string // the names of its terms
	Time       time.Time         // its publication time; zero if unknown
	// Family is the document number of the first member of its family of
	// look-alikes, -1 if it is in none (see cluster.Assignment).
	Family int
	index  int32 // document number
}

// Run reads every document of src and clusters them. Rows come out in
// report order (see SortRows): a cluster's rows together, within it each
// group's rows together, the group's kept document first. The result does
// not depend on Workers.
func Run(src Source, cfg Config) (*Result, error) {
	start := time.Now()
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Workers <= 0 {
		cfg.Workers = min(runtime.GOMAXPROCS(0), MaxWorkers)
	}
	p := newPipeline(cfg)
	if err := p.read(src); err != nil {
		return nil, err
	}
	p.scratch = nil
	p.stats.Read = time.Since(start)
	p.seen, p.suffix = nil, nil // ids are unique from here on; the map is a large part of memory
	p.stats.Skipped = p.skipped
	res, err := p.cluster()
	if err != nil {
		return nil, err
	}
	p.stats.Elapsed = time.Since(start)
	res.Stats = p.stats
	return res, nil
}

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

// A Places counts documents and lists the first few of them.
type Places struct {
	Count int      `json:"count"`
	First []string `json:"first"` // at most 5 file:line places
}

// Add returns p with one more place.
func (p Places) Add(place string) Places {
	p.Count++
	if len(p.First) < 5 {
		p.First = append(p.First, place)
	}
	return p
}

// Admit applies cfg's rules for odd input to d, and counts in s what is odd
// about it: invalid UTF-8 replaced (an error under cfg.Strict), a text
// longer than cfg.MaxDocBytes (cut at a code point boundary), a time field
// that holds no time, an id generated. Ids repeated are the pipeline's to
// find, as it reads.
func (s *Stats) Admit(d *corpus.Document, cfg Config) error {
	if d.Invalid > 0 {
		if cfg.Strict {
			return fmt.Errorf("%s: %w (%d sequences)", d.Place(), ErrInvalidUTF8, d.Invalid)
		}
		s.InvalidUTF8 += d.Invalid
		s.InvalidDocs = s.InvalidDocs.Add(d.Place())
	}
	if max := cfg.MaxDocBytes; max > 0 && len(d.Text) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(d.Text[cut]) {
			cut--
		}
		d.Text = d.Text[:cut]
		s.Truncated = s.Truncated.Add(d.Place())
	}
	if !d.Time.IsZero() {
		s.Dated++
	}
	if d.BadTime != "" {
		s.BadTimes = s.BadTimes.Add(d.Place())
	}
	if d.GeneratedID {
		s.GeneratedID++
		s.GeneratedDocs = s.GeneratedDocs.Add(d.Place())
	}
	return nil
}

// Skipped is a record or file passed over.
type Skipped struct {
	Place  string `json:"place"` // file:line, or file
	Reason string `json:"reason"`
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

// ForEach calls fn for each document of src, in order, as corpus.ForEach
// does, but with cfg.SkipBad a record or file that cannot be read is
// appended to skipped and passed over.
func ForEach(src Source, cfg Config, skipped *[]Skipped, fn func(*corpus.Document) error) error {
	var bad func(*corpus.Error) error
	if cfg.SkipBad {
		bad = func(e *corpus.Error) error {
			*skipped = append(*skipped, Skipped{Place: e.Place(), Reason: e.Err.Error()})
			return nil
		}
	}
	return corpus.ForEachBad(src, bad, fn)
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
