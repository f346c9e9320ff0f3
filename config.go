package neardup

import (
	"fmt"
	"time"

	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/cluster"
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
	// documents' publication times (corpus.Document.Time), each group of
	// copies dated by its earliest member; 0: no limit. See
	// cluster.Options.Window.
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
