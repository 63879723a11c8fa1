// Source NAT between p1 (inside: the client) and p2 (outside: the
// server), as in the seed's NAT experiment. The client's TCP/UDP flows
// leave with source 10.0.0.254 and a port from 20000-29999; replies to
// 10.0.0.254 are translated back. The mappings live in the core-owned
// table "natmap", so an upgrade keeps every connection.
// Nobody answers ARP for 10.0.0.254: give the server a static neighbour
// entry for it with the client's MAC (ip neigh add 10.0.0.254 lladdr ...).

in1  :: FromDevice(p1);
out2 :: ToDevice(p2);
in2  :: FromDevice(p2);
out1 :: ToDevice(p1);
nat  :: NAT(natmap, 10.0.0.254, 20000-29999);
ip1  :: Classifier(12/0800, -);
ip2  :: Classifier(12/0800, -);
// Only TCP and UDP meet nat: other IP (ping) passes untranslated, each
// way to its own side.
l4_1 :: IPClassifier(tcp, udp, -);
l4_2 :: IPClassifier(tcp, udp, -);

in1 -> ip1;
in2 -> ip2;
ip1 [1] -> out2;
ip2 [1] -> out1;
ip1 [0] -> Strip(14) -> CheckIPHeader -> l4_1;
ip2 [0] -> Strip(14) -> CheckIPHeader -> l4_2;
l4_1 [0] -> nat;
l4_1 [1] -> nat;
l4_1 [2] -> out2;
l4_2 [0] -> nat;
l4_2 [1] -> nat;
l4_2 [2] -> out1;
nat [0] -> Unstrip(14) -> out2;
nat [1] -> Unstrip(14) -> out1;
