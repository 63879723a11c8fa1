// A DAG drawn as SVG: elkjs lays it out (layered, left to right, orthogonal
// edges), every atom is a box with its numbered input ports on the left
// and output ports on the right. Nodes and edges carry data-* attributes
// (atom name/type; edge src, port, dst, dst port) for tests and styling.
import { s, clear } from './dom.js';
import * as fmt from './fmt.js';

const PORT = 8;		// port square
const PAD = 18;		// text inset (port numbers live in the margin)
const ROW = 18;		// vertical room per port

let elk = null;
let measureCtx = null;

function textWidth(str, font) {
	measureCtx ??= document.createElement('canvas').getContext('2d');
	measureCtx.font = font;
	return measureCtx.measureText(str).width;
}

export function typeLabel(a, max = 48) {
	const args = (a.args || []).join(', ');
	const t = args ? `${a.type}(${args})` : a.type;
	return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

// Either shape: show -j (edges inside atoms, dst by index) or check -j
// (edges[] with src/dst indices). Port counts: the atom's own (show),
// its type's (GET /atoms), and the highest port an edge uses.
export function toGraph(dag, types = new Map()) {
	const atoms = (dag.atoms || []).map(a => ({ ...a, index: a.index ?? 0 }));
	const edges = dag.edges ? dag.edges.map(e => ({ ...e }))
		: atoms.flatMap(a => (a.edges || []).map(e => ({
			src: a.index, port: e.port, dst: e.dst, dst_port: e.dst_port ?? 0,
		})));
	const byIndex = new Map(atoms.map(a => [a.index, a]));
	for (const a of atoms) {
		const t = types.get(a.type) || {};
		const entry = (t.flags || []).includes('entry');
		a.nIn = entry ? 0 : Math.max(0, t.inputs ?? 1);
		a.nOut = Math.max(0, a.outputs ?? 0, t.outputs ?? 0);
	}
	for (const e of edges) {
		const src = byIndex.get(e.src), dst = byIndex.get(e.dst);
		if (src)
			src.nOut = Math.max(src.nOut, e.port + 1);
		if (dst)
			dst.nIn = Math.max(dst.nIn, (e.dst_port ?? 0) + 1);
	}
	return { atoms, edges, byIndex };
}

// One size whether counters are shown or not: the preview of an upgrade
// and the element after it then share one layout (see cache).
function nodeSize(a) {
	const w = Math.max(textWidth(a.name, '600 13px system-ui, sans-serif'),
			   textWidth(typeLabel(a, 30), '11px ui-monospace, monospace'), 150);
	const h = Math.max(76, 8 + Math.max(a.nIn, a.nOut) * ROW);
	return { width: Math.ceil(w + 2 * PAD), height: h };
}

function portY(k, n, h) {
	return Math.round(((k + 1) * h) / (n + 1) - PORT / 2);
}

// Long chains wrap into rows near this width / height ratio (fixed, so a
// layout does not depend on the box it is drawn in).
const ASPECT = 3.2;

// The same DAG gives the same input whichever reply it came from (check
// lists edges in file order, show by source atom): atoms by index, edges
// sorted.
const byEdge = (x, y) => x.src - y.src || x.port - y.port || x.dst - y.dst ||
	(x.dst_port ?? 0) - (y.dst_port ?? 0);

function elkGraph(g) {
	return {
		id: 'root',
		layoutOptions: {
			'elk.algorithm': 'layered',
			'elk.direction': 'RIGHT',
			'elk.edgeRouting': 'ORTHOGONAL',
			'elk.layered.spacing.nodeNodeBetweenLayers': '46',
			'elk.spacing.nodeNode': '22',
			'elk.spacing.edgeNode': '12',
			'elk.spacing.edgeEdge': '8',
			'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
			'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
			'elk.layered.wrapping.strategy': 'MULTI_EDGE',
			'elk.separateConnectedComponents': 'false',
			'elk.aspectRatio': String(ASPECT),
		},
		children: [...g.atoms].sort((x, y) => x.index - y.index).map(a => {
			const sz = nodeSize(a);
			a.size = sz;
			const ports = [];
			for (let k = 0; k < a.nIn; k++)
				ports.push({ id: `n${a.index}i${k}`, width: PORT, height: PORT,
					     x: -PORT, y: portY(k, a.nIn, sz.height),
					     layoutOptions: { 'elk.port.side': 'WEST' } });
			for (let k = 0; k < a.nOut; k++)
				ports.push({ id: `n${a.index}o${k}`, width: PORT, height: PORT,
					     x: sz.width, y: portY(k, a.nOut, sz.height),
					     layoutOptions: { 'elk.port.side': 'EAST' } });
			return { id: `n${a.index}`, ...sz, ports,
				 layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } };
		}),
		edges: g.edges.filter(e => g.byIndex.has(e.src) && g.byIndex.has(e.dst)).sort(byEdge)
			.map((e, i) => ({ id: `e${i}`, sources: [`n${e.src}o${e.port}`],
					  targets: [`n${e.dst}i${e.dst_port ?? 0}`], edge: e })),
	};
}

function kind(a) {
	if (/^from/.test(a.type))
		return 'entry';
	if (/^(todevice|discard)$/.test(a.type))
		return 'exit';
	if (/state|session|nat/.test(a.type))
		return 'state';
	return 'plain';
}

function edgePath(sec) {
	const pts = [sec.startPoint, ...(sec.bendPoints || []), sec.endPoint];
	return pts.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
}

