// The live event stream (GET /api/v1/events, Server-Sent Events): create,
// upgrade and delete as the kernel announces them, and counter snapshots.
// EventSource reconnects by itself; on every (re)connect the element list
// is fetched again so nothing missed while away stays stale.
import { get, enc } from './api.js';
import * as store from './store.js';

function parse(ev) {
	try {
		return JSON.parse(ev.data);
	} catch {
		return null;
	}
}

export async function refreshOne(name) {
	try {
		const ne = await get(`/elements/${enc(name)}`);
		store.putElement(Array.isArray(ne) ? ne[0] : ne);
	} catch (e) {
		if (e.status === 404)
			store.dropElement(name);
	}
}

export async function refreshAll() {
	const list = await get('/elements');
	store.setElements(Array.isArray(list) ? list : list?.elements || []);
}

function onChange(kind, d) {
	if (!d || !d.name)
		return;
	if (kind === 'delete') {
		store.dropElement(d.name);
	} else if (kind === 'detach') {
		refreshOne(d.name);	/* an entry's device went away */
	} else {
		store.addSwap({ event: kind, ...d });
		refreshOne(d.name);
	}
	store.emit('event', { kind, ...d });
}

// Snapshots: one element ({name, atoms}) or several (array, or {elements}).
function onCounters(d) {
	if (!d)
		return;
	const t = d.time_ms || Date.now();
	const list = Array.isArray(d) ? d : d.elements || [d];
	for (const ne of list) {
		if (!ne?.name)
			continue;
		const known = store.state.elements.get(ne.name);
		if (!known || (ne.generation !== undefined && ne.generation !== known.generation))
			refreshOne(ne.name);
		else
			store.putCounters(ne.name, ne.atoms, t);
	}
}

export function connect() {
	const live = document.getElementById('live');
	const set = (st, text) => {
		live.dataset.state = st;
		live.textContent = text;
	};
	const es = new EventSource('/api/v1/events');
	es.addEventListener('open', () => {
		set('open', 'live');
		refreshAll().catch(() => {});
	});
	es.addEventListener('error', () => set('down', 'reconnecting'));
	for (const k of ['create', 'upgrade', 'delete', 'detach'])
		es.addEventListener(k, ev => onChange(k, parse(ev)));
	for (const k of ['counters', 'stats'])
		es.addEventListener(k, ev => onCounters(parse(ev)));
	// unnamed events carry their kind in the object
	es.addEventListener('message', ev => {
		const d = parse(ev);
		if (!d)
			return;
		if (['create', 'upgrade', 'delete'].includes(d.event))
			onChange(d.event, d);
		else if (d.event === 'counters' || d.atoms || d.elements)
			onCounters(d);
	});
	return es;
}
