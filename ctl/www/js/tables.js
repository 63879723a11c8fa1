// State tables (core-owned, they outlive swaps: docs/state.md) and their
// flows: filter, page, delete one.
import { h, clear, toast } from './dom.js';
import { api, get, full, enc } from './api.js';
import * as fmt from './fmt.js';

const PAGE = 200;

// The flow's key in DELETE /tables/T/flows/KEY (docs/http-api.md).
export function flowKey(f) {
	return f.key ?? `${f.proto}-${f.saddr}:${f.sport}-${f.daddr}:${f.dport}`;
}

const flowText = f => `${f.proto} ${f.saddr}:${f.sport} ${f.daddr}:${f.dport} ${f.state ?? ''}` +
	(f.xport ? ` ${f.xaddr}:${f.xport}` : '');

function tableList(tables, current) {
	return h('table', { class: 'grid', id: 'state-tables' },
		h('thead', {}, h('tr', {}, ['table', 'entries', 'max', 'inserted', 'refused', 'expired',
			'memory', 'users'].map(t => h('th', {}, t)))),
		h('tbody', {}, tables.map(t => h('tr', { class: t.name === current ? 'selected' : null,
							 'data-table': t.name },
			h('td', {}, h('a', { href: `#/tables/${enc(t.name)}` }, t.name)),
			h('td', { class: 'num', 'data-value': t.entries }, fmt.count(t.entries)),
			h('td', { class: 'num' }, fmt.count(t.max)),
			h('td', { class: 'num' }, fmt.count(t.inserted)),
			h('td', { class: 'num' }, fmt.count(t.refused)),
			h('td', { class: 'num' }, fmt.count(t.expired)),
			h('td', { class: 'num' }, fmt.bytes(t.memory)),
			h('td', { class: 'num' }, t.users)))));
}

function flowsPanel(table) {
	let flows = [];
	let total = null;
	const filter = h('input', { type: 'search', id: 'flow-filter', placeholder: 'filter: address, port, state…',
				    size: 28 });
	const tbody = h('tbody');
	const info = h('span', { class: 'meta' });
	const more = h('button', { type: 'button', class: 'ghost small', hidden: true }, 'load more');
	const panel = h('div', { class: 'card', id: 'flows', 'data-table': table });

	const paint = () => {
		const q = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
		const shown = flows.filter(f => q.every(w => flowText(f).toLowerCase().includes(w)));
		clear(tbody).append(...shown.map(f => h('tr', { 'data-key': flowKey(f) },
			h('td', {}, f.proto),
			h('td', { class: 'mono' }, `${f.saddr}:${f.sport}`),
			h('td', { class: 'mono' }, `${f.daddr}:${f.dport}`),
			h('td', {}, f.state ?? ''),
			h('td', { class: 'mono' }, f.xport ? `${f.xaddr}:${f.xport}` : ''),
			h('td', { class: 'num' }, f.expires_ms !== undefined ? `${(f.expires_ms / 1000).toFixed(1)} s` : ''),
			h('td', {}, h('button', { type: 'button', class: 'small danger', title: 'delete this flow',
						  onclick: () => del(f) }, '✕')))));
		panel.dataset.count = flows.length;
		info.textContent = `${shown.length} shown of ${flows.length} loaded` +
			(total !== null ? ` (${total} in the table)` : '');
		more.hidden = total !== null ? flows.length >= total : flows.length % PAGE !== 0 || !flows.length;
	};
	const load = async (reset = true) => {
		try {
			const off = reset ? 0 : flows.length;
			const { data, headers } = await full('GET', `/tables/${enc(table)}/flows?offset=${off}&limit=${PAGE}`);
			const page = Array.isArray(data) ? data : data?.flows || [];
			const n = headers.get('X-Total-Count');
			total = n !== null ? +n : data?.total ?? null;
			flows = reset ? page : flows.concat(page);
			paint();
		} catch (e) {
			info.textContent = e.message;
		}
	};
	const del = async f => {
		try {
			await api('DELETE', `/tables/${enc(table)}/flows/${enc(flowKey(f))}`);
			toast(`deleted ${flowText(f)}`, 'ok');
			load();
		} catch (e) {
			toast(`delete flow: ${e.message}`, 'error', 9000);
		}
	};
	filter.addEventListener('input', paint);
	more.addEventListener('click', () => load(false));
	load();
	return h(panel, {},
		h('div', { class: 'head' }, h('h3', {}, `Flows of ${table}`), info, h('span', { class: 'spacer' }),
			filter, h('button', { type: 'button', class: 'ghost small', onclick: () => load() }, 'refresh')),
		h('div', { class: 'scroll' },
			h('table', { class: 'grid flows' },
				h('thead', {}, h('tr', {}, ['proto', 'source', 'destination', 'state', 'translated',
					'expires', ''].map(t => h('th', {}, t)))),
				tbody)),
		more);
}

export function view(main, table) {
	const listBox = h('div', { class: 'card' }, h('p', { class: 'muted' }, 'loading…'));
	main.append(h('section', { class: 'tables-view' },
		h('div', { class: 'head' }, h('h1', {}, 'State tables'),
			h('span', { class: 'meta' }, 'core-owned: they survive upgrades')),
		listBox, table ? flowsPanel(table) : ''));
	const refresh = async () => {
		try {
			const r = await get('/tables');
			const tables = Array.isArray(r) ? r : r?.tables || [];
			clear(listBox).append(tables.length ? tableList(tables, table)
				: h('p', { class: 'muted' }, 'No state tables: a DAG with ReadState/WriteState creates them.'));
		} catch (e) {
			clear(listBox).append(h('p', { class: 'error' }, e.message));
		}
	};
	refresh();
	const t = setInterval(refresh, 3000);
	return () => clearInterval(t);
}
