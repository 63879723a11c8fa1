// bench: a 45-atom element (17 atom types) for `make bench`: the seed
// whitelist firewall from client to server with per-class counters, a
// log of illegal segments, an unstrip/strip pair, ARP (one address
// answered by an ARPResponder) and non-IP branches, the way back counted
// but not filtered, and an IPv4 forward hook. It carries the seed
// namespaces' TCP, UDP and ICMP traffic (same table "fw", same MACs for
// encap as dts/firewall.click), walking ~12-15 atoms per packet. Created
// from scratch as Click's ~45-module element is; used for the packet path
// test (d) too.

// client -> server (p1 -> p2)
in1   :: FromDevice(p1);
out2  :: ToDevice(p2);
rx1   :: Counter;
eth1  :: Classifier(12/0800, 12/0806, -);
arp1  :: Counter;
// answers ARP for 10.0.0.250 (no host has it) back into p1
arpr  :: ARPResponder(10.0.0.250, 02:00:00:00:00:fa);
nonip1:: Counter;
st1   :: Strip(14);
chk1  :: CheckIPHeader;
bad1  :: Counter;
badlog:: Log(bad-ip);
baddrop :: Discard;
l4_1  :: IPClassifier(tcp, udp, icmp, -);
tcp1  :: Counter;
udp1  :: Counter;
icmp1 :: Counter;
oth1  :: Counter;
rs    :: ReadState(fw);
sc    :: SessionCheck(fw);
ws    :: WriteState(fw);
est   :: Counter;
legal :: Counter;
newc  :: Counter;
ill   :: Log(fw-drop);
drop  :: Discard;
us1   :: Unstrip(14);
st1b  :: Strip(14);
enc1  :: Encap(0x0800, fa:fe:ca:5d:97:6c, ee:43:35:3d:55:7c);
tx2   :: Counter;

in1 -> rx1 -> eth1;
eth1 [0] -> st1 -> chk1 -> l4_1;
eth1 [1] -> arp1 -> arpr;
arpr [1] -> out2;
eth1 [2] -> nonip1 -> out2;
chk1 [1] -> bad1 -> badlog -> baddrop;
l4_1 [0] -> tcp1 -> rs;
l4_1 [1] -> udp1 -> us1 -> st1b -> enc1;
l4_1 [2] -> icmp1 -> enc1;
l4_1 [3] -> oth1 -> enc1;
rs [0] -> sc;
rs [1] -> est -> enc1;
sc [0] -> ws -> newc -> enc1;
sc [1] -> legal -> enc1;
sc [2] -> ill -> drop;
enc1 -> tx2 -> out2;

// server -> client (p2 -> p1): classified and counted, not filtered
in2   :: FromDevice(p2);
out1  :: ToDevice(p1);
rx2   :: Counter;
eth2  :: Classifier(12/0800, -);
nonip2:: Counter;
st2   :: Strip(14);
chk2  :: CheckIPHeader;
bad2  :: Counter;
l4_2  :: IPClassifier(tcp, udp, -);
tcp2  :: Counter;
udp2  :: Counter;
oth2  :: Counter;
us2   :: Unstrip(14);
tx1   :: Counter;

in2 -> rx2 -> eth2;
eth2 [0] -> st2 -> chk2 -> l4_2;
eth2 [1] -> nonip2 -> out1;
chk2 [1] -> bad2 -> baddrop;
l4_2 [0] -> tcp2 -> us2;
l4_2 [1] -> udp2 -> us2;
l4_2 [2] -> oth2 -> us2;
us2 -> tx1 -> out1;
arpr [0] -> out1;

// routed IPv4 in this namespace (none in the bench): accepted
fh    :: FromHook(ipv4, forward);
acc   :: Accept;
fh -> acc;
