// Package arabic normalizes Arabic text and splits it into word tokens.
//
// Arabic news reaches a corpus in many encodings of the same words: vocalized
// or not, stretched with tatweel, with hamza written or omitted on alef, with
// ى/ي and ة/ه used interchangeably, typed on Persian keyboards, copied from
// PDFs as presentation forms, wrapped in invisible bidi marks, with
// Arabic-Indic or ASCII digits. None of these differences makes two reports
// different, so a [Normalizer] removes all of them before texts are compared.
//
// The steps, in order (S1–S10 of the project's normalization spec):
//
//	S1  delete the isolated/medial harakat presentation forms U+FE70–U+FE7F
//	    but U+FE73 and U+FE75, which are not harakat (NFKC would turn the
//	    others into SPACE+mark and split words), and expand
//	    the bismillah ligature U+FDFD
//	S2  Unicode NFKC: presentation forms, lam-alef ligatures, fullwidth forms
//	S3  delete format characters (Cf: bidi marks, ZWJ, ZWNJ, BOM, soft hyphen),
//	    U+034F and variation selectors; ZWNJ may become a space instead
//	S4  delete harakat, tanwin, shadda, sukun, dagger alef, Quranic marks,
//	    tatweel and the Extended-A marks
//	S5  fold alef variants to ا, ى to ي, ة to ه, Persian and Urdu letters
//	S6  hamza on a seat: keep, make uniform (ء) or drop to the seat letter
//	S7  every decimal digit to its ASCII digit
//	S8  simple lowercase
//	S9  punctuation to a space, deleted, kept, or folded to ASCII
//	S10 every run of white space and controls becomes one space; no leading
//	    or trailing space
//
// Invalid UTF-8 is replaced by U+FFFD first. The result is idempotent:
// normalizing it again returns it unchanged.
package arabic

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Punct says what a [Normalizer] does with punctuation (Unicode P*).
type Punct uint8

const (
	PunctSpace  Punct = iota // replace by a space (the default)
	PunctDelete              // remove
	PunctKeep                // keep as is
	PunctFold                // fold Arabic and typographic forms to ASCII, keep the rest
)

// Hamza says what a [Normalizer] does with hamza on a seat (ؤ ئ).
type Hamza uint8

const (
	HamzaKeep    Hamza = iota // leave ؤ and ئ alone (the default)
	HamzaUniform              // ؤ and ئ become ء
	HamzaSeat                 // ؤ becomes و and ئ becomes ي
)

// Options selects the variant and risky folds. The zero value is not the
// default profile: use [DefaultOptions].
type Options struct {
	ZWNJSpace  bool  // U+200C becomes a space instead of being deleted
	Persian    bool  // fold Persian and Urdu letters (ک ی ے ۀ ہ ھ …)
	TehMarbuta bool  // fold ة to ه
	Hamza      Hamza // hamza on a seat
	Digits     bool  // fold every decimal digit to ASCII
	Lower      bool  // lowercase
	Punct      Punct // punctuation
}

// DefaultOptions returns the default profile of the spec.
func DefaultOptions() Options {
	return Options{Persian: true, TehMarbuta: true, Digits: true, Lower: true}
}

// ParsePunct parses "space", "delete", "keep" or "fold".
func ParsePunct(s string) (Punct, bool) {
	switch s {
	case "space":
		return PunctSpace, true
	case "delete":
		return PunctDelete, true
	case "keep":
		return PunctKeep, true
	case "fold":
		return PunctFold, true
	}
	return 0, false
}

// String returns the name ParsePunct accepts.
func (p Punct) String() string {
	if p > PunctFold {
		return fmt.Sprintf("Punct(%d)", p)
	}
	return [...]string{"space", "delete", "keep", "fold"}[p]
}

// ParseHamza parses "keep", "uniform" or "seat".
func ParseHamza(s string) (Hamza, bool) {
	switch s {
	case "keep":
		return HamzaKeep, true
	case "uniform":
		return HamzaUniform, true
	case "seat":
		return HamzaSeat, true
	}
	return 0, false
}

