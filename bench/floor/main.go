// Command floor measures what any tool must spend: reading the JSONL corpus
// and hashing every 5-shingle of its raw text with xxhash64, on one core.
//
//	go run ./bench/floor corpus.jsonl
//	go run ./bench/floor -read-only corpus.jsonl
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/shingle"
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
			hashes = shingle.Append(hashes[:0], d.Text, shingle.DefaultK)
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
