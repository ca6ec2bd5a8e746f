package schemadiff

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"
)

// Class says what a change does to documents.
type Class string

// Classes, from the most to the least harmful.
const (
	Breaking      Class = "breaking"
	SilentRemoval Class = "silent-removal"
	Relaxing      Class = "relaxing"
	Additive      Class = "additive"
)

func (c Class) rank() int {
	switch c {
	case Breaking:
		return 3
	case SilentRemoval:
		return 2
	case Relaxing:
		return 1
	}
	return 0
}

// Change is one difference between the two schema sets.
type Change struct {
	// Pointer is file#RFC-6901-pointer of the changed schema node: in the
	// old set for removals and modifications, in the new set for additions.
	Pointer string `json:"pointer"`
	Change  string `json:"change"` // what changed, e.g. "enum value removed"
	Class   Class  `json:"class"`
	Detail  string `json:"detail"` // values, and the document path affected
}

// Kinds whose root schemas are compared first, so that shared definitions
// are reported with the document path of a real document kind.
var kindFiles = []string{
	"bundle.schema.json", "claim.schema.json", "claim-result.schema.json",
	"dependencies.schema.json", "parameter-sources.schema.json",
	"relocation-mapping.schema.json", "status.schema.json",
}

func isKindFile(name string) bool {
	for _, k := range kindFiles {
		if k == name {
			return true
		}
	}
	return false
}

// Compare returns every change from old to new, in a stable order.
func Compare(old, new *Set) []Change {
	d := &differ{old: old, new: new, seen: map[string]bool{}}
	names := map[string]bool{}
	for n := range old.files {
		names[n] = true
	}
	for n := range new.files {
		names[n] = true
	}
	ordered := make([]string, 0, len(names))
	for n := range names {
		ordered = append(ordered, n)
	}
	sort.Slice(ordered, func(i, j int) bool {
		ki, kj := isKindFile(ordered[i]), isKindFile(ordered[j])
		if ki != kj {
			return ki
		}
		return ordered[i] < ordered[j]
	})
	for _, n := range ordered {
		of, nf := old.files[n], new.files[n]
		switch {
		case of != nil && nf != nil:
			inst := ""
			if !isKindFile(n) {
				inst = "?" // a helper file: which documents it shapes is unknown from here
			}
			d.schema(loc{f: of, val: of.root}, loc{f: nf, val: nf.root}, inst)
		case of != nil:
			if isKindFile(n) {
				d.add(n+"#", "schema file removed", Breaking, "documents of this kind can no longer be validated")
			} else {
				d.add(n+"#", "schema file removed", Relaxing, "helper schema no longer in the set; what it constrained is compared at each $ref that used it")
			}
		default:
			d.add(n+"#", "schema file added", Additive, "new schema "+n)
		}
	}
	return d.out
}

type differ struct {
	old, new *Set
	seen     map[string]bool
	out      []Change
}

func (d *differ) add(ptr, change string, class Class, detail string) {
	d.out = append(d.out, Change{Pointer: ptr, Change: change, Class: class, Detail: detail})
}

func at(inst string) string {
	switch inst {
	case "?":
		return ""
	case "":
		return " (document root)"
	}
	return " (document path " + inst + ")"
}

// maxRefHops bounds $ref chains ($ref to a $ref ...); longer is a loop.
const maxRefHops = 32

func (d *differ) deref(s *Set, l loc) (loc, string, bool) {
	ref := ""
	for range maxRefHops {
		m, ok := l.val.(map[string]any)
		if !ok {
			return l, ref, true
		}
		r, ok := m["$ref"].(string)
		if !ok {
			return l, ref, true
		}
		t, ok := s.resolve(l.f, r)
		if !ok {
			return l, r, false
		}
		if ref == "" {
			ref = r
		}
		l = t
	}
	return l, ref, false
}

