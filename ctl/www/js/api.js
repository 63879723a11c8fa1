// clickupd's HTTP API (docs/http-api.md). Every request that changes
// something carries the bearer token; a 401 asks for it and retries once.
import { getToken, askToken, setToken } from './token.js';

const BASE = '/api/v1';

export class ApiError extends Error {
	constructor(status, body) {
		super(errorText(body) || `HTTP ${status}`);
		this.status = status;
		this.body = body || {};
		// parse errors point at the text, kernel errors at an atom
		this.line = this.body.line ?? this.body.error?.line;
		this.col = this.body.col ?? this.body.error?.col;
		this.atom = this.body.atom ?? this.body.error?.atom;
	}
}

function errorText(b) {
	if (!b)
		return '';
	if (typeof b === 'string')
		return b;
	if (typeof b.error === 'string')
		return b.error;
	return b.error?.message || b.message || '';
}

export const enc = encodeURIComponent;

async function once(method, path, body) {
	const headers = {};
	const tok = getToken();
	if (method !== 'GET' && tok)
		headers.Authorization = `Bearer ${tok}`;
	if (body !== undefined)
		headers['Content-Type'] = 'text/plain; charset=utf-8';
	const r = await fetch(BASE + path, { method, headers, body, cache: 'no-store' });
	const text = await r.text();
	let data = null;
	try {
		data = text ? JSON.parse(text) : null;
	} catch {
		data = text;
	}
	if (!r.ok)
		throw new ApiError(r.status, data);
	return { data, headers: r.headers };
}

// quiet: do not open the token dialog (background requests)
export async function api(method, path, body, { quiet = false } = {}) {
	return (await full(method, path, body, quiet)).data;
}

// The reply's data and headers (X-Total-Count of the flow pages).
export async function full(method, path, body, quiet = false) {
	try {
		return await once(method, path, body);
	} catch (e) {
		if (!(e instanceof ApiError) || e.status !== 401 || quiet || method === 'GET')
			throw e;
		if (getToken())
			setToken('');	/* it was refused: a stale token */
		if (!await askToken(e.message))
			throw e;
		return once(method, path, body);
	}
}

export const get = p => api('GET', p);
