// What the page knows: elements (as GET /elements gives them), atom types,
// per-atom counter rates, the upgrade timeline. Views subscribe to topics.
const subs = new Map();
export const state = {
	elements: new Map(),	// name -> element (show -j object)
	types: new Map(),	// atom type name -> {inputs, outputs, flags}
	rates: new Map(),	// "ne/atom" -> {packets, bytes, drops} per second
	swaps: [],		// timeline: create/upgrade replies and events
};
const last = new Map();	// "ne/atom" -> previous sample {t, packets, bytes, drops}

export function on(topic, fn) {
	if (!subs.has(topic))
		subs.set(topic, new Set());
	subs.get(topic).add(fn);
	return () => subs.get(topic).delete(fn);
}

export function emit(topic, arg) {
	for (const fn of subs.get(topic) || [])
		fn(arg);
}

// Rates from two samples at least 200 ms apart; a counter that went back
// (reset, new atom of the same name) restarts from zero.
function sample(ne, a, t) {
	const k = `${ne}/${a.name}`;
	const p = last.get(k);
	const cur = { t, packets: +a.packets || 0, bytes: +a.bytes || 0, drops: +a.drops || 0 };
	if (!p) {
		last.set(k, cur);
		return;
	}
	const dt = (t - p.t) / 1000;
	if (dt < 0.2)
		return;
	const r = {};
	for (const f of ['packets', 'bytes', 'drops'])
		r[f] = cur[f] >= p[f] ? (cur[f] - p[f]) / dt : 0;
	state.rates.set(k, r);
	last.set(k, cur);
}

export function rateOf(ne, atom) {
	return state.rates.get(`${ne}/${atom}`);
}

export function setElements(list) {
	const seen = new Set();
	for (const ne of list) {
		seen.add(ne.name);
		putElement(ne, false);
	}
	for (const n of [...state.elements.keys()])
		if (!seen.has(n))
			state.elements.delete(n);
	emit('elements');
}

export function putElement(ne, notify = true) {
	const t = Date.now();
	const old = state.elements.get(ne.name);
	for (const a of ne.atoms || [])
		sample(ne.name, a, t);
	state.elements.set(ne.name, ne);
	if (notify) {
		emit('elements');
		if (!old || old.generation !== ne.generation)
			emit('dag', ne.name);
		emit('counters', ne.name);
	}
}

export function dropElement(name) {
	if (state.elements.delete(name))
		emit('elements');
	emit('dag', name);
}

// A counter snapshot for one element: atoms by name (or index) with
// packets/bytes/drops. Structure changes come as their own events.
export function putCounters(name, atoms, t = Date.now()) {
	const ne = state.elements.get(name);
	if (!ne || !Array.isArray(atoms))
		return;
	const byName = new Map(ne.atoms.map(a => [a.name, a]));
	const byIndex = new Map(ne.atoms.map(a => [a.index, a]));
	for (const c of atoms) {
		const a = byName.get(c.name) || byIndex.get(c.index);
		if (!a)
			continue;
		for (const f of ['packets', 'bytes', 'drops'])
			if (c[f] !== undefined)
				a[f] = c[f];
		sample(name, a, t);
	}
	emit('counters', name);
}

export function setTypes(list) {
	state.types = new Map((list || []).map(t => [t.name, t]));
}

// One swap (the create/upgrade -j object); the reply and the event of
// the same swap are one entry.
export function addSwap(sw) {
	if (!sw || !sw.name || sw.generation === undefined)
		return;
	const dup = state.swaps.find(x => x.name === sw.name && x.generation === sw.generation &&
				      x.event === sw.event);
	if (dup) {
		Object.assign(dup, sw);
	} else {
		state.swaps.push({ at: Date.now(), ...sw });
		if (state.swaps.length > 200)
			state.swaps.shift();
	}
	emit('swaps');
}
