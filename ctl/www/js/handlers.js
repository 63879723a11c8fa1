// One atom's read and write handlers (Click's idea: count, byte_count,
// rate, reset, table size, flush...): the list from
// GET .../atoms/ATOM/handlers ("NAME\tr|w|rw" lines), each read with GET
// and written with PUT /api/v1/elements/NE/atoms/ATOM/HANDLER.
import { h, clear, toast } from './dom.js';
import { api, get, enc } from './api.js';
import * as graph from './graph.js';

// The reply's value (or a bare text body): "NAME\tr|w|rw" lines; the
// handlers handler itself is left out.
function parseList(r) {
	const text = r && typeof r === 'object' ? r.value : r;
	return String(text || '').split('\n').map(l => l.split('\t'))
		.filter(([n, m]) => n && m && n !== 'handlers').map(([name, mode]) => ({ name, mode }));
}

function show(out, hd, r) {
	out.textContent = `${hd}: ${r && typeof r === 'object' ? r.value ?? JSON.stringify(r) : r ?? ''}`;
}

export function handlerPanel(ne, atom) {
	const path = hd => `/elements/${enc(ne)}/atoms/${enc(atom.name)}/${enc(hd)}`;
	const out = h('pre', { class: 'handler-out', id: 'handler-out' }, ' ');
	const rows = h('div', { class: 'handler-list' }, h('p', { class: 'muted' }, 'loading handlers…'));
	const read = async hd => {
		try {
			show(out, hd, await get(path(hd)));
		} catch (e) {
			out.textContent = `${hd}: ${e.message}`;
		}
	};
	const write = async (hd, value) => {
		try {
			await api('PUT', path(hd), value ?? '');
			out.textContent = `${hd}: written`;
			toast(`${atom.name}.${hd} written`, 'ok');
		} catch (e) {
			out.textContent = `${hd}: ${e.message}`;
		}
	};
	get(path('handlers')).then(text => {
		const list = parseList(text);
		clear(rows).append(...(list.length ? list.map(x => {
			const r = x.mode.includes('r'), w = x.mode.includes('w');
			const val = w ? h('input', { class: 'small', placeholder: 'value', size: 7 }) : null;
			return h('div', { class: 'handler', 'data-handler': x.name },
				h('code', {}, x.name),
				r ? h('button', { type: 'button', class: 'small', onclick: () => read(x.name) }, 'read') : '',
				val,
				w ? h('button', { type: 'button', class: 'small ghost',
						  onclick: () => write(x.name, val.value) }, 'write') : '');
		}) : [h('p', { class: 'muted' }, 'no handlers')]));
	}).catch(e => clear(rows).append(h('p', { class: 'error' }, e.message)));
	return h('div', { class: 'handlers', 'data-atom': atom.name },
		h('h3', {}, atom.name, ' ', h('span', { class: 'muted mono' }, graph.typeLabel(atom, 30))),
		rows, out);
}
