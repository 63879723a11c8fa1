// The DAG editor: text checked as it is typed (POST /api/v1/check; errors
// at line:col), the parsed DAG drawn as a preview, the difference from
// the running element (new, removed, migrated atoms), then create or
// upgrade (PUT /api/v1/elements/NE).
import { h, clear, toast } from './dom.js';
import { api, enc, ApiError } from './api.js';
import * as store from './store.js';
import * as graph from './graph.js';
import * as diff from './diff.js';
import * as fmt from './fmt.js';
import { codeArea } from './codearea.js';
import { refreshOne } from './events.js';
import * as dagtext from './dagtext.js';

const NAME_RE = /^[A-Za-z0-9_.-]{1,31}$/;
const STARTER = `// A new element: a counting bridge between two devices.
in  :: FromDevice(p1);
cnt :: Counter;
out :: ToDevice(p2);

in -> cnt -> out;
`;

// The message without its "<body>:3:8: " prefix (the position is shown apart)
const errText = e => e.message.replace(/^<body>:(\d+:)*\s*/, '');

// "file:3:8: message" -> {line: 3, col: 8} when the reply has no fields
function position(e) {
	if (e.line)
		return { line: +e.line, col: +(e.col || 1) };
	const m = /:(\d+):(\d+): /.exec(e.message);
	return m ? { line: +m[1], col: +m[2] } : null;
}

// The page: NAME is null for a new element. Returns a cleanup function.
export function view(main, name) {
	const creating = !name;
	let parsed = null;	/* the last DAG that checked */
	let seq = 0;
	let timer = null;

	const nameIn = h('input', { id: 'ne-name', placeholder: 'element name', value: name || '',
				    size: 14, spellcheck: 'false', disabled: !creating });
	const status = h('div', { class: 'status', id: 'check-status', role: 'status' }, 'checking…');
	const preview = h('div', { class: 'graph preview', id: 'preview' });
	const diffBox = h('div', { id: 'diff-box' });
	const submit = h('button', { type: 'button', id: 'submit-btn', disabled: true }, 'Submit');
	const fileIn = h('input', { type: 'file', accept: '.click,.txt,.edges,text/plain', hidden: true });

	const running = () => store.state.elements.get(nameIn.value.trim());
	const label = () => {
		const n = nameIn.value.trim();
		const ne = running();
		submit.textContent = !n ? 'Submit' : ne ? `Upgrade ${n} (g${ne.generation} → g${ne.generation + 1})`
			: `Create ${n}`;
		submit.disabled = !parsed || !NAME_RE.test(n);
	};

	const setStatus = (kind, text, pos) => {
		status.className = `status ${kind}`;
		status.textContent = text;
		delete status.dataset.line;
		delete status.dataset.col;
		if (pos) {
			status.dataset.line = pos.line;
			status.dataset.col = pos.col;
		}
	};

	const showDiff = () => {
		clear(diffBox);
		if (!parsed)
			return;
		const ne = running();
		const d = diff.diff(ne, parsed);
		diffBox.append(diff.render(d, !ne));
		graph.draw(preview, parsed, { types: store.state.types, mark: diff.marker(d),
					      note: diff.note(d), label: 'preview' });
	};

	const check = async text => {
		const my = ++seq;
		try {
			const dag = await api('POST', '/check', text, { quiet: true });
			if (my !== seq)
				return;
			parsed = dag;
			code.setError(null);
			setStatus('ok', `ok: ${dag.nr_atoms ?? dag.atoms.length} atoms, ` +
				  `${dag.nr_edges ?? dag.edges.length} edges, ${dag.nr_entries ?? '?'} entries`);
			showDiff();
		} catch (e) {
			if (my !== seq)
				return;
			parsed = null;
			const pos = e instanceof ApiError ? position(e) : null;
			code.setError(pos);
			setStatus('err', pos ? `line ${pos.line}, col ${pos.col}: ${errText(e)}` : errText(e), pos);
			clear(diffBox);
			preview.classList.add('stale');
		}
		if (parsed)
			preview.classList.remove('stale');
		label();
	};
	const schedule = text => {
		clearTimeout(timer);
		setStatus('busy', 'checking…');
		submit.disabled = true;
		timer = setTimeout(() => check(text), 250);
	};

	const ne0 = name && store.state.elements.get(name);
	const code = codeArea({
		value: (name && dagtext.saved(name)) || (ne0 ? dagtext.toClick(ne0) : STARTER),
		onInput: schedule,
	});

	const send = async () => {
		const n = nameIn.value.trim();
		if (!parsed || !NAME_RE.test(n))
			return;
		submit.disabled = true;
		const text = code.value;
		try {
			const r = await api('PUT', `/elements/${enc(n)}`, text);
			dagtext.save(n, text);
			store.addSwap({ event: r?.event || (running() ? 'upgrade' : 'create'), name: n, ...r });
			toast(`${r?.event === 'create' ? 'created' : 'upgraded'} ${n}: generation ${r?.generation} in ` +
			      `${fmt.ns(r?.total_ns)} (${r?.new_atoms ?? '?'} new, ${r?.migrated ?? '?'} migrated)`, 'ok');
			await refreshOne(n);	/* the page draws the new DAG at once */
			location.hash = `#/ne/${enc(n)}`;
		} catch (e) {
			setStatus('err', `${n}: ${errText(e)}`, position(e));
			code.setError(position(e));
			toast(`${n}: ${e.message}`, 'error', 9000);
			label();
		}
	};
	submit.addEventListener('click', send);
	code.textarea.addEventListener('keydown', e => {
		if (e.key === 'Enter' && (e.ctrlKey || e.metaKey))
			send();
	});
	nameIn.addEventListener('input', () => {
		label();
		showDiff();
	});
	fileIn.addEventListener('change', async () => {
		const f = fileIn.files[0];
		if (f)
			code.value = await f.text();
	});

	main.append(h('section', { class: 'editor-view' },
		h('div', { class: 'head' },
			h('h1', {}, creating ? 'New element' : `Edit ${name}`),
			creating ? nameIn : '',
			h('span', { class: 'spacer' }),
			h('button', { type: 'button', class: 'ghost', onclick: () => fileIn.click() }, 'Open file…'),
			fileIn,
			name ? h('button', { type: 'button', class: 'ghost', onclick: () => {
				const ne = store.state.elements.get(name);
				if (ne)
					code.value = dagtext.toClick(ne);
			} }, 'Reset to running') : '',
			submit),
		h('div', { class: 'split editor' },
			h('div', { class: 'card code-card' }, code.el, status),
			h('div', { class: 'card grow' },
				h('h3', {}, 'Preview'), preview, diffBox))));
	const off = store.on('elements', () => {
		label();
	});
	check(code.value);
	code.textarea.setSelectionRange(0, 0);
	code.focus();
	return () => {
		clearTimeout(timer);
		off();
	};
}
