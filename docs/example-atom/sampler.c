// SPDX-License-Identifier: GPL-2.0
/*
 * sampler(N): an example atom built out of tree (docs/writing-an-atom.md).
 * Every N-th packet goes to output 1 (a sample), the others to output 0.
 * Output 1 is optional: left unconnected, samples are dropped and counted.
 */
#include <linux/atomic.h>
#include <net/clickup.h>

struct sampler_priv {
	u32		every;
	atomic_t	seen;	/* shared by all CPUs; a sample, not a count */
};

static int sampler_init(struct clickup_atom *atom, u32 argc,
			char *const *argv, struct netlink_ext_ack *extack)
{
	struct sampler_priv *priv = clickup_atom_priv(atom);

	atomic_set(&priv->seen, 0);
	return clickup_arg_u32(atom, 0, 1, U32_MAX, &priv->every, extack);
}

static int sampler_process(struct clickup_atom *atom, struct sk_buff *skb,
			   const struct clickup_pkt *pkt)
{
	struct sampler_priv *priv = clickup_atom_priv(atom);

	return atomic_inc_return(&priv->seen) % priv->every ? 0 : 1;
}

/* Keep the phase across upgrades: the new instance continues the count. */
static int sampler_migrate(struct clickup_atom *new, struct clickup_atom *old,
			   struct netlink_ext_ack *extack)
{
	struct sampler_priv *n = clickup_atom_priv(new);
	struct sampler_priv *o = clickup_atom_priv(old);

	atomic_set(&n->seen, atomic_read(&o->seen));
	return 0;
}

static struct clickup_atom_type sampler_type = {
	.name			= "sampler",
	.owner			= THIS_MODULE,
	.inputs			= 1,
	.outputs		= 2,
	.optional_outputs	= BIT_ULL(1),
	.min_args		= 1,
	.max_args		= 1,
	.priv_size		= sizeof(struct sampler_priv),
	.init			= sampler_init,
	.process		= sampler_process,
	.migrate		= sampler_migrate,
};

module_clickup_atom(sampler_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP example atom: every N-th packet to output 1");
MODULE_ALIAS_CLICKUP_ATOM("sampler");
