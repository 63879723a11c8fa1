// selftests/hostile_nat.sh: a NAT gateway between a client LAN (p1,
// 192.168.1.0/24, gateway 192.168.1.1) and an outside link (p2, NAT
// address 10.0.0.254, next hop 10.0.0.1), as Click builds one: each side
// answers ARP for its address, and frames are re-addressed by encap (fixed
// MACs: the test sets them). The same case as nftables masquerade in a
// routed netns.
define($GW_IP 192.168.1.1, $GW_MAC 02:00:00:00:01:01,
       $CLI_MAC 02:00:00:00:01:02, $NAT_IP 10.0.0.254,
       $NAT_MAC 02:00:00:00:02:fe, $RTR_MAC 02:00:00:00:02:01)

in1  :: FromDevice(p1);
out1 :: ToDevice(p1);
in2  :: FromDevice(p2);
out2 :: ToDevice(p2);
nat  :: NAT(natgw, $NAT_IP, 20000-29999);
c1   :: Classifier(12/0800, 12/0806, -);
c2   :: Classifier(12/0800, 12/0806, -);

in1 -> c1;
in2 -> c2;
c1 [1] -> arp1 :: ARPResponder($GW_IP, $GW_MAC) -> out1;
c2 [1] -> arp2 :: ARPResponder($NAT_IP, $NAT_MAC) -> out2;
c1 [2] -> Discard;
c2 [2] -> Discard;
c1 [0] -> Strip(14) -> CheckIPHeader -> [0] nat;
c2 [0] -> Strip(14) -> CheckIPHeader -> [1] nat;
nat [0] -> Encap(0x0800, $NAT_MAC, $RTR_MAC) -> out2;
nat [1] -> Encap(0x0800, $GW_MAC, $CLI_MAC) -> out1;
nat [2] -> miss :: Counter -> Discard;
