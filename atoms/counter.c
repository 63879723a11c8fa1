// SPDX-License-Identifier: GPL-2.0
/*
 * counter: pass packets through (Click's Counter). The counting itself is
 * the core's per-atom per-CPU counters, which a same-named counter in the
 * next DAG generation keeps; the handlers read and reset them.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <net/clickup.h>

/* The rate's window; handlers run under the netns mutex, one at a time. */
struct counter_priv {
	u64	since_ns;	/* start of the current window */
	u64	since_packets;
	u64	rate;		/* packets/s over the last closed window */
};

static int counter_init(struct clickup_atom *atom, u32 argc,
			char *const *argv, struct netlink_ext_ack *extack)
{
	struct counter_priv *p = clickup_atom_priv(atom);

	p->since_ns = ktime_get_ns();
	return 0;
}

static int counter_migrate(struct clickup_atom *new, struct clickup_atom *old,
			   struct netlink_ext_ack *extack)
{
	*(struct counter_priv *)clickup_atom_priv(new) =
		*(struct counter_priv *)clickup_atom_priv(old);
	return 0;
}

static int counter_process(struct clickup_atom *atom, struct sk_buff *skb,
			   const struct clickup_pkt *pkt)
{
	return 0;
}

static int counter_read(struct clickup_atom *atom, char *buf, size_t size,
			bool bytes)
{
	u64 p, b, d;

	clickup_atom_stats(atom, &p, &b, &d);
	return scnprintf(buf, size, "%llu", bytes ? b : p);
}

static int counter_count(struct clickup_atom *atom, char *buf, size_t size)
{
	return counter_read(atom, buf, size, false);
}

static int counter_byte_count(struct clickup_atom *atom, char *buf,
			      size_t size)
{
	return counter_read(atom, buf, size, true);
}

/*
 * Packets per second over the last window of at least a second between
 * two reads (the first window starts at init or reset): pollers that read
 * every second or more see the current rate, no packet-path cost.
 */
static int counter_rate(struct clickup_atom *atom, char *buf, size_t size)
{
	struct counter_priv *c = clickup_atom_priv(atom);
	u64 now = ktime_get_ns(), p, b, d;

	clickup_atom_stats(atom, &p, &b, &d);
	if (now - c->since_ns >= NSEC_PER_SEC) {
		c->rate = div64_u64((p - c->since_packets) * NSEC_PER_SEC,
				    now - c->since_ns);
		c->since_ns = now;
		c->since_packets = p;
	}
	return scnprintf(buf, size, "%llu", c->rate);
}

static int counter_reset(struct clickup_atom *atom, const char *value,
			 struct netlink_ext_ack *extack)
{
	struct counter_priv *c = clickup_atom_priv(atom);

	clickup_atom_stats_reset(atom);
	c->since_ns = ktime_get_ns();
	c->since_packets = 0;
	c->rate = 0;
	return 0;
}

static const struct clickup_handler counter_handlers[] = {
	{ "count", counter_count },
	{ "byte_count", counter_byte_count },
	{ "rate", counter_rate },
	{ "reset", NULL, counter_reset },
	{ }
};

static struct clickup_atom_type counter_type = {
	.name		= "counter",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.priv_size	= sizeof(struct counter_priv),
	.init		= counter_init,
	.migrate	= counter_migrate,
	.process	= counter_process,
	.handlers	= counter_handlers,
};

module_clickup_atom(counter_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom counter: count and pass");
MODULE_ALIAS_CLICKUP_ATOM("counter");
