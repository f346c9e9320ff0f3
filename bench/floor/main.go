// Command floor measures what any tool must spend: reading the JSONL corpus
// and hashing every 5-shingle of its raw text with xxhash64, on one core.
//
//	go run ./bench/floor corpus.jsonl
//	go run ./bench/floor -read-only corpus.jsonl
package main

import (
	"flag"
	"fmt"
	"math/bits"
	"os"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/cespare/xxhash/v2"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/shingle"
	asmutf8 "github.com/segmentio/asm/utf8"
)

func main() {
	readOnly := flag.Bool("read-only", false, "read the documents, hash nothing")
	flag.Parse()
	start := time.Now()
	var docs, shingles int
	var sum uint64
	var hashes []uint64
	err := corpus.ForEach(corpus.NewReader(flag.Args(), corpus.Options{}), func(d *corpus.Document) error {
		docs++
		if !*readOnly {
			hashes = appendXXH(hashes[:0], d.Text, shingle.DefaultK)
			shingles += len(hashes)
			for _, h := range hashes {
				sum ^= h
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	el := time.Since(start)
	fmt.Printf("%d documents, %d shingles (checksum %x) in %.2fs: %.0f documents/s\n",
		docs, shingles, sum, el.Seconds(), float64(docs)/el.Seconds())
}

// appendXXH appends the xxhash64 of every k-gram of code points of s to
// dst: the floor's hash, as the issue defines it, and the loop neardup's
// shingles were hashed with before their rolling hash (see
// shingle.Hash). Both ends of the k-gram step one code point at a time;
// on valid UTF-8 a code point's length is read from a table by its first
// byte.
func appendXXH(dst []uint64, s string, k int) []uint64 {
	if s == "" {
		return dst
	}
	end := 0
	for range k {
		if end == len(s) {
			return append(dst, xxhash.Sum64String(s)) // shorter than k
		}
		_, w := utf8.DecodeRuneInString(s[end:])
		end += w
	}
	if asmutf8.Valid(unsafe.Slice(unsafe.StringData(s), len(s))) {
		for start := 0; ; {
			dst = append(dst, xxhash.Sum64String(s[start:end]))
			if end == len(s) {
				return dst
			}
			start += int(leadWidth[s[start]])
			end += int(leadWidth[s[end]])
		}
	}
	for start := 0; ; {
		dst = append(dst, xxhash.Sum64String(s[start:end]))
		if end == len(s) {
			return dst
		}
		_, w := utf8.DecodeRuneInString(s[start:])
		start += w
		_, w = utf8.DecodeRuneInString(s[end:])
		end += w
	}
}

// leadWidth is the length of a code point of valid UTF-8 by its first
// byte: its leading ones, or 1 for ASCII and continuation bytes.
var leadWidth = func() (w [256]uint8) {
	for b := range w {
		w[b] = uint8(max(1, bits.LeadingZeros8(^uint8(b))))
		if b < 0xc0 {
			w[b] = 1
		}
	}
	return w
}()
