// Number formatting for counters, rates and phase times.
const SI = ['', 'k', 'M', 'G', 'T', 'P'];

export function count(n) {
	n = Number(n) || 0;
	if (n < 1000)
		return String(Math.round(n));
	let i = 0;
	while (n >= 1000 && i < SI.length - 1) {
		n /= 1000;
		i++;
	}
	return `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)}${SI[i]}`;
}

export function bytes(n) {
	n = Number(n) || 0;
	if (n < 1024)
		return `${n} B`;
	const u = ['KiB', 'MiB', 'GiB', 'TiB'];
	let i = -1;
	do {
		n /= 1024;
		i++;
	} while (n >= 1024 && i < u.length - 1);
	return `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)} ${u[i]}`;
}

export function rate(perSec, unit) {
	if (perSec === undefined || perSec === null)
		return '';
	return unit === 'B' ? `${bits(perSec * 8)}` : `${count(perSec)} ${unit}/s`;
}

export function bits(perSec) {
	return `${count(perSec)}bit/s`;
}

// Nanoseconds, in the unit that keeps 3 significant digits.
export function ns(v) {
	v = Number(v) || 0;
	if (v < 1000)
		return `${v} ns`;
	if (v < 1e6)
		return `${(v / 1e3).toPrecision(3)} µs`;
	if (v < 1e9)
		return `${(v / 1e6).toPrecision(3)} ms`;
	return `${(v / 1e9).toPrecision(3)} s`;
}

export function clock(t) {
	return new Date(t).toLocaleTimeString([], { hour12: false });
}