// schema compares two schema nodes that document path inst must satisfy.
func (d *differ) schema(o, n loc, inst string) {
	oref, nref := refOf(o.val), refOf(n.val)
	if oref != "" || nref != "" {
		ot, _, ook := d.deref(d.old, o)
		nt, _, nok := d.deref(d.new, n)
		switch {
		case !ook || !nok:
			// One side points outside the set: only the reference text can
			// be compared.
			if oref != nref {
				d.add(o.child("$ref").String(), "$ref target changed", Breaking,
					fmt.Sprintf("%s -> %s; the target cannot be resolved offline, so assume the worst%s", show(oref), show(nref), at(inst)))
			}
			return
		case retargeted(o, n, ot, nt, oref, nref):
			// Retargeted: compare the targets and let the worst of their
			// differences classify the retargeting itself.
			sub := &differ{old: d.old, new: d.new, seen: d.seen}
			sub.schema(ot, nt, inst)
			if len(sub.out) == 0 {
				return // a restructuring with equivalent targets: documents cannot tell
			}
			class := Additive
			for _, c := range sub.out {
				if c.Class.rank() > class.rank() {
					class = c.Class
				}
			}
			detail := fmt.Sprintf("%d change(s) between the targets, listed below", len(sub.out))
			p := o.child("$ref").String()
			if oref == "" {
				p = n.child("$ref").String()
			}
			d.add(p, "$ref target changed", class, fmt.Sprintf("%s -> %s: %s%s", show(oref), show(nref), detail, at(inst)))
			d.out = append(d.out, sub.out...)
			return
		default:
			o, n = ot, nt
		}
	}
	key := o.String() + "|" + n.String()
	if d.seen[key] {
		return
	}
	d.seen[key] = true

	if isFalse(o.val) != isFalse(n.val) {
		if isFalse(n.val) {
			d.add(n.String(), "schema became false", Breaking, "nothing is accepted any more"+at(inst))
		} else {
			d.add(o.String(), "schema no longer false", Relaxing, "values are accepted again"+at(inst))
		}
		return
	}
	om, ook := asSchema(o.val)
	nm, nok := asSchema(n.val)
	if !ook || !nok {
		return // not a schema (a malformed file); nothing sound to say
	}
	// Compare effective keywords; child pointers still name the nodes.
	om, nm = d.old.normalize(o.f, om), d.new.normalize(n.f, nm)
	if om == nil {
		om = map[string]any{}
	}
	if nm == nil {
		nm = map[string]any{}
	}
	o.val, n.val = om, nm

	d.types(o, n, om, nm, inst)
	d.values(o, n, om, nm, "enum", inst)
	d.values(o, n, om, nm, "const", inst)
	d.pattern(o, n, om, nm, inst)
	d.format(o, n, om, nm, inst)
	for _, k := range []string{"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"} {
		d.bound(o, n, om, nm, k, true, inst)
	}
	for _, k := range []string{"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"} {
		d.bound(o, n, om, nm, k, false, inst)
	}
	d.multipleOf(o, n, om, nm, inst)
	d.uniqueItems(o, n, om, nm, inst)
	d.required(o, n, om, nm, inst)
	d.properties(o, n, om, nm, inst)
	d.additional(o, n, om, nm, inst)
	d.subschema(o, n, om, nm, "propertyNames", inst+"/{key}", inst)
	d.subschema(o, n, om, nm, "contains", inst+"/*", inst)
	d.subschema(o, n, om, nm, "additionalItems", inst+"/*", inst)
	d.subschema(o, n, om, nm, "not", inst, inst)
	d.subschema(o, n, om, nm, "if", inst, inst)
	d.subschema(o, n, om, nm, "then", inst, inst)
	d.subschema(o, n, om, nm, "else", inst, inst)
	d.items(o, n, om, nm, inst)
	d.list(o, n, om, nm, "allOf", Breaking, Relaxing, inst)
	d.list(o, n, om, nm, "anyOf", Relaxing, Breaking, inst)
	d.list(o, n, om, nm, "oneOf", Relaxing, Breaking, inst)
	d.dependencies(o, n, om, nm, inst)
}

// retargeted reports whether a $ref now leads somewhere else. The same
// reference text leading to the same pointer is not a retargeting even when
// the files differ (a "#" inside two different meta-schemas being compared),
// as long as both stay within, or both leave, the file they start from.
func retargeted(o, n, ot, nt loc, oref, nref string) bool {
	if oref != nref || ot.ptr != nt.ptr {
		return true
	}
	oSelf, nSelf := ot.f == o.f, nt.f == n.f
	if oSelf != nSelf {
		return true
	}
	return !oSelf && ot.f.name != nt.f.name
}

func refOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		if r, ok := m["$ref"].(string); ok {
			return r
		}
	}
	return ""
}

func show(ref string) string {
	if ref == "" {
		return "(inline schema)"
	}
	return ref
}

