// A plain textarea for DAG text with line numbers and an error marker at
// line:col (the line tinted, the column underlined) drawn in a backdrop
// behind the transparent textarea.
import { h, clear } from './dom.js';

export function codeArea({ value = '', onInput, label = 'DAG text' } = {}) {
	const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
	const back = h('pre', { class: 'backdrop', 'aria-hidden': 'true' });
	const ta = h('textarea', { spellcheck: 'false', wrap: 'off', autocapitalize: 'off',
				   autocomplete: 'off', 'aria-label': label, id: 'dag-text' });
	ta.value = value;
	let err = null;

	const paint = () => {
		const lines = ta.value.split('\n');
		clear(gutter);
		clear(back);
		lines.forEach((l, i) => {
			const n = i + 1;
			const bad = err && err.line === n;
			gutter.append(h('div', { class: bad ? 'err' : null, 'data-line': n }, n));
			if (!bad) {
				back.append(h('span', { class: 'ln' }, `${l}\n`));
				return;
			}
			// col is 1-based; past the end marks the line's end
			const c = Math.min(Math.max((err.col || 1) - 1, 0), l.length);
			const m = l.slice(c).match(/^\S+/);
			const w = m ? m[0].length : 1;
			back.append(h('span', { class: 'ln err', 'data-line': n }, l.slice(0, c),
				h('span', { class: 'err-col', 'data-col': err.col || 1 },
				  l.slice(c, c + w) || ' '),
				`${l.slice(c + w)}\n`));
		});
		sync();
	};
	const sync = () => {
		back.scrollTop = ta.scrollTop;
		back.scrollLeft = ta.scrollLeft;
		gutter.scrollTop = ta.scrollTop;
	};
	ta.addEventListener('input', () => {
		paint();
		onInput?.(ta.value);
	});
	ta.addEventListener('scroll', sync);
	// Tab indents instead of leaving the field
	ta.addEventListener('keydown', e => {
		if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey)
			return;
		e.preventDefault();
		ta.setRangeText('\t', ta.selectionStart, ta.selectionEnd, 'end');
		ta.dispatchEvent(new Event('input'));
	});
	paint();
	return {
		el: h('div', { class: 'code' }, gutter, h('div', { class: 'code-body' }, back, ta)),
		get value() {
			return ta.value;
		},
		set value(v) {
			ta.value = v;
			paint();
			onInput?.(v);
		},
		setError(e) {
			err = e && e.line ? e : null;
			paint();
		},
		focus: () => ta.focus(),
		textarea: ta,
	};
}
