// dts/nat.click with one compound per direction: the same DAG.
define($PUBLIC 10.0.0.254, $PORTS 20000-29999)

// frames in; TCP and UDP to the NAT on output 0, other IPv4 and non-IP on 1
elementclass Side {
  input -> ip :: Classifier(12/0800, -) -> Strip(14) -> CheckIPHeader
        -> l4 :: IPClassifier(tcp, udp, -)
  l4 [0] -> output
  l4 [1] -> output
  l4 [2] -> [1] output
  ip [1] -> [1] output
}

in1 :: FromDevice(p1); out2 :: ToDevice(p2)
in2 :: FromDevice(p2); out1 :: ToDevice(p1)
nat :: NAT(natmap, $PUBLIC, $PORTS)

in1 -> s1 :: Side => nat, out2
in2 -> s2 :: Side => nat, out1
nat [0] -> Unstrip(14) -> out2
nat [1] -> Unstrip(14) -> out1