// asSchema returns a schema's keywords; boolean schemas have none.
func asSchema(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		return x, true
	case bool:
		return nil, true
	}
	return nil, false
}

func isFalse(v any) bool { b, ok := v.(bool); return ok && !b }

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func typeSet(v any) map[string]bool {
	out := map[string]bool{}
	switch x := v.(type) {
	case string:
		out[x] = true
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out[s] = true
			}
		}
	}
	return out
}

func covers(set map[string]bool, t string) bool {
	return set[t] || (t == "integer" && set["number"])
}

func (d *differ) types(o, n loc, om, nm map[string]any, inst string) {
	ov, oh := om["type"]
	nv, nh := nm["type"]
	switch {
	case !oh && !nh:
		return
	case !oh:
		d.add(n.child("type").String(), "type added", Breaking, "values must now be "+jsonText(nv)+at(inst))
		return
	case !nh:
		d.add(o.child("type").String(), "type removed", Relaxing, "was "+jsonText(ov)+at(inst))
		return
	}
	os, ns := typeSet(ov), typeSet(nv)
	var lost, gained []string
	for t := range os {
		if !covers(ns, t) {
			lost = append(lost, t)
		}
	}
	for t := range ns {
		if !covers(os, t) {
			gained = append(gained, t)
		}
	}
	sort.Strings(lost)
	sort.Strings(gained)
	detail := jsonText(ov) + " -> " + jsonText(nv) + at(inst)
	switch {
	case len(lost) > 0:
		d.add(o.child("type").String(), "type narrowed", Breaking, detail+"; no longer allowed: "+strings.Join(lost, ", "))
	case len(gained) > 0:
		d.add(o.child("type").String(), "type widened", Relaxing, detail+"; now allowed: "+strings.Join(gained, ", "))
	}
}

func enumValues(v any, kw string) []any {
	if kw == "const" {
		return []any{v}
	}
	if a, ok := v.([]any); ok {
		return a
	}
	return nil
}

// values compares enum and const: each a set of allowed values.
func (d *differ) values(o, n loc, om, nm map[string]any, kw, inst string) {
	ov, oh := om[kw]
	nv, nh := nm[kw]
	switch {
	case !oh && !nh:
		return
	case !oh:
		d.add(n.child(kw).String(), kw+" added", Breaking, "values limited to "+jsonText(nv)+at(inst))
		return
	case !nh:
		d.add(o.child(kw).String(), kw+" removed", Relaxing, "was "+jsonText(ov)+at(inst))
		return
	}
	oset, nset := map[string]bool{}, map[string]bool{}
	for _, e := range enumValues(ov, kw) {
		oset[canonicalValue(e)] = true
	}
	for _, e := range enumValues(nv, kw) {
		nset[canonicalValue(e)] = true
	}
	var removed, added []string
	for k := range oset {
		if !nset[k] {
			removed = append(removed, k)
		}
	}
	for k := range nset {
		if !oset[k] {
			added = append(added, k)
		}
	}
	sort.Strings(removed)
	sort.Strings(added)
	switch {
	case len(removed) > 0:
		detail := "removed " + strings.Join(removed, ", ")
		if len(added) > 0 {
			detail += "; added " + strings.Join(added, ", ")
			if len(added) == len(removed) {
				detail += " (a rename: documents using the old spelling become invalid)"
			}
		}
		d.add(o.child(kw).String(), kw+" value removed", Breaking, detail+at(inst))
	case len(added) > 0:
		d.add(o.child(kw).String(), kw+" value added", Relaxing, "added "+strings.Join(added, ", ")+at(inst))
	}
}

// canonicalValue is a comparable text for a JSON value (map keys sorted by
// encoding/json; numbers normalised so 1 and 1.0 compare equal).
func canonicalValue(v any) string {
	if n, ok := v.(json.Number); ok {
		if r, ok := new(big.Rat).SetString(string(n)); ok {
			return r.RatString()
		}
	}
	return jsonText(v)
}

var literalAlternation = regexp.MustCompile(`^\^\(([A-Za-z0-9_.+-]+(?:\|[A-Za-z0-9_.+-]+)*)\)\$$`)

// alternatives returns the literals of a pattern like ^(a|b|c)$, so that
// adding an alternative reads as relaxing rather than as an opaque change.
func alternatives(p string) (map[string]bool, bool) {
	m := literalAlternation.FindStringSubmatch(p)
	if m == nil {
		return nil, false
	}
	out := map[string]bool{}
	for _, a := range strings.Split(m[1], "|") {
		out[a] = true
	}
	return out, true
}

