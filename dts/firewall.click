// The seed's whitelist firewall (CLICK-UP demo walkthrough), made a
// stateful firewall: a bump in the wire between p1 (the inside: clients)
// and p2 (the outside: servers). Both directions go through the flow
// table "fw" (core-owned, so it survives upgrades), tracked as
// nf_conntrack does (TCP states, sequence and window checks; UDP replied
// or not):
//   inside -> outside: a TCP SYN or any UDP packet opens a flow; packets
//     of known flows pass if the tracker accepts them;
//   outside -> inside: only packets of flows opened from the inside (their
//     REPLY direction) pass; an inbound SYN, or anything of no flow, is
//     dropped. Out-of-window segments are counted and passed (policy
//     liberal, the default) or dropped (clickupctl state set fw policy
//     strict).
// Non-TCP/UDP IPv4 passes outbound; inbound only ICMP echo replies and
// the errors that path MTU discovery and traceroute need (unreachable,
// time exceeded, parameter problem), not checked against flows.
// ARP passes both ways (the hosts must resolve each other). IPv6 is
// dropped both ways: this element does not track it, and passing it
// would let anything through. Other non-IP frames (VLAN tags, PPPoE, ...)
// are dropped too: they could carry IP around the filter.
// Fragments past the first carry no ports: TCP/UDP ones are dropped.
// encap writes the seed's addresses: the client's interface must have
// MAC fa:fe:ca:5d:97:6c and the server's ee:43:35:3d:55:7c.

in      :: FromDevice(p1);
out     :: ToDevice(p2);
ip      :: Classifier(12/0800, 12/0806, -);
strip   :: Strip(14);
chk     :: CheckIPHeader;
tcp     :: IPClassifier(tcp, udp, -);
rs      :: ReadState(fw, inside);
sc      :: SessionCheck(fw, inside);
ws      :: WriteState(fw);
enc     :: Encap(0x0800, fa:fe:ca:5d:97:6c, ee:43:35:3d:55:7c);
drop    :: Discard;
nonip   :: Discard;

in -> ip;
ip [0] -> strip -> chk -> tcp;
ip [1] -> out;
ip [2] -> nonip;
tcp [0] -> rs;
tcp [1] -> rs;
tcp [2] -> enc;
rs [0] -> sc;
rs [1] -> enc;
sc [0] -> ws -> enc;
sc [1] -> enc;
sc [2] -> drop;
enc -> out;

back_in  :: FromDevice(p2);
back_out :: ToDevice(p1);
bip      :: Classifier(12/0800, 12/0806, -);
bchk     :: CheckIPHeader;
bl4      :: IPClassifier(tcp, udp, icmp type 0, icmp type 3,
			 icmp type 11, icmp type 12, -);
brs      :: ReadState(fw, outside);
bsc      :: SessionCheck(fw, outside);
bun      :: Unstrip(14);
bdrop    :: Discard;
bother   :: Discard;
bnonip   :: Discard;

back_in -> bip;
bip [0] -> Strip(14) -> bchk -> bl4;
bip [1] -> back_out;
bip [2] -> bnonip;
bl4 [0] -> brs;
bl4 [1] -> brs;
bl4 [2] -> bun;
bl4 [3] -> bun;
bl4 [4] -> bun;
bl4 [5] -> bun;
bl4 [6] -> bother;
brs [0] -> bsc;
brs [1] -> bun;
bsc [0] -> bun;
bsc [1] -> bun;
bsc [2] -> bdrop;
bun -> back_out;
