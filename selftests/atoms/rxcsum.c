// SPDX-License-Identifier: GPL-2.0
/*
 * rxcsum: a test atom. Makes the packet look as a NIC with checksum
 * offload delivers it (CHECKSUM_COMPLETE, skb->csum the sum of the data
 * as the atom sees it), which no device of the test VM does. Whatever the
 * atoms after it pull or push, the stack must then find the sum still
 * covering its own view: else it logs "hw csum failure" with a stack.
 * Output 0: converted. Output 1: left as it was, because its L4 checksum
 * is not final (CHECKSUM_PARTIAL, GSO), which a NIC never delivers.
 * Built for selftests/entry_restore.sh only; never installed.
 */
#include <linux/skbuff.h>
#include <net/clickup.h>

static int rxcsum_process(struct clickup_atom *atom, struct sk_buff *skb,
			  const struct clickup_pkt *pkt)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL || skb_is_gso(skb))
		return 1;
	skb->csum = skb_checksum(skb, 0, skb->len, 0);
	skb->ip_summed = CHECKSUM_COMPLETE;
	return 0;
}

static struct clickup_atom_type rxcsum_type = {
	.name		= "rxcsum",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 2,
	.optional_outputs = BIT_ULL(1),
	.process	= rxcsum_process,
};

module_clickup_atom(rxcsum_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP test atom: CHECKSUM_COMPLETE as a NIC sets it");
MODULE_ALIAS_CLICKUP_ATOM("rxcsum");