// String returns the name ParseHamza accepts.
func (h Hamza) String() string {
	if h > HamzaSeat {
		return fmt.Sprintf("Hamza(%d)", h)
	}
	return [...]string{"keep", "uniform", "seat"}[h]
}

// A Normalizer normalizes text with fixed options. It is safe for
// concurrent use.
type Normalizer struct {
	opt Options
	// mapped holds mapRune of every code point below tableSize, under opt:
	// ASCII and the Arabic block are almost all of Arabic text, and a
	// table look-up replaces the branches that mapRune takes per code point.
	mapped *[tableSize]rune
}

// tableSize bounds the code points whose mapping a Normalizer tabulates:
// ASCII to the end of the Arabic block.
const tableSize = 0x700

// NewNormalizer returns a Normalizer with the given options.
func NewNormalizer(opt Options) *Normalizer {
	n := &Normalizer{opt: opt}
	var t [tableSize]rune
	for r := range rune(tableSize) {
		t[r] = n.mapRune(r)
	}
	n.mapped = &t
	return n
}

// Options returns the normalizer's options.
func (n *Normalizer) Options() Options { return n.opt }

const bismillah = "بسم الله الرحمن الرحيم"

// String returns the normalized form of s.
func (n *Normalizer) String(s string) string {
	return string(n.Append(nil, s))
}

// Append appends the normalized form of s to dst and returns the extended
// buffer. Reusing dst across calls avoids allocation in the last pass.
func (n *Normalizer) Append(dst []byte, s string) []byte {
	// Most text is inert: NFKC would leave it as it is, so it is folded
	// directly, in the same pass that checks it. An inert s is valid
	// UTF-8: an invalid byte reads as U+FFFD, which is not inert.
	start := len(dst)
	if dst, ok := n.fold(dst, s, true); ok {
		return dst
	}
	return n.appendNFKC(dst[:start], strings.ToValidUTF8(s, "\uFFFD"))
}

// AppendLines is Append, but it also appends to ends, for each line of s
// (split at '\n') whose normalized form is not empty, the offset in dst at
// which that form ends. The text appended is Append's: no step of the
// normalization reaches across a line break, which becomes the space
// between two lines. Where a line ends, a paragraph of news usually does:
// knowing them lets two texts be compared on the passages each does not
// share with the other (see package tfidf).
func (n *Normalizer) AppendLines(dst []byte, ends []int, s string) ([]byte, []int) {
	start := len(dst)
	for more := true; more; {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			more = false
		}
		mark := len(dst)
		if mark > start {
			dst = append(dst, ' ')
		}
		if out := n.Append(dst, line); len(out) > len(dst) {
			dst = out
			ends = append(ends, len(dst))
		} else {
			dst = out[:mark]
		}
	}
	return dst, ends
}

// appendNFKC is Append's path through NFKC, for valid UTF-8 s.
func (n *Normalizer) appendNFKC(dst []byte, s string) []byte {
	start := len(dst)
	s = preNFKC(s)
	s = norm.NFKC.String(s)
	dst, _ = n.fold(dst, s, false)
	// Deleting marks (S4) can bring together two code points that NFKC
	// composes; one more pass in the rare case this happens keeps the
	// result idempotent.
	if out := dst[start:]; !norm.NFKC.IsNormal(out) {
		again := norm.NFKC.String(string(out))
		dst, _ = n.fold(dst[:start], again, false)
	}
	return dst
}

// inertTable marks the code points below 0x3000 that NFKC leaves alone in
// any context: their own NFKC form, not a combining mark that reorders,
// and nothing composes with them from before (what could compose with them
// from after is itself not inert). The S4 marks that do not compose
// are inert too for our purposes: NFKC might reorder them, but S4 deletes
// them. Checking this table is some twenty times faster than NFKC's own
// quick check, and almost all Arabic news text passes it.
var inertTable = func() (t [0x3000]bool) {
	for r := range rune(len(t)) {
		if norm.NFKC.String(string(r)) != string(r) || isS1(r) {
			continue
		}
		p := norm.NFKC.PropertiesString(string(r))
		switch {
		case 0x0653 <= r && r <= 0x0655: // compose with alef, waw, yeh
		case isMark(r):
			t[r] = true
		default:
			t[r] = p.BoundaryBefore() && p.CCC() == 0
		}
	}
	return t
}()

