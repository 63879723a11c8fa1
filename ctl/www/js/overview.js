// The start page: every element at a glance, and the latest swaps.
import { h, clear } from './dom.js';
import { enc } from './api.js';
import * as store from './store.js';
import * as fmt from './fmt.js';
import * as timeline from './timeline.js';

function entryPackets(ne) {
	return (ne.atoms || []).filter(a => /^from/.test(a.type)).reduce((t, a) => t + (+a.packets || 0), 0);
}

export function view(main) {
	const box = h('div', { class: 'card' });
	const recent = h('div', { class: 'card' });
	const paint = () => {
		const nes = [...store.state.elements.values()].sort((a, b) => a.name.localeCompare(b.name));
		clear(box).append(nes.length
			? h('table', { class: 'grid', id: 'ne-table' },
				h('thead', {}, h('tr', {}, ['element', 'generation', 'atoms', 'edges', 'entries',
					'packets in', 'drops'].map(t => h('th', {}, t)))),
				h('tbody', {}, nes.map(ne => h('tr', { 'data-ne': ne.name },
					h('td', {}, h('a', { href: `#/ne/${enc(ne.name)}` }, ne.name)),
					h('td', { class: 'num' }, ne.generation),
					h('td', { class: 'num' }, ne.nr_atoms ?? ne.atoms.length),
					h('td', { class: 'num' }, ne.nr_edges ?? ''),
					h('td', { class: 'num' }, ne.nr_entries ?? ''),
					h('td', { class: 'num' }, fmt.count(entryPackets(ne))),
					h('td', { class: 'num' }, fmt.count(ne.atoms.reduce((t, a) => t + (+a.drops || 0), 0)))))))
			: h('p', {}, 'No network element in this namespace yet. ',
				h('a', { href: '#/new' }, 'Create one'), ' from a DAG, or with clickupctl create.'));
	};
	const paintRecent = () => clear(recent).append(h('h3', {}, 'Latest swaps'), timeline.list(null, 5));
	main.append(h('section', { class: 'overview' },
		h('div', { class: 'head' }, h('h1', {}, 'Network elements')), box, recent));
	paint();
	paintRecent();
	const offs = [store.on('elements', paint), store.on('counters', paint), store.on('swaps', paintRecent)];
	return () => offs.forEach(f => f());
}
