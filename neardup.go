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
	"errors"
	"fmt"
	"runtime"
	"time"
	"unicode/utf8"

	"github.com/neardup/neardup/cluster"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/minhash"
	"github.com/neardup/neardup/tfidf"
)

// ErrInternal marks an error that is a defect of the program, not of its
// input: a Source that panicked.
var ErrInternal = errors.New("internal error")

// ErrInvalidUTF8 is the error of a document with invalid UTF-8 under
// Config.Strict; without it each invalid sequence becomes U+FFFD.
var ErrInvalidUTF8 = errors.New("invalid UTF-8")

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
	// Dated names, when their groups were too far apart in time, each
	// group's representative and first publication, in input order of
	// the two documents.
	Dated [2]GroupDate
}

// A GroupDate is when a group of copies was first published: the earliest
// time of its members, which dates it at the event level.
type GroupDate struct {
	ID    string // the group's representative
	First time.Time
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
