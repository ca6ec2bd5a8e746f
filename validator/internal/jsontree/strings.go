package jsontree

import "unsafe"

// Strings of a document without escapes are not copied one by one: the
// decoder copies the whole input once (the first time it needs a string
// that is not interned) and the strings point into that copy. The copy is
// never written after it is made and is new for every document, so the
// strings are ordinary immutable Go strings that can outlive the tree (and
// the caller's buffer, which may be reused for the next file); the price of
// keeping one of them is keeping the copy. Boxing a string into an
// interface value normally allocates its header on its own; headers are
// taken from blocks instead, also never reused. Together this turns about
// two allocations per string value into a few per document.

// stringHeaders is how many boxed string headers one block holds.
const stringHeaders = 32

// sub returns data[start:end] as a string that shares the document's copy.
func (d *decoder) sub(start, end int) string {
	if start == end {
		return ""
	}
	if d.own == nil {
		d.own = make([]byte, len(d.data))
		copy(d.own, d.data)
	}
	return unsafe.String(&d.own[start], end-start)
}

// eface is the layout of an empty interface value.
type eface struct {
	typ, data unsafe.Pointer
}

// stringType is the type word of an interface holding a string.
var stringType = func() unsafe.Pointer {
	var x any = ""
	return (*eface)(unsafe.Pointer(&x)).typ
}()

// box returns s as an interface value whose header lives in the current
// block, exactly what any(s) gives but without an allocation of its own.
func (d *decoder) box(s string) any {
	if len(d.hdrs) == cap(d.hdrs) {
		d.hdrs = make([]string, 0, stringHeaders)
	}
	d.hdrs = append(d.hdrs, s)
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ = stringType
	e.data = unsafe.Pointer(&d.hdrs[len(d.hdrs)-1])
	return x
}
