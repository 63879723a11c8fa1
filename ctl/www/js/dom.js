// Tiny DOM helpers: build elements without a framework.
const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 'class')
			el.setAttribute('class', v);
		else if (k.startsWith('on') && typeof v === 'function')
			el.addEventListener(k.slice(2), v);
		else if (k === 'text')
			el.textContent = v;
		else
			el.setAttribute(k, v === true ? '' : v);
	}
	for (const c of children.flat(Infinity)) {
		if (c === undefined || c === null || c === false)
			continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

// h('div', {class: 'x', onclick: f}, child, 'text', [more]); tag may be
// an element to fill
export function h(tag, attrs, ...children) {
	return fill(tag instanceof Element ? tag : document.createElement(tag), attrs, children);
}

export function s(tag, attrs, ...children) {
	return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function clear(el) {
	while (el.firstChild)
		el.firstChild.remove();
	return el;
}

export function toast(msg, kind = 'info', ms = 5000) {
	const box = document.getElementById('toasts');
	const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, msg);
	box.append(t);
	setTimeout(() => t.remove(), ms);
	return t;
}
