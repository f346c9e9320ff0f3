package arabic_test

import (
	"fmt"

	"github.com/neardup/neardup/arabic"
)

func ExampleNormalizer() {
	n := arabic.NewNormalizer(arabic.DefaultOptions())
	fmt.Println(n.String("قالَ الرئيسُ «إنّ الاقتصادَ ينمـــو بنسبة ٣٫٥٪ في عام ٢٠٢٤»."))
	// Output: قال الرئيس ان الاقتصاد ينمو بنسبه 3 5 في عام 2024
}

func ExampleTerms() {
	arabic.Terms("والكتاب في المكتبات", func(t string) { fmt.Println(t) })
	// Output:
	// كتاب
	// مكتب
}
