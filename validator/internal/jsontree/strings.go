package jsontree

import (
	"encoding/json"
	"unsafe"
)

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
		d.own = append([]byte(nil), d.data...) // not zeroed first, unlike make
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

// numberType is the type word of an interface holding a json.Number.
var numberType = func() unsafe.Pointer {
	var x any = json.Number("")
	return (*eface)(unsafe.Pointer(&x)).typ
}()

// box returns s as an interface value whose header lives in the current
// block, exactly what any(s) gives but without an allocation of its own.
func (d *decoder) box(s string) any { return d.boxAs(stringType, s) }

// boxNumber is box for a number literal: any(json.Number(s)).
func (d *decoder) boxNumber(s string) any { return d.boxAs(numberType, s) }

// boxAs boxes s as a value of typ, a string type (string or json.Number,
// which share the layout).
func (d *decoder) boxAs(typ unsafe.Pointer, s string) any {
	if len(d.hdrs) == cap(d.hdrs) {
		d.hdrs = make([]string, 0, stringHeaders)
	}
	d.hdrs = append(d.hdrs, s)
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ = typ
	e.data = unsafe.Pointer(&d.hdrs[len(d.hdrs)-1])
	return x
}
