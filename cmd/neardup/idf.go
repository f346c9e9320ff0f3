package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/neardup/neardup"
	"github.com/neardup/neardup/arabic"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/tfidf"
)

func runIDF(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("idf", stdout, "zcat news.jsonl.gz | neardup idf --out tfidf/news-idf.txt.gz -")
	out := fs.StringP("out", "o", "-", "write the table to `FILE` (gzip-compressed if it ends in .gz); - is standard output")
	in := addInputFlags(fs)
	minDF := fs.Int("min-df", 3, "keep terms held by at least this many documents")
	odd := addOddFlags(fs)
	normOpts := normFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no input: give files, directories or - for standard input")}
	}
	if *minDF < 1 {
		return usageError{fmt.Errorf("--min-df %d: must be at least 1", *minDF)}
	}
	cfg := neardup.DefaultConfig()
	odd.set(&cfg)
	if err := cfg.Check(); err != nil {
		return usageError{err}
	}
	opt, err := normOpts()
	if err != nil {
		return err
	}
	outs, err := openOutputs(stdout, runPaths{inputs: fs.Args(), glob: *in.glob}, *out)
	if err != nil {
		return err
	}
	defer abortAll(outs)
	w := outs[0]
	n := arabic.NewNormalizer(opt)
	ropt, err := in.options(stdin)
	if err != nil {
		return err
	}
	ropt.NoRaw = true
	src := corpus.NewReader(fs.Args(), ropt)
	defer src.Close()
	t := tfidf.NewTable()
	names := make(map[uint32]string)
	// Odd input is treated as the pipeline treats it; ids are not read,
	// so a repeated one is counted as any other document (as copies are).
	var st neardup.Stats
	err = neardup.ForEach(src, cfg, &st.Skipped, func(d *corpus.Document) error {
		if err := st.Admit(d, cfg); err != nil {
			return inputError{err}
		}
		text := n.String(d.Text)
		arabic.Terms(text, func(term string) { names[tfidf.Hash(term)] = term })
		t.Add(tfidf.NewBag(text))
		return nil
	})
	if err != nil {
		return err
	}
	var dst io.Writer = w
	var zw *gzip.Writer
	if strings.HasSuffix(*out, ".gz") {
		zw, _ = gzip.NewWriterLevel(w, gzip.BestCompression)
		dst = zw
	}
	terms, err := t.Write(dst, names, *minDF)
	if err != nil {
		return w.writeError(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return w.writeError(err)
		}
	}
	if err := w.commit(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "neardup idf: %d documents, %d terms held by at least %d (of %d)\n", t.Docs(), terms, *minDF, t.Terms())
	printNotices(stderr, st)
	return nil
}
