// What an upgrade changes, by the kernel's rule (docs/architecture.md): an
// atom that keeps its name and type migrates (counters and state carry
// on, even with new arguments); any other new name is a new atom; an old
// name not kept (or kept with another type) is removed.
import { h } from './dom.js';
import { typeLabel } from './graph.js';

const sameArgs = (a, b) => JSON.stringify(a.args || []) === JSON.stringify(b.args || []);

// old, neu: {atoms: [{name, type, args}]}; old may be null (a create).
export function diff(old, neu) {
	const before = new Map((old?.atoms || []).map(a => [a.name, a]));
	const after = new Map((neu?.atoms || []).map(a => [a.name, a]));
	const d = { added: [], removed: [], migrated: [], changedArgs: [] };
	for (const [n, a] of after) {
		const o = before.get(n);
		if (o && o.type === a.type) {
			d.migrated.push(a);
			if (!sameArgs(o, a))
				d.changedArgs.push(a);
		} else {
			d.added.push(a);
		}
	}
	for (const [n, o] of before) {
		const a = after.get(n);
		if (!a || a.type !== o.type)
			d.removed.push(o);
	}
	return d;
}

// The class a preview node gets.
export function marker(d) {
	const added = new Set(d.added.map(a => a.name));
	const args = new Set(d.changedArgs.map(a => a.name));
	return a => (added.has(a.name) ? 'added' : args.has(a.name) ? 'migrated changed' : 'migrated');
}

// compact: names only (the type in a tooltip), for the long migrated list
// The line a preview node gets.
export function note(d) {
	const added = new Set(d.added.map(a => a.name));
	const args = new Set(d.changedArgs.map(a => a.name));
	return a => (added.has(a.name) ? 'new atom' : args.has(a.name) ? 'migrates, new args' : 'migrates');
}

function group(title, cls, list, note, compact = false) {
	const item = a => (compact
		? h('li', { 'data-atom': a.name, title: typeLabel(a) }, a.name, note?.(a) || '')
		: h('li', { 'data-atom': a.name }, h('b', {}, a.name), ' ',
		    h('span', { class: 'mono muted' }, typeLabel(a, 36)), note?.(a) || ''));
	return h('div', { class: `diff-group ${cls}`, 'data-diff': cls },
		h('h4', {}, `${title} `, h('span', { class: 'badge' }, list.length)),
		list.length ? h('ul', { class: compact ? 'chips' : null }, list.map(item))
			: h('p', { class: 'muted' }, 'none'));
}

export function render(d, isCreate) {
	const changed = new Set(d.changedArgs.map(a => a.name));
	if (isCreate)
		return h('div', { class: 'diff' }, group('New atoms (create)', 'added', d.added));
	return h('div', { class: 'diff', id: 'diff' },
		group('New', 'added', d.added),
		group('Removed', 'removed', d.removed),
		group('Migrated', 'migrated', d.migrated,
		      a => (changed.has(a.name) ? h('span', { class: 'tag' }, ' new args') : ''), true));
}
