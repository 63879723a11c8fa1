// pkt_fuzz.sh: every frame pktfuzz sends on i0 arrives here (i1), as is.
// All atom types but fromhook (hooks.click) and bpf (gso.click) meet the
// fuzzed frames; bad IPv4 is logged, the rest leaves on o0 (to
// outframes.click), goes to the stack (to hooks.click) or is dropped.
in  :: FromDevice(i1);
out :: ToDevice(o0);
// The stack takes the outer VLAN tag off before netdev ingress
// (skb_vlan_untag): 12/8100 sees the inner tag of QinQ frames only.
c   :: Classifier(12/0800, 12/86dd, 12/8100, 12/0806, -);

c [0] -> strip :: Strip(14) -> chk :: CheckIPHeader -> ipc :: IPClassifier(tcp, udp, icmp, -);
in -> c;
chk [1] -> bad :: Log(fz-bad) -> Discard;

// TCP: the whitelist
ipc [0] -> rs :: ReadState(fzt);
rs [0] -> sc :: SessionCheck(fzt);
rs [1] -> ok :: Counter;
sc [0] -> ws :: WriteState(fzt) -> ok;
sc [1] -> ok;
sc [2] -> Discard;
ok -> enc :: Encap(0x0800, 02:00:00:00:00:01, 02:00:00:00:00:02) -> out;

// UDP and ICMP: NAT; to its address from the outside (input 1), the rest
// from the inside. ICMP also goes to the stack (hooks.click sees it at
// prerouting) when nat does not translate it.
ipc [1] -> side :: IPClassifier(dst host 10.0.0.254, -);
ipc [2] -> side;
side [0] -> [1] nat :: NAT(fzn, 10.0.0.254, 20000-20099);
side [1] -> [0] nat;
nat [0] -> un2 :: Unstrip(14) -> out;
nat [1] -> un2;
nat [2] -> nomap :: IPClassifier(icmp, -);
nomap [0] -> lg :: Log(fz-icmp) -> Accept;
nomap [1] -> Log(fz-nomap) -> Discard;

// Other IPv4 to the stack
ipc [3] -> Accept;

// IPv6 to the stack; QinQ's inner tag checked in place, then out; ARP
c [1] -> v6 :: Counter -> Accept;
c [2] -> vchk :: CheckIPHeader(18) -> vl :: Strip(18) -> Unstrip(18) -> out;
c [3] -> arp :: Counter -> Discard;
c [4] -> other :: Log(fz-other) -> Discard;
