// The Click-language text of a live DAG (show -j), for the editor to start
// from: one declaration per atom, one connection per edge. The parser
// takes lower-case types and names with '@' and '/', as show prints them.
export function toClick(ne) {
	const atoms = [...(ne.atoms || [])].sort((a, b) => a.index - b.index);
	const byIndex = new Map(atoms.map(a => [a.index, a]));
	const w = Math.max(0, ...atoms.map(a => a.name.length));
	const lines = [`// ${ne.name}, generation ${ne.generation} (as the kernel runs it)`];
	for (const a of atoms) {
		const args = (a.args || []).length ? `(${a.args.join(', ')})` : '';
		lines.push(`${a.name.padEnd(w)} :: ${a.type}${args};`);
	}
	lines.push('');
	for (const a of atoms) {
		for (const e of a.edges || []) {
			const d = byIndex.get(e.dst);
			if (!d)
				continue;
			const op = a.nr_outputs > 1 || a.outputs > 1 || e.port ? ` [${e.port}]` : '';
			const ip = e.dst_port ? `[${e.dst_port}] ` : '';
			lines.push(`${a.name}${op} -> ${ip}${d.name};`);
		}
	}
	return `${lines.join('\n')}\n`;
}

// The text last submitted from this tab for NE, if any.
export function saved(ne) {
	return sessionStorage.getItem(`clickup.dag.${ne}`);
}

export function save(ne, text) {
	try {
		sessionStorage.setItem(`clickup.dag.${ne}`, text);
	} catch {
		/* full: the generated text will do */
	}
}