func (d *differ) pattern(o, n loc, om, nm map[string]any, inst string) {
	ov, oh := om["pattern"].(string)
	nv, nh := nm["pattern"].(string)
	switch {
	case !oh && !nh, oh && nh && ov == nv:
		return
	case !oh:
		d.add(n.child("pattern").String(), "pattern added", Breaking, fmt.Sprintf("strings must now match %q%s", nv, at(inst)))
		return
	case !nh:
		d.add(o.child("pattern").String(), "pattern removed", Relaxing, fmt.Sprintf("was %q%s", ov, at(inst)))
		return
	}
	if oa, ok := alternatives(ov); ok {
		if na, ok := alternatives(nv); ok {
			var lost, gained []string
			for a := range oa {
				if !na[a] {
					lost = append(lost, a)
				}
			}
			for a := range na {
				if !oa[a] {
					gained = append(gained, a)
				}
			}
			sort.Strings(lost)
			sort.Strings(gained)
			detail := fmt.Sprintf("%q -> %q%s", ov, nv, at(inst))
			if len(lost) == 0 {
				d.add(o.child("pattern").String(), "pattern widened", Relaxing, detail+"; now allowed: "+strings.Join(gained, ", "))
			} else {
				d.add(o.child("pattern").String(), "pattern narrowed", Breaking, detail+"; no longer allowed: "+strings.Join(lost, ", "))
			}
			return
		}
	}
	d.add(o.child("pattern").String(), "pattern changed", Breaking, fmt.Sprintf("%q -> %q%s", ov, nv, at(inst)))
}

func (d *differ) format(o, n loc, om, nm map[string]any, inst string) {
	ov, oh := om["format"].(string)
	nv, nh := nm["format"].(string)
	switch {
	case !oh && !nh, oh && nh && ov == nv:
	case !oh:
		d.add(n.child("format").String(), "format added", Breaking, fmt.Sprintf("values must now be %q%s", nv, at(inst)))
	case !nh:
		d.add(o.child("format").String(), "format removed", Relaxing, fmt.Sprintf("was %q%s", ov, at(inst)))
	default:
		d.add(o.child("format").String(), "format changed", Breaking, fmt.Sprintf("%q -> %q%s", ov, nv, at(inst)))
	}
}

func number(v any) (*big.Rat, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(string(n))
}

// bound compares a numeric lower (isMin) or upper bound keyword.
func (d *differ) bound(o, n loc, om, nm map[string]any, kw string, isMin bool, inst string) {
	ov, oh := number(om[kw])
	nv, nh := number(nm[kw])
	switch {
	case !oh && !nh:
	case !oh:
		d.add(n.child(kw).String(), "bound added", Breaking, fmt.Sprintf("%s %s%s", kw, nv.RatString(), at(inst)))
	case !nh:
		d.add(o.child(kw).String(), "bound removed", Relaxing, fmt.Sprintf("%s was %s%s", kw, ov.RatString(), at(inst)))
	default:
		c := nv.Cmp(ov)
		if c == 0 {
			return
		}
		detail := fmt.Sprintf("%s %s -> %s%s", kw, ov.RatString(), nv.RatString(), at(inst))
		if (c > 0) == isMin {
			d.add(o.child(kw).String(), "bound tightened", Breaking, detail)
		} else {
			d.add(o.child(kw).String(), "bound loosened", Relaxing, detail)
		}
	}
}

func (d *differ) multipleOf(o, n loc, om, nm map[string]any, inst string) {
	ov, oh := number(om["multipleOf"])
	nv, nh := number(nm["multipleOf"])
	switch {
	case !oh && !nh:
	case !oh:
		d.add(n.child("multipleOf").String(), "bound added", Breaking, "multipleOf "+nv.RatString()+at(inst))
	case !nh:
		d.add(o.child("multipleOf").String(), "bound removed", Relaxing, "multipleOf was "+ov.RatString()+at(inst))
	case ov.Cmp(nv) != 0:
		// The new step loosens only when it divides the old one.
		q := new(big.Rat).Quo(ov, nv)
		detail := fmt.Sprintf("multipleOf %s -> %s%s", ov.RatString(), nv.RatString(), at(inst))
		if q.IsInt() {
			d.add(o.child("multipleOf").String(), "bound loosened", Relaxing, detail)
		} else {
			d.add(o.child("multipleOf").String(), "bound tightened", Breaking, detail)
		}
	}
}

