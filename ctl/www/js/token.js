// The bearer token for requests that change something. It is asked for
// once, kept in this tab's sessionStorage, and may come in the URL
// fragment (#token=...; `make dashboard` prints such a link): a fragment
// never reaches the server or its logs.
const KEY = 'clickup.token';

export function getToken() {
	return sessionStorage.getItem(KEY) || '';
}

export function setToken(t) {
	if (t)
		sessionStorage.setItem(KEY, t);
	else
		sessionStorage.removeItem(KEY);
	updateButton();
}

// Take #token=... (alone or as &token= after a route) out of the URL.
export function tokenFromHash() {
	const m = location.hash.match(/(^#|[?&])token=([^&]*)/);
	if (!m)
		return;
	setToken(decodeURIComponent(m[2]));
	const rest = location.hash.replace(/[?&]?token=[^&]*/, '').replace(/^#$/, '');
	history.replaceState(null, '', location.pathname + location.search + (rest || '#/'));
}

function updateButton() {
	const b = document.getElementById('token-btn');
	if (!b)
		return;
	const have = !!getToken();
	b.textContent = have ? 'token ✓' : 'token';
	b.dataset.have = have ? '1' : '0';
}

let pending = null;

// The dialog; resolves to the token, or '' when cancelled.
export function askToken(why) {
	if (pending)
		return pending;
	const dlg = document.getElementById('token-dialog');
	const input = document.getElementById('token-input');
	const p = dlg.querySelector('p');
	if (why)
		p.dataset.why = why;
	input.value = '';
	pending = new Promise(resolve => {
		dlg.addEventListener('close', () => {
			pending = null;
			const t = dlg.returnValue === 'ok' ? input.value.trim() : '';
			if (t)
				setToken(t);
			resolve(t);
		}, { once: true });
	});
	dlg.showModal();
	input.focus();
	return pending;
}

export function initToken() {
	tokenFromHash();
	updateButton();
	document.getElementById('token-btn').addEventListener('click', async () => {
		if (getToken() && confirm('Forget the token of this tab?'))
			setToken('');
		else if (!getToken())
			await askToken();
	});
}
