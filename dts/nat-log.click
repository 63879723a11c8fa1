// The NAT upgrade: nat.click plus one new atom that logs what nat does
// not translate (output 2: from the outside with no mapping, or no free
// port) before dropping it. The mappings in "natmap" survive the swap.
//
// Source NAT between p1 (inside: the client) and p2 (outside: the
// server), as in the seed's NAT experiment. The client's TCP/UDP flows
// and pings leave with source 10.0.0.254 and a port (echo id) from
// 20000-29999; what comes back for a mapping is translated back, ICMP
// errors included (path MTU discovery works through it). The direction
// is the side a frame came in on: nat's input 0 is p1, input 1 is p2, and
// nothing from p2 creates a mapping; what nat cannot translate (output 2)
// is dropped. Fragments are reassembled by nat and fragmented again by
// todevice. The mappings live in the core-owned table "natmap", so an
// upgrade keeps every connection.
// arp answers the outside's ARP requests for 10.0.0.254 with the inside
// host's MAC, so that replies reach it as they are: one host inside, as in
// the seed's experiment, whose MAC is $CLIENT_MAC (set c0's address to it).
define($NAT_IP 10.0.0.254, $PORTS 20000-29999, $CLIENT_MAC 02:00:00:00:00:01)

in1  :: FromDevice(p1);
out2 :: ToDevice(p2);
in2  :: FromDevice(p2);
out1 :: ToDevice(p1);
nat  :: NAT(natmap, $NAT_IP, $PORTS);
arp  :: ARPResponder($NAT_IP, $CLIENT_MAC);
// IPv4 to nat; ARP from the outside to arp; the rest (ARP between the
// two hosts) passes.
ip1  :: Classifier(12/0800, -);
ip2  :: Classifier(12/0800, 12/0806, -);

in1 -> ip1;
in2 -> ip2;
ip1 [1] -> out2;
ip2 [1] -> arp;
ip2 [2] -> out1;
arp [0] -> out2;
arp [1] -> out1;
ip1 [0] -> Strip(14) -> CheckIPHeader -> [0] nat;
ip2 [0] -> Strip(14) -> CheckIPHeader -> [1] nat;
nat [0] -> Unstrip(14) -> out2;
nat [1] -> Unstrip(14) -> out1;
nat [2] -> Log(nat-miss) -> Discard;