function drawNode(a, n, opts) {
	const cls = ['node', kind(a), opts.mark?.(a)].filter(Boolean).join(' ');
	const g = s('g', { class: cls, transform: `translate(${n.x},${n.y})`,
			   'data-atom': a.name, 'data-type': a.type, 'data-index': a.index,
			   'data-in': a.nIn, 'data-out': a.nOut },
		s('title', {}, `[${a.index}] ${a.name} :: ${typeLabel(a)}`),
		s('rect', { class: 'box', width: n.width, height: n.height, rx: 6 }),
		s('text', { class: 'name', x: PAD, y: 19 }, a.name),
		s('text', { class: 'type', x: PAD, y: 34 }, typeLabel(a, 30)));
	if (opts.stats) {
		g.append(s('text', { class: 'stats', x: PAD, y: 51, 'data-role': 'stats' }),
			 s('text', { class: 'rate', x: PAD, y: 66, 'data-role': 'rate' }));
	} else if (opts.note?.(a)) {
		g.append(s('text', { class: 'note', x: PAD, y: 51 }, opts.note(a)));
	}
	for (const p of n.ports || []) {
		const m = p.id.match(/([io])(\d+)$/);
		const out = m[1] === 'o';
		g.append(s('g', { class: `port ${out ? 'out' : 'in'}`, 'data-port': m[2] },
			s('rect', { x: p.x, y: p.y, width: PORT, height: PORT, rx: 1.5 }),
			s('text', { x: out ? p.x - 3 : p.x + PORT + 3, y: p.y + PORT - 0.5,
				    'text-anchor': out ? 'end' : 'start' }, m[2])));
	}
	if (opts.onSelect)
		g.addEventListener('click', () => opts.onSelect(a));
	return g;
}

const tokens = new WeakMap();

// Layouts by their input (sizes, ports, edges, options): a redraw of the
// same structure, and an element right after the upgrade its preview
// showed, cost no new layout (ELK is slow under emulation).
const cache = new Map();

// The promise is cached, so concurrent draws of one DAG share one layout.
function layout(input) {
	const key = JSON.stringify(input);
	let laid = cache.get(key);
	if (!laid) {
		elk ??= new window.ELK({ workerUrl: 'vendor/elk-worker.min.js' });
		const t0 = performance.now();
		laid = elk.layout(input).then(r => {
			// layout times, for the browser tests' log
			(window.clickupLayouts ??= []).push({ atoms: input.children.length,
							      ms: Math.round(performance.now() - t0) });
			return r;
		});
		laid.catch(() => cache.delete(key));
		cache.set(key, laid);
		if (cache.size > 32)
			cache.delete(cache.keys().next().value);
	}
	return laid;
}

// Draws dag into box (replacing what was there); resolves to the svg.
// opts: {types, stats: true for counter lines, mark(atom) -> extra class,
// note(atom) -> a line in place of the counters, onSelect(atom), label}
export async function draw(box, dag, opts = {}) {
	const my = (tokens.get(box) || 0) + 1;
	tokens.set(box, my);
	const g = toGraph(dag, opts.types);
	const laid = await layout(elkGraph(g));
	if (tokens.get(box) !== my)
		return null;	/* a newer draw owns the box */
	const W = Math.ceil(laid.width || 0) + 24, H = Math.ceil(laid.height || 0) + 24;
	const svg = s('svg', { class: 'dag', viewBox: `-12 -12 ${W} ${H}`,
			       style: `max-width:${W}px`, role: 'img',
			       'aria-label': opts.label || 'DAG',
			       'data-atoms': g.atoms.length, 'data-edges': laid.edges.length },
		s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 7.5, refY: 4,
					    markerWidth: 7, markerHeight: 7, orient: 'auto' },
				s('path', { d: 'M0,0 L8,4 L0,8 z' }))));
	const eg = s('g', { class: 'edges' });
	for (const e of laid.edges) {
		const d = e.edge, src = g.byIndex.get(d.src), dst = g.byIndex.get(d.dst);
		eg.append(s('path', { class: 'edge', d: (e.sections || []).map(edgePath).join(' '),
				      'marker-end': 'url(#arrow)', 'data-src': src.name,
				      'data-port': d.port, 'data-dst': dst.name,
				      'data-dst-port': d.dst_port ?? 0 }));
	}
	const ng = s('g', { class: 'nodes' });
	const laidById = new Map(laid.children.map(c => [c.id, c]));
	for (const a of g.atoms)
		ng.append(drawNode(a, laidById.get(`n${a.index}`), opts));
	svg.append(eg, ng);
	clear(box).append(svg);
	return svg;
}

// Counter lines of a drawn DAG; atoms: [{name, packets, bytes, drops}],
// rates(name) -> {packets, bytes, drops} per second or undefined.
export function updateStats(svg, atoms, rates) {
	if (!svg)
		return;
	for (const a of atoms) {
		const g = svg.querySelector(`g.node[data-atom="${CSS.escape(a.name)}"]`);
		if (!g)
			continue;
		const st = g.querySelector('[data-role=stats]');
		const rt = g.querySelector('[data-role=rate]');
		const r = rates(a.name);
		if (st) {
			st.textContent = `${fmt.count(a.packets)} pkt · ${fmt.bytes(a.bytes)}` +
				(a.drops ? ` · ${fmt.count(a.drops)} drop` : '');
			st.dataset.packets = a.packets ?? 0;
		}
		if (rt)
			rt.textContent = r ? `${fmt.rate(r.packets, 'pkt')} · ${fmt.rate(r.bytes, 'B')}` : '';
		g.classList.toggle('dropping', !!(r && r.drops > 0));
		g.classList.toggle('busy', !!(r && r.packets > 0));
	}
}
