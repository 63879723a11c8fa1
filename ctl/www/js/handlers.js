// One atom's read and write handlers (Click's idea: count, byte_count,
// rate, reset, table size, flush...), through
// GET/PUT /api/v1/elements/NE/atoms/ATOM/HANDLER.
import { h, toast } from './dom.js';
import { api, get, enc } from './api.js';
import * as graph from './graph.js';

// A type's handlers as GET /atoms lists them: names, or {name, read, write}.
function handlersOf(type) {
	const list = (type?.handlers || []).map(x => (typeof x === 'string' ? { name: x } : x));
	return list.length ? list : null;
}

function show(out, v) {
	out.textContent = typeof v === 'string' ? v : JSON.stringify(v, null, 1);
}

export function handlerPanel(ne, atom, type) {
	const path = hd => `/elements/${enc(ne)}/atoms/${enc(atom.name)}/${enc(hd)}`;
	const out = h('pre', { class: 'handler-out', id: 'handler-out' });
	const known = handlersOf(type);
	const read = async hd => {
		try {
			show(out, await get(path(hd)));
		} catch (e) {
			out.textContent = `${hd}: ${e.message}`;
		}
	};
	const write = async (hd, value) => {
		try {
			const r = await api('PUT', path(hd), value ?? '');
			show(out, r ?? `${hd}: done`);
			toast(`${atom.name}.${hd} written`, 'ok');
		} catch (e) {
			out.textContent = `${hd}: ${e.message}`;
		}
	};
	const rows = [];
	if (known) {
		for (const x of known) {
			const r = x.read !== false && x.mode !== 'write';
			const w = x.write || x.mode === 'write' || x.mode === 'rw';
			const val = w ? h('input', { class: 'small', placeholder: 'value', size: 6 }) : null;
			rows.push(h('div', { class: 'handler' },
				h('code', {}, x.name),
				r ? h('button', { type: 'button', class: 'small', onclick: () => read(x.name) }, 'read') : '',
				val,
				w ? h('button', { type: 'button', class: 'small ghost',
						  onclick: () => write(x.name, val.value) }, 'write') : ''));
		}
	} else {
		const name = h('input', { class: 'small', placeholder: 'handler', list: 'handler-names', size: 10 });
		const val = h('input', { class: 'small', placeholder: 'value', size: 6 });
		rows.push(h('datalist', { id: 'handler-names' },
			['count', 'byte_count', 'rate', 'drops', 'size', 'reset', 'flush']
				.map(v => h('option', { value: v }))),
		h('div', { class: 'handler' }, name,
			h('button', { type: 'button', class: 'small', onclick: () => read(name.value) }, 'read'),
			val,
			h('button', { type: 'button', class: 'small ghost',
				      onclick: () => write(name.value, val.value) }, 'write')));
	}
	return h('div', { class: 'handlers', 'data-atom': atom.name },
		h('h3', {}, atom.name, ' ', h('span', { class: 'muted mono' }, graph.typeLabel(atom))),
		...rows, out);
}
