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

// stopWords is Lucene's Arabic stop list (Jacques Savoy, BSD) in normalized
// form: the 88 forms it collapses to.
var stopWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`من ومن منها منه في وفي فيها فيه و ف ثم او ب بها به ا اي لا ولا الا لكن ما وما كما فما عن مع اذا ان انها انه بان فان وان التي الذي الذين الي علي عليها عليه اما ايضا كل وكل لم ولم لن ولن هي هو وهي وهو فهي فهو انت لك لها له هذه هذا تلك ذلك هناك كانت كان يكون تكون وكانت وكان غير بعض قد نحو بين بينما منذ ضمن حيث الان خلال بعد قبل حتي عند عندما لدي جميع`) {
		m[w] = true
	}
	return m
}()

// maxStopBytes is the length in bytes of the longest stop word: longer
// words need no lookup.
const maxStopBytes = 10

// IsStopWord reports whether the normalized word w is on the Arabic stop list.
func IsStopWord(w string) bool { return len(w) <= maxStopBytes && stopWords[w] }

// runeCount is utf8.RuneCountInString for valid UTF-8, as normalized text
// is: the bytes that start a code point. It is several times faster on
// Arabic, where every letter takes two bytes and RuneCountInString decodes
// each one. (A stray continuation byte is not counted; an invalid text
// gets a wrong count, never a panic.)
func runeCount(w string) int {
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// Terms calls fn with the stem of each word of the normalized text s that is
// not a stop word and not a lone character: the word tokens of TF-IDF.
func Terms(s string, fn func(term string)) {
	Words(s, func(w string) {
		n := runeCount(w)
		if n < 2 || IsStopWord(w) {
			return
		}
		fn(stem(w, n))
	})
}