// isInert reports whether NFKC leaves r alone for the purpose of
// normalization: r is ASCII or in inertTable.
func isInert(r rune) bool {
	return r < utf8.RuneSelf || r < rune(len(inertTable)) && inertTable[r]
}

// preNFKC applies S1.
func preNFKC(s string) string {
	if !strings.ContainsFunc(s, isS1) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 0xFDFD:
			b.WriteString(bismillah)
		case isS1(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isS1(r rune) bool {
	return r == 0xFDFD || r == 0xFE70 || r == 0xFE71 || r == 0xFE72 || r == 0xFE74 || (r >= 0xFE76 && r <= 0xFE7F)
}

// fold applies S3–S10 to the NFKC text s, appending to dst. With inert,
// s need not be NFKC: fold stops, and ok is false, at the first code point
// that is not inert (s must then go through NFKC first).
func (n *Normalizer) fold(dst []byte, s string, inert bool) (_ []byte, ok bool) {
	base := len(dst)
	space := false // a separator is pending
	for i := 0; i < len(s); {
		// A run of two-byte code points that map to two-byte code points
		// (the letters of an Arabic word) is copied by a tight loop. One
		// code point at a time, the branches on its kind (ASCII or a
		// letter, a separator or not, a space pending) went the other way
		// at both ends of every word, and were mispredicted there; the
		// loop's exit is the one branch a word now costs. What it leaves
		// (a space, a mark, anything else) goes through the code below.
		for n.mapped != nil && i+1 < len(s) && s[i]-0xC2 <= 0xDF-0xC2 && s[i+1]&0xC0 == 0x80 {
			r := rune(s[i]&0x1F)<<6 | rune(s[i+1]&0x3F)
			if r >= tableSize || inert && !isInert(r) {
				break
			}
			m := n.mapped[r]
			if m < 0x80 || m >= 0x800 { // dropped, a separator, or of another length
				break
			}
			if space && len(dst) > base {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, byte(0xC0|m>>6), byte(0x80|m&0x3F))
			i += 2
		}
		if i == len(s) {
			break
		}
		// Decoded as a range over s does, but with the two-byte code
		// points (Arabic letters) inline, and encoded so below: the calls
		// to decode and encode each were 45% of fold's time.
		c := s[i]
		r, w := rune(c), 1
		switch {
		case c < utf8.RuneSelf:
		case 0xC2 <= c && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			r, w = rune(c&0x1F)<<6|rune(s[i+1]&0x3F), 2
		default:
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		i += w
		if inert && !isInert(r) {
			return dst, false
		}
		if r < tableSize && n.mapped != nil {
			r = n.mapped[r]
		} else {
			r = n.mapRune(r)
		}
		switch r {
		case drop:
			continue
		case sep:
			space = true
			continue
		}
		if space && len(dst) > base {
			dst = append(dst, ' ')
		}
		space = false
		if 0x80 <= r && r < 0x800 {
			dst = append(dst, byte(0xC0|r>>6), byte(0x80|r&0x3F))
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, true
}

// Sentinels returned by mapRune.
const (
	drop rune = -1 // delete the code point
	sep  rune = -2 // the code point separates words
)

// mapRune applies S3–S9 to one code point and classifies separators (S10).
func (n *Normalizer) mapRune(r rune) rune {
	o := &n.opt
	if r < 0x80 { // ASCII fast path
		switch {
		case r <= ' ' || r == 0x7F:
			return sep
		case 'A' <= r && r <= 'Z':
			if o.Lower {
				return r + ('a' - 'A')
			}
			return r
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return r
		}
		if unicode.IsPunct(r) {
			return n.punct(r)
		}
		return r
	}
	if 0x0621 <= r && r <= 0x064A && r != 0x0640 && !(0x063B <= r && r <= 0x063F) {
		return n.letter(r)
	}
	switch {
	case r == 0x200C: // ZWNJ
		if o.ZWNJSpace {
			return sep
		}
		return drop
	case unicode.Is(unicode.Cf, r), r == 0x034F, 0xFE00 <= r && r <= 0xFE0F: // S3
		return drop
	case isMark(r): // S4
		return drop
	}
	switch r {
	case 0x0671, 0x0672, 0x0673:
		return 0x0627
	case 0x06C3:
		if o.TehMarbuta {
			return 0x0647
		}
		return 0x0629
	}
	if o.Persian {
		switch r {
		case 0x06A9:
			return 0x0643
		case 0x06CC, 0x06D2:
			return 0x064A
		case 0x06D3:
			return n.yehHamza()
		case 0x06C0, 0x06C1, 0x06C2, 0x06BE:
			return 0x0647
		}
	}
	switch {
	case unicode.IsDigit(r): // S7
		if o.Digits {
			return '0' + digitValue(r)
		}
		return r
	case unicode.IsPunct(r): // S9
		return n.punct(r)
	case r == 0x2212 && o.Punct == PunctFold:
		// S9 folds the minus sign with the dashes, though Unicode files
		// it under symbols (Sm), not punctuation.
		return '-'
	case unicode.Is(unicode.White_Space, r), unicode.IsControl(r): // S10
		return sep
	}
	if o.Lower { // S8
		return unicode.ToLower(r)
	}
	return r
}

// letter applies S5 and S6 to a letter of the basic Arabic block
// (U+0621–U+064A), the common case, which needs no Unicode table.
func (n *Normalizer) letter(r rune) rune {
	switch r {
	case 0x0622, 0x0623, 0x0625:
		return 0x0627
	case 0x0649:
		return 0x064A
	case 0x0629:
		if n.opt.TehMarbuta {
			return 0x0647
		}
	case 0x0624:
		switch n.opt.Hamza {
		case HamzaUniform:
			return 0x0621
		case HamzaSeat:
			return 0x0648
		}
	case 0x0626:
		return n.yehHamza()
	}
	return r
}

// yehHamza maps ئ (and Urdu ۓ, which folds to it) under the hamza option.
func (n *Normalizer) yehHamza() rune {
	switch n.opt.Hamza {
	case HamzaUniform:
		return 0x0621
	case HamzaSeat:
		return 0x064A
	}
	return 0x0626
}

// isMark reports whether r is an S4 code point: harakat, tanwin, shadda,
// sukun, dagger alef, Quranic marks, tatweel, Extended-A marks.
func isMark(r rune) bool {
	switch {
	case 0x064B <= r && r <= 0x065F, r == 0x0670, 0x0610 <= r && r <= 0x061A,
		0x06D6 <= r && r <= 0x06ED, r == 0x0640,
		0x0898 <= r && r <= 0x089F, 0x08CA <= r && r <= 0x08E1, 0x08E3 <= r && r <= 0x08FF:
		return true
	}
	return false
}

// digitValue returns the value of the decimal digit r. Unicode allocates
// decimal digits in contiguous runs of ten starting at zero, so the value is
// the distance from the start of r's run, modulo ten.
func digitValue(r rune) rune {
	start := r
	for start > 0 && unicode.IsDigit(start-1) && r-start < 100 {
		start--
	}
	return (r - start) % 10
}

// punct applies S9 to the punctuation code point r.
func (n *Normalizer) punct(r rune) rune {
	switch n.opt.Punct {
	case PunctDelete:
		return drop
	case PunctKeep:
		return r
	case PunctFold:
		return foldPunct(r)
	}
	return sep
}

func foldPunct(r rune) rune {
	switch r {
	case '،', '٬':
		return ','
	case '؛':
		return ';'
	case '؟':
		return '?'
	case '۔', '٫':
		return '.'
	case '٪':
		return '%'
	case '٭':
		return '*'
	case '«', '»', '“', '”', '„', '‟':
		return '"'
	case '‘', '’', '‚', '‛', '‹', '›':
		return '\''
	}
	if 0x2010 <= r && r <= 0x2015 {
		return '-'
	}
	return r
}
