package arabic

import (
	"math/bits"
	"strings"
	"unicode/utf8"
)

// Words calls fn for each word of the normalized text s: the runs between
// single spaces. Go's regexp classes \w and \W are ASCII-only, so Arabic
// text must never be split with them.
func Words(s string, fn func(word string)) {
	for s != "" {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			fn(s)
			return
		}
		if i > 0 {
			fn(s[:i])
		}
		s = s[i+1:]
	}
}

// An affix is a light-stemming prefix or suffix with its length in code
// points, counted once.
type affix struct {
	s     string
	runes int
	min   int // the shortest word, in code points, it may be removed from
	// The affix's second and last bytes: Arabic letters share their first
	// byte, so these tell the affixes that may match a word.
	second, last byte
}

func affixes(list ...string) []affix {
	out := make([]affix, len(list))
	for i, s := range list {
		n := utf8.RuneCountInString(s)
		out[i] = affix{s: s, runes: n, min: n + 2, second: s[1], last: s[len(s)-1]}
	}
	return out
}

// Light-stemming affixes of Lucene's ArabicStemmer (the light10 family of
// Larkey, Ballesteros and Connell), written in normalized form. The
// one-letter prefix و needs a word of four letters, not three.
var (
	prefixes = func() []affix {
		p := affixes("ال", "وال", "بال", "كال", "فال", "لل", "و")
		p[len(p)-1].min = 4
		return p
	}()
	suffixes = affixes("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")

	// The affixes that may match a word, as bit sets of indexes into the
	// lists: the prefixes by the word's second byte, the suffixes by its
	// last. A word is compared with these few, in order, not with all.
	prefixesBySecond = affixIndex(prefixes, func(a affix) byte { return a.second })
	suffixesByLast   = affixIndex(suffixes, func(a affix) byte { return a.last })
)

func affixIndex(list []affix, key func(affix) byte) (index [256]uint16) {
	if len(list) > 16 {
		panic("arabic: more affixes than an index holds")
	}
	for i, a := range list {
		index[key(a)] |= 1 << i
	}
	return index
}

// Stem returns the light stem of a normalized word: at most one prefix
// (first match, in Lucene's order), then each suffix at most once, in order,
// on the word as it shrinks. A prefix is removed only if at least two letters
// remain (the one-letter و needs a word of four letters); a suffix likewise.
// Stemming merges different words now and then, so it is used for the TF-IDF
// word tokens only, never for the character shingles.
func Stem(w string) string { return stem(w, utf8.RuneCountInString(w)) }

// stem is Stem of a word of n code points.
func stem(w string, n int) string {
	if n < 3 { // no affix leaves two letters of a shorter word
		return w
	}
	for set := prefixesBySecond[w[1]]; set != 0; set &= set - 1 {
		p := &prefixes[bits.TrailingZeros16(set)]
		if n >= p.min && strings.HasPrefix(w, p.s) {
			w = w[len(p.s):]
			n -= p.runes
			break
		}
	}
	// Each suffix is tried once, in order; after a removal, the candidates
	// are those of the new last byte that come later in the list.
	for i := 0; ; i++ {
		set := suffixesByLast[w[len(w)-1]] >> i
		if set == 0 {
			return w
		}
		i += bits.TrailingZeros16(set)
		if s := &suffixes[i]; n >= s.min && strings.HasSuffix(w, s.s) {
			w = w[:len(w)-len(s.s)]
			n -= s.runes
		}
	}
}

// stopList is Lucene's Arabic stop list (Jacques Savoy, BSD) in normalized
// form: the 88 forms it collapses to.
const stopList = `من ومن منها منه في وفي فيها فيه و ف ثم او ب بها به ا اي لا ولا الا لكن ما وما كما فما عن مع اذا ان انها انه بان فان وان التي الذي الذين الي علي عليها عليه اما ايضا كل وكل لم ولم لن ولن هي هو وهي وهو فهي فهو انت لك لها له هذه هذا تلك ذلك هناك كانت كان يكون تكون وكانت وكان غير بعض قد نحو بين بينما منذ ضمن حيث الان خلال بعد قبل حتي عند عندما لدي جميع`

// stopWords holds the stop list in an open-addressing table with linear
// probing, at a load of about a third. Every word of every text is looked
// up: a Go map hashed the whole word and compared control bytes, about a
// fifth of the cost of a text's terms, where a word here costs a
// multiplication of three of its bytes and, mostly, one comparison.
var stopWords = func() (t [256]string) {
	for _, w := range strings.Fields(stopList) {
		i := stopSlot(w)
		for t[i] != "" && t[i] != w {
			i++
		}
		t[i] = w
	}
	return t
}()

// stopSlot returns where the probe sequence of w, of two bytes or more,
// starts: its length, second and last bytes (Arabic letters share their
// first byte), spread by a Fibonacci hash.
func stopSlot(w string) uint8 {
	return uint8((uint32(len(w))<<16 | uint32(w[1])<<8 | uint32(w[len(w)-1])) * 0x9e3779b1 >> 24)
}

// maxStopBytes is the length in bytes of the longest stop word: longer
// words need no lookup.
const maxStopBytes = 10

// IsStopWord reports whether the normalized word w is on the Arabic stop list.
func IsStopWord(w string) bool {
	if len(w) < 2 || len(w) > maxStopBytes {
		return false // every stop word has two bytes or more
	}
	for i := stopSlot(w); stopWords[i] != ""; i++ {
		if stopWords[i] == w {
			return true
		}
	}
	return false
}

// Terms calls fn with the stem of each word of the normalized text s that is
// not a stop word and not a lone character: the word tokens of TF-IDF.
//
// It is Words with each word's code points counted on the way, by their
// lead bytes, in one pass: words are a few bytes long, and a search for the
// next space and a second scan to count them (utf8.RuneCountInString
// decodes every Arabic letter) cost a third more. A stray continuation
// byte is not counted: an invalid text may get a wrong count, never a
// panic.
func Terms(s string, fn func(term string)) {
	start, n := 0, 0 // the word being read starts at s[start]; n code points so far
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			term(s[start:i], n, fn)
			start, n = i+1, 0
		case c&0xC0 != 0x80: // a byte that starts a code point
			n++
		}
	}
	term(s[start:], n, fn)
}

// term calls fn with the stem of the word w of n code points, unless it is
// a stop word or a lone character.
func term(w string, n int, fn func(term string)) {
	if n < 2 || IsStopWord(w) {
		return
	}
	fn(stem(w, n))
}
