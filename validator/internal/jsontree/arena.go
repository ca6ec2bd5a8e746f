package jsontree

// Arena recycles the maps and slices of decoded trees between documents.
// Allocating and then collecting the ~35 small maps of a typical bundle is
// most of the cost of decoding it; a validator that is done with a tree can
// hand its containers back with Release and the next DecodeArena reuses
// them. An Arena is not safe for concurrent use: keep one per goroutine
// (a sync.Pool does).
type Arena struct {
	freeMaps []map[string]any
	usedMaps []map[string]any
	freeArrs [][]any
	usedArrs [][]any
	path     []pathElem // the decoder's path stack, kept between documents
}

// Containers larger than this are not kept (a huge document must not pin
// its memory in the pool), nor more than maxFree of each kind.
const (
	maxRecycledLen = 64
	maxFree        = 1 << 12
)

func (a *Arena) newMap() map[string]any {
	var m map[string]any
	if n := len(a.freeMaps); n > 0 {
		m = a.freeMaps[n-1]
		a.freeMaps = a.freeMaps[:n-1]
	} else {
		m = make(map[string]any)
	}
	a.usedMaps = append(a.usedMaps, m)
	return m
}

func (a *Arena) newArr() []any {
	if n := len(a.freeArrs); n > 0 {
		s := a.freeArrs[n-1]
		a.freeArrs = a.freeArrs[:n-1]
		return s
	}
	return make([]any, 0, 4)
}

// doneArr records the final slice of an array (append may have moved it).
func (a *Arena) doneArr(s []any) { a.usedArrs = append(a.usedArrs, s) }

// Release takes back every container handed out since the last Release.
// Trees decoded with this arena must not be used afterwards.
func (a *Arena) Release() {
	// Backwards, so that newMap, which takes from the end, hands out the
	// maps in the order the last document created them: documents of one
	// shape then get back a map of the right size at each place (the root's
	// large table for the root) and no map has to grow again.
	for i := len(a.usedMaps) - 1; i >= 0; i-- {
		m := a.usedMaps[i]
		if len(m) <= maxRecycledLen && len(a.freeMaps) < maxFree {
			clear(m)
			a.freeMaps = append(a.freeMaps, m)
		}
	}
	clear(a.usedMaps)
	a.usedMaps = a.usedMaps[:0]
	for _, s := range a.usedArrs {
		if cap(s) <= maxRecycledLen && len(a.freeArrs) < maxFree {
			clear(s) // drop references so the old values can be collected
			a.freeArrs = append(a.freeArrs, s[:0])
		}
	}
	clear(a.usedArrs)
	a.usedArrs = a.usedArrs[:0]
}

// DecodeArena is Decode taking containers from a. Call a.Release when done
// with the tree.
func DecodeArena(data []byte, lim Limits, a *Arena) (root any, problems []Problem) {
	return decode(data, lim, a)
}
