// dts/nat.click with one compound per side: the same DAG.
define($NAT_IP 10.0.0.254, $PORTS 20000-29999, $CLIENT_MAC 02:00:00:00:00:01)

// frames in; IPv4 checked on output 0, the rest on 1
elementclass Side {
  input -> ip :: Classifier(12/0800, -) -> Strip(14) -> CheckIPHeader -> output
  ip [1] -> [1] output
}

in1 :: FromDevice(p1); out2 :: ToDevice(p2)
in2 :: FromDevice(p2); out1 :: ToDevice(p1)
nat :: NAT(natmap, $NAT_IP, $PORTS)
arp :: ARPResponder($NAT_IP, $CLIENT_MAC)

in1 -> s1 :: Side
s1 [0] -> [0] nat
s1 [1] -> out2
in2 -> ip2 :: Classifier(12/0800, 12/0806, -)
ip2 [0] -> Strip(14) -> CheckIPHeader -> [1] nat
ip2 [1] -> arp
ip2 [2] -> out1
arp [0] -> out2
arp [1] -> out1
nat [0] -> Unstrip(14) -> out2
nat [1] -> Unstrip(14) -> out1