func (d *differ) uniqueItems(o, n loc, om, nm map[string]any, inst string) {
	ov, _ := om["uniqueItems"].(bool)
	nv, _ := nm["uniqueItems"].(bool)
	switch {
	case !ov && nv:
		d.add(n.child("uniqueItems").String(), "uniqueItems added", Breaking, "array items must now be unique"+at(inst))
	case ov && !nv:
		d.add(o.child("uniqueItems").String(), "uniqueItems removed", Relaxing, "duplicates allowed again"+at(inst))
	}
}

func stringSet(v any) map[string]bool {
	out := map[string]bool{}
	if a, ok := v.([]any); ok {
		for _, e := range a {
			if s, ok := e.(string); ok {
				out[s] = true
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (d *differ) required(o, n loc, om, nm map[string]any, inst string) {
	os, ns := stringSet(om["required"]), stringSet(nm["required"])
	for _, k := range sortedKeys(ns) {
		if !os[k] {
			d.add(n.child("required").String(), "required property added", Breaking, fmt.Sprintf("%q is now required%s", k, at(inst)))
		}
	}
	for _, k := range sortedKeys(os) {
		if !ns[k] {
			d.add(o.child("required").String(), "required property removed", Relaxing, fmt.Sprintf("%q is now optional%s", k, at(inst)))
		}
	}
}

// closed reports whether an object schema rejects properties it does not name.
func closed(m map[string]any) bool {
	if m == nil {
		return false
	}
	if ap, ok := m["additionalProperties"]; ok && isFalse(ap) {
		pp, _ := m["patternProperties"].(map[string]any)
		return len(pp) == 0
	}
	return false
}

func join(inst, key string) string {
	if inst == "?" {
		return "?"
	}
	return inst + "/" + escapeToken(key)
}

func (d *differ) properties(o, n loc, om, nm map[string]any, inst string) {
	for _, kw := range []string{"properties", "patternProperties"} {
		op, _ := om[kw].(map[string]any)
		np, _ := nm[kw].(map[string]any)
		for _, k := range sortedKeys(op) {
			child := join(inst, k)
			if kw == "patternProperties" {
				child = join(inst, "{"+k+"}")
			}
			if _, ok := np[k]; ok {
				d.schema(o.child(kw, k), n.child(kw, k), child)
				continue
			}
			if closed(nm) {
				d.add(o.child(kw, k).String(), "property removed from a closed object", Breaking,
					fmt.Sprintf("%q is no longer allowed: documents that still carry it are rejected%s", k, at(child)))
			} else {
				d.add(o.child(kw, k).String(), "property removed from an open object", SilentRemoval,
					fmt.Sprintf("%q is still accepted, unchecked, but no longer defined: its meaning is gone%s", k, at(child)))
			}
		}
		for _, k := range sortedKeys(np) {
			if _, ok := op[k]; ok {
				continue
			}
			child := join(inst, k)
			if isFalse(np[k]) {
				d.add(n.child(kw, k).String(), "property forbidden", Breaking, fmt.Sprintf("%q is declared with the schema false: documents that carry it are rejected%s", k, at(child)))
				continue
			}
			detail := fmt.Sprintf("new optional %q%s", k, at(child))
			if kw == "properties" && stringSet(nm["required"])[k] {
				detail = fmt.Sprintf("new %q, required (see the required change)%s", k, at(child))
			}
			d.add(n.child(kw, k).String(), "property added", Additive, detail)
		}
	}
}

func (d *differ) additional(o, n loc, om, nm map[string]any, inst string) {
	ov, oh := om["additionalProperties"]
	nv, nh := nm["additionalProperties"]
	child := join(inst, "*")
	switch {
	case !oh && !nh:
	case isFalse(nv) && !isFalse(ov):
		d.add(n.child("additionalProperties").String(), "object closed", Breaking, "properties not named by the schema are now rejected"+at(inst))
	case isFalse(ov) && !isFalse(nv):
		d.add(o.child("additionalProperties").String(), "object opened", Relaxing, "properties not named by the schema are accepted again"+at(inst))
	case !oh:
		d.add(n.child("additionalProperties").String(), "additionalProperties added", Breaking, "extra properties are now constrained"+at(inst))
	case !nh:
		d.add(o.child("additionalProperties").String(), "additionalProperties removed", Relaxing, "extra properties are no longer constrained"+at(inst))
	default:
		d.schema(o.child("additionalProperties"), n.child("additionalProperties"), child)
	}
}

// subschema compares a keyword whose value is one schema.
func (d *differ) subschema(o, n loc, om, nm map[string]any, kw, childInst, inst string) {
	_, oh := om[kw]
	_, nh := nm[kw]
	switch {
	case !oh && !nh:
	case !oh:
		d.add(n.child(kw).String(), kw+" added", Breaking, "a new constraint"+at(inst))
	case !nh:
		d.add(o.child(kw).String(), kw+" removed", Relaxing, "a constraint is gone"+at(inst))
	case kw == "not" || kw == "if":
		// Inside these a narrowing can widen what the parent accepts, so
		// any difference is reported once, conservatively.
		if jsonText(om[kw]) != jsonText(nm[kw]) {
			d.add(o.child(kw).String(), kw+" changed", Breaking, "the condition changed; check it by hand"+at(inst))
		}
	default:
		d.schema(o.child(kw), n.child(kw), childInst)
	}
}

func (d *differ) items(o, n loc, om, nm map[string]any, inst string) {
	ov, oh := om["items"]
	nv, nh := nm["items"]
	oa, oTuple := ov.([]any)
	na, nTuple := nv.([]any)
	switch {
	case !oh && !nh:
	case !oh:
		d.add(n.child("items").String(), "items added", Breaking, "array items are now constrained"+at(inst))
	case !nh:
		d.add(o.child("items").String(), "items removed", Relaxing, "array items are no longer constrained"+at(inst))
	case oTuple && nTuple:
		for i := 0; i < min(len(oa), len(na)); i++ {
			d.schema(o.child("items", fmt.Sprint(i)), n.child("items", fmt.Sprint(i)), join(inst, fmt.Sprint(i)))
		}
		if len(oa) != len(na) {
			d.add(o.child("items").String(), "tuple items changed", Breaking, fmt.Sprintf("%d -> %d positional schemas%s", len(oa), len(na), at(inst)))
		}
	case oTuple != nTuple:
		d.add(o.child("items").String(), "items form changed", Breaking, "between one schema for all items and positional schemas"+at(inst))
	default:
		d.schema(o.child("items"), n.child("items"), join(inst, "*"))
	}
}

// list compares allOf / anyOf / oneOf position by position. Adding a branch
// is grow, removing one is shrink (allOf narrows as it grows, anyOf widens).
func (d *differ) list(o, n loc, om, nm map[string]any, kw string, grow, shrink Class, inst string) {
	oa, _ := om[kw].([]any)
	na, _ := nm[kw].([]any)
	for i := 0; i < min(len(oa), len(na)); i++ {
		d.schema(o.child(kw, fmt.Sprint(i)), n.child(kw, fmt.Sprint(i)), inst)
	}
	for i := len(oa); i < len(na); i++ {
		d.add(n.child(kw, fmt.Sprint(i)).String(), kw+" branch added", grow, jsonText(na[i])+at(inst))
	}
	for i := len(na); i < len(oa); i++ {
		d.add(o.child(kw, fmt.Sprint(i)).String(), kw+" branch removed", shrink, jsonText(oa[i])+at(inst))
	}
}

func (d *differ) dependencies(o, n loc, om, nm map[string]any, inst string) {
	op, _ := om["dependencies"].(map[string]any)
	np, _ := nm["dependencies"].(map[string]any)
	for _, k := range sortedKeys(np) {
		if _, ok := op[k]; !ok {
			d.add(n.child("dependencies", k).String(), "dependency added", Breaking, fmt.Sprintf("documents with %q must now satisfy more%s", k, at(inst)))
		} else if jsonText(op[k]) != jsonText(np[k]) {
			d.add(n.child("dependencies", k).String(), "dependency changed", Breaking, fmt.Sprintf("for documents with %q; check it by hand%s", k, at(inst)))
		}
	}
	for _, k := range sortedKeys(op) {
		if _, ok := np[k]; !ok {
			d.add(o.child("dependencies", k).String(), "dependency removed", Relaxing, fmt.Sprintf("for documents with %q%s", k, at(inst)))
		}
	}
}
