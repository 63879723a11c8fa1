// Start-up and the hash router: #/ (overview), #/new, #/ne/NE,
// #/ne/NE/edit, #/timeline, #/tables[/TABLE].
import { h, clear, toast } from './dom.js';
import { get } from './api.js';
import * as store from './store.js';
import { initToken } from './token.js';
import * as events from './events.js';
import * as elements from './elements.js';
import * as editor from './editor.js';
import * as timeline from './timeline.js';
import * as tables from './tables.js';
import * as overview from './overview.js';

let cleanup = null;

function route() {
	const main = clear(document.getElementById('main'));
	cleanup?.();
	cleanup = null;
	const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
	const [what, arg, sub] = parts;
	if (what === 'ne' && arg && sub === 'edit')
		cleanup = editor.view(main, arg);
	else if (what === 'ne' && arg)
		cleanup = elements.view(main, arg);
	else if (what === 'new')
		cleanup = editor.view(main, null);
	else if (what === 'timeline')
		cleanup = timeline.view(main);
	else if (what === 'tables')
		cleanup = tables.view(main, arg || null);
	else
		cleanup = overview.view(main);
	elements.markNav();
}

async function start() {
	if (!window.ELK)
		toast('vendor/elk-api.js is missing: run make in ctl/www', 'error', 60000);
	initToken();
	store.on('elements', elements.renderList);
	try {
		store.setTypes(await get('/atoms'));
	} catch (e) {
		toast(`atom types: ${e.message}`, 'error');
	}
	try {
		await events.refreshAll();
	} catch (e) {
		document.getElementById('main').append(h('p', { class: 'error' }, `clickupd: ${e.message}`));
	}
	elements.renderList();
	events.connect();
	window.addEventListener('hashchange', route);
	route();
	document.body.dataset.ready = '1';	/* for the browser tests */
}

start();
