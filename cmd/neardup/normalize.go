package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/neardup/neardup/arabic"
)

func runNormalize(args []string, stdin io.Reader, stdout, _ io.Writer) error {
	fs := newFlags("normalize", stdout, "echo 'قالَ الرئيسُ «إنّ الاقتصادَ ينمـــو»' | neardup normalize")
	normOpts := normFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("normalize reads standard input and takes no arguments")}
	}
	opt, err := normOpts()
	if err != nil {
		return err
	}
	n := arabic.NewNormalizer(opt)
	br := bufio.NewReader(stdin)
	bw := bufio.NewWriter(stdout)
	var buf []byte
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 {
			buf = n.Append(buf[:0], line)
			buf = append(buf, '\n')
			if _, werr := bw.Write(buf); werr != nil {
				return fmt.Errorf("write standard output: %w", werr)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read standard input: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write standard output: %w", err)
	}
	return nil
}
