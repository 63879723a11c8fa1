// SPDX-License-Identifier: GPL-2.0
/*
 * bpf(OBJECT[, PROGRAM[, NOUTPUTS]]): runs a user's BPF socket filter
 * program per packet; its return value is the output port. Values past
 * the last port go to the last one. NOUTPUTS (1..CLICKUP_MAX_PORTS)
 * defaults to 2.
 *
 * The kernel never reads OBJECT: clickupctl loads the program with libbpf
 * (or opens a pinned one) and sends its descriptor with the atom
 * (CLICKUP_ATOM_A_FD); init() runs in the sender's context and takes its
 * own reference on the program. OBJECT and PROGRAM stay as the atom's
 * arguments, for `clickupctl show`. An upgrade loads the object again:
 * the new DAG runs the new program, the old one is released with the old
 * DAG.
 *
 * The program sees the packet as xt_bpf and socket filters on IP sockets
 * do: skb->data at the network header, wherever the atom sits (at a
 * fromdevice entry the core hands atoms whole frames; the MAC header is
 * still reachable with SKF_LL_OFF). The data pointer is put back before
 * the next atom runs.
 */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/kernel.h>
#include <net/clickup.h>

#define BPF_ATOM_OUTPUTS	2

struct bpf_atom_priv {
	struct bpf_prog	*prog;
};

static int bpf_atom_init(struct clickup_atom *atom, u32 argc,
			 char *const *argv, struct netlink_ext_ack *extack)
{
	struct bpf_atom_priv *priv = clickup_atom_priv(atom);
	struct bpf_prog *prog;
	u32 n = BPF_ATOM_OUTPUTS;

	if (argc > 2 && clickup_arg_u32(atom, 2, 1, CLICKUP_MAX_PORTS, &n,
					extack))
		return -EINVAL;
	if (!bpf_capable()) {
		clickup_extack_fmt(extack, "running a BPF program needs CAP_BPF");
		return -EPERM;
	}
	if (atom->fd < 0) {
		clickup_extack_fmt(extack,
				   "no program descriptor in the request (clickupctl loads '%s' and sends one)",
				   argv[0]);
		return -EINVAL;
	}
	prog = bpf_prog_get_type(atom->fd, BPF_PROG_TYPE_SOCKET_FILTER);
	if (IS_ERR(prog)) {
		if (PTR_ERR(prog) == -EINVAL)
			clickup_extack_fmt(extack,
					   "program is not a socket filter");
		else
			clickup_extack_fmt(extack,
					   "descriptor %d is not a BPF program",
					   atom->fd);
		return PTR_ERR(prog);
	}
	priv->prog = prog;
	atom->nr_outputs = n;
	return 0;
}

static void bpf_atom_destroy(struct clickup_atom *atom)
{
	struct bpf_atom_priv *priv = clickup_atom_priv(atom);

	if (priv->prog)
		bpf_prog_put(priv->prog);
}

static int bpf_atom_process(struct clickup_atom *atom, struct sk_buff *skb,
			    const struct clickup_pkt *pkt)
{
	const struct bpf_atom_priv *priv = clickup_atom_priv(atom);
	int off = skb_network_offset(skb);
	u32 ret;

	/* skb->data to the network header, as a socket filter expects */
	if (unlikely(off > (int)skb_headlen(skb)))
		off = 0;
	if (off > 0)
		__skb_pull(skb, off);
	else if (off < 0)
		__skb_push(skb, -off);
	ret = bpf_prog_run_save_cb(priv->prog, skb);
	if (off > 0)
		__skb_push(skb, off);
	else if (off < 0)
		__skb_pull(skb, -off);
	return min(ret, atom->nr_outputs - 1);
}

static struct clickup_atom_type bpf_atom_type = {
	.name		= "bpf",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= BPF_ATOM_OUTPUTS,
	.flags		= CLICKUP_TYPE_F_VAR_OUTPUTS,
	.min_args	= 1,
	.max_args	= 3,
	.priv_size	= sizeof(struct bpf_atom_priv),
	.init		= bpf_atom_init,
	.destroy	= bpf_atom_destroy,
	.process	= bpf_atom_process,
};

module_clickup_atom(bpf_atom_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom bpf: a BPF socket filter program picks the output");
MODULE_ALIAS_CLICKUP_ATOM("bpf");
