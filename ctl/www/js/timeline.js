// The upgrade timeline: every create/upgrade this page saw (its own
// replies and the event stream's), each swap's phases (validate, module
// load, instantiate, publish) as a bar scaled to the slowest swap shown.
import { h, clear } from './dom.js';
import * as store from './store.js';
import * as fmt from './fmt.js';

const PHASES = [
	['validate_ns', 'validate'],
	['load_ns', 'load'],
	['instantiate_ns', 'instantiate'],
	['publish_ns', 'publish'],
];

function bar(sw, max) {
	const total = +sw.total_ns || PHASES.reduce((t, [k]) => t + (+sw[k] || 0), 0);
	const b = h('div', { class: 'bar', style: `width:${Math.max(2, (100 * total) / max)}%` });
	for (const [k, name] of PHASES) {
		const v = +sw[k] || 0;
		if (total > 0 && v > 0)
			b.append(h('span', { class: `seg ${name}`, style: `flex-grow:${v}`,
					     title: `${name} ${fmt.ns(v)}` }));
	}
	return b;
}

// Modules clickupd loaded itself before the request (libkmod; only in
// its own replies, not in other clients' events): outside the swap.
const modload = sw => (sw.modload_loaded
	? ` · ${sw.modload_loaded} by clickupd before the swap (${fmt.ns(sw.modload_ns)})` : '');

function row(sw, max) {
	return h('li', { class: 'swap', 'data-ne': sw.name, 'data-generation': sw.generation,
			 'data-event': sw.event },
		h('div', { class: 'swap-head' },
			h('span', { class: 'when' }, fmt.clock(sw.at)),
			h('b', {}, sw.name),
			h('span', { class: `tag ${sw.event}` }, sw.event),
			h('span', {}, `generation ${sw.generation}`),
			h('span', { class: 'spacer' }),
			h('span', { class: 'total' }, fmt.ns(sw.total_ns))),
		bar(sw, max),
		h('div', { class: 'phases' },
			PHASES.map(([k, name]) => h('span', { class: `ph ${name}`, 'data-phase': name },
				h('i', {}), `${name} ${fmt.ns(sw[k])}`)),
			h('span', { class: 'muted' },
				`${sw.loaded ?? 0} module(s) loaded by the kernel` + modload(sw) +
				` · ${sw.new_atoms ?? 0} new · ${sw.migrated ?? 0} migrated`)));
}

// The swaps of ne (all when null), newest first, at most limit.
export function list(ne = null, limit = 100) {
	const swaps = store.state.swaps.filter(s => !ne || s.name === ne).slice(-limit).reverse();
	const max = Math.max(1, ...swaps.map(s => +s.total_ns || 0));
	if (!swaps.length)
		return h('p', { class: 'muted' }, 'No swap seen yet: create or upgrade an element (here or with clickupctl) and it shows here.');
	return h('ol', { class: 'timeline', id: 'timeline' }, swaps.map(s => row(s, max)));
}

export function view(main) {
	const box = h('div', { class: 'card' });
	const paint = () => clear(box).append(list());
	main.append(h('section', { class: 'timeline-view' },
		h('div', { class: 'head' }, h('h1', {}, 'Upgrade timeline'),
			h('span', { class: 'meta' }, 'since this page was opened')),
		box));
	paint();
	return store.on('swaps', paint);
}
