package shingle_test

import (
	"fmt"

	"github.com/neardup/neardup/shingle"
)

func ExampleAppend() {
	hashes := shingle.Append(nil, "مرحبا بكم", 5)
	fmt.Println(len(hashes), shingle.Count("مرحبا بكم", 5))
	// Output: 5 5
}
