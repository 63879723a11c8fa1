// The element list (sidebar) and one element's page: its live DAG, the
// per-atom counters and rates, an atom's handlers, delete.
import { h, clear, toast } from './dom.js';
import { api, get, enc } from './api.js';
import * as store from './store.js';
import * as graph from './graph.js';
import * as fmt from './fmt.js';
import { handlerPanel } from './handlers.js';
import * as timeline from './timeline.js';

export function renderList() {
	const ul = clear(document.getElementById('ne-list'));
	const names = [...store.state.elements.keys()].sort();
	if (!names.length)
		ul.append(h('li', { class: 'muted' }, 'none yet'));
	for (const n of names) {
		const ne = store.state.elements.get(n);
		ul.append(h('li', {},
			h('a', { href: `#/ne/${enc(n)}`, 'data-nav': `ne/${n}`, 'data-ne': n },
				h('span', {}, n), h('span', { class: 'badge' }, `g${ne.generation}`))));
	}
	markNav();
}

export function markNav() {
	const here = decodeURIComponent(location.hash.slice(2));
	for (const a of document.querySelectorAll('nav.side a[data-nav]'))
		a.classList.toggle('active', here === a.dataset.nav || here.startsWith(`${a.dataset.nav}/`));
}

function atomRow(ne, a) {
	return h('tr', { 'data-atom': a.name },
		h('td', { class: 'num' }, a.index),
		h('td', {}, h('b', {}, a.name)),
		h('td', { class: 'mono' }, graph.typeLabel(a), a.detached ? h('span', { class: 'warn' }, ' detached') : ''),
		h('td', { class: 'num', 'data-counter': 'packets' }),
		h('td', { class: 'num', 'data-counter': 'bytes' }),
		h('td', { class: 'num', 'data-counter': 'drops' }),
		h('td', { class: 'num', 'data-counter': 'pps' }),
		h('td', { class: 'num', 'data-counter': 'bps' }));
}

function fillCounters(tbody, ne) {
	for (const a of ne.atoms || []) {
		const tr = tbody.querySelector(`tr[data-atom="${CSS.escape(a.name)}"]`);
		if (!tr)
			continue;
		const r = store.rateOf(ne.name, a.name);
		const set = (k, v, raw) => {
			const td = tr.querySelector(`[data-counter=${k}]`);
			td.textContent = v;
			if (raw !== undefined)
				td.dataset.value = raw;
		};
		set('packets', fmt.count(a.packets), a.packets);
		set('bytes', fmt.bytes(a.bytes), a.bytes);
		set('drops', fmt.count(a.drops), a.drops);
		set('pps', r ? fmt.count(r.packets) : '–');
		set('bps', r ? fmt.bits(r.bytes * 8) : '–');
		tr.classList.toggle('dropping', !!(r && r.drops > 0));
	}
}

// The page of element NAME; returns a cleanup function.
export function view(main, name) {
	const offs = [];
	const box = h('div', { class: 'graph', id: 'ne-graph' }, h('p', { class: 'muted' }, 'drawing…'));
	const tbody = h('tbody');
	const meta = h('span', { class: 'meta' });
	const side = h('div', { class: 'card side-panel' },
		h('p', { class: 'muted' }, 'Click an atom for its handlers.'));
	const swaps = h('div', { class: 'card', id: 'ne-swaps' });
	let svg = null;
	let drawnGen = null;
	const paintSwaps = () => clear(swaps).append(h('h3', {}, 'Swaps'), timeline.list(name, 4));

	const del = async () => {
		if (!confirm(`Delete element ${name}? Its state tables stay (docs/state.md).`))
			return;
		try {
			await api('DELETE', `/elements/${enc(name)}`);
			toast(`deleted ${name}`, 'ok');
			store.dropElement(name);
			location.hash = '#/';
		} catch (e) {
			toast(`delete ${name}: ${e.message}`, 'error', 9000);
		}
	};

	main.append(h('section', { class: 'ne-view', 'data-ne': name },
		h('div', { class: 'head' },
			h('h1', {}, name), meta, h('span', { class: 'spacer' }),
			h('a', { class: 'btn', href: `#/ne/${enc(name)}/edit`, id: 'edit-btn' }, 'Edit / upgrade'),
			h('button', { class: 'danger', type: 'button', id: 'delete-btn', onclick: del }, 'Delete')),
		h('div', { class: 'card' }, box),
		h('div', { class: 'split' },
			h('div', { class: 'card grow' },
				h('table', { class: 'atoms grid', id: 'atom-table' },
					h('thead', {}, h('tr', {}, ['#', 'atom', 'type', 'packets', 'bytes',
						'drops', 'pkt/s', 'rate'].map(t => h('th', {}, t)))),
					tbody)),
			side),
		swaps));

	const select = a => {
		for (const n of svg?.querySelectorAll('g.node.selected') || [])
			n.classList.remove('selected');
		svg?.querySelector(`g.node[data-atom="${CSS.escape(a.name)}"]`)?.classList.add('selected');
		clear(side).append(handlerPanel(name, a));
	};

	const redraw = async () => {
		const ne = store.state.elements.get(name);
		if (!ne) {
			clear(box).append(h('p', { class: 'muted' }, `no element ${name}`));
			meta.textContent = '';
			clear(tbody);
			return;
		}
		meta.textContent = `generation ${ne.generation} · ${ne.nr_atoms ?? ne.atoms.length} atoms · ` +
			`${ne.nr_edges ?? '?'} edges · ${ne.nr_entries ?? '?'} entries`;
		if (drawnGen === ne.generation)
			return;	/* drawn, or being drawn */
		drawnGen = ne.generation;
		clear(tbody).append(...ne.atoms.map(a => atomRow(ne, a)));
		fillCounters(tbody, ne);
		let drawn;
		try {
			drawn = await graph.draw(box, ne, { types: store.state.types, stats: true,
							    onSelect: select, label: `DAG of ${name}` });
		} catch (e) {
			drawnGen = null;
			clear(box).append(h('p', { class: 'error' }, `layout: ${e.message}`));
			return;
		}
		if (drawn) {
			svg = drawn;
			svg.dataset.generation = ne.generation;
			graph.updateStats(svg, ne.atoms, a => store.rateOf(name, a));
		}
	};
	const counters = n => {
		if (n !== name)
			return;
		const ne = store.state.elements.get(name);
		if (!ne)
			return;
		fillCounters(tbody, ne);
		graph.updateStats(svg, ne.atoms, a => store.rateOf(name, a));
	};
	offs.push(store.on('dag', n => n === name && redraw()));
	offs.push(store.on('elements', redraw));
	offs.push(store.on('counters', counters));
	offs.push(store.on('swaps', paintSwaps));
	paintSwaps();
	redraw();
	// fresh counters now, not at the next snapshot
	get(`/elements/${enc(name)}`).then(ne => store.putElement(Array.isArray(ne) ? ne[0] : ne))
		.catch(() => {});
	return () => offs.forEach(f => f());
}
