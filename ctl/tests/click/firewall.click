// The seed firewall (dts/firewall.click) written with compound elements:
// it flattens to the same DAG. CLICK-UP atoms only, so it loads.
define($TABLE fw, $CLIENT_MAC fa:fe:ca:5d:97:6c, $SERVER_MAC ee:43:35:3d:55:7c)

// Ethernet in: checked IPv4 on output 0, ARP on 1, other frames dropped
elementclass EtherIn {
  input -> c :: Classifier(12/0800, 12/0806, -) -> Strip(14) -> CheckIPHeader -> output
  c [1] -> [1] output
  c [2] -> Discard
}

// One side of the stateful whitelist: output 0 = the step that
// whitelists a flow, 1 = any other allowed packet
elementclass Whitelist { $t, $side |
  input -> rs :: ReadState($t, $side) -> sc :: SessionCheck($t, $side) -> [0] output
  rs [1] -> [1] output
  sc [1] -> [1] output
  sc [2] -> Discard
}

in :: FromDevice(p1); out :: ToDevice(p2)
enc :: Encap(0x0800, $CLIENT_MAC, $SERVER_MAC)

in -> v4 :: EtherIn -> l4 :: IPClassifier(tcp, udp, -) -> wl :: Whitelist($TABLE, inside)
wl -> WriteState($TABLE) -> enc -> out
l4 [1] -> wl
l4 [2] -> enc
wl [1] -> enc
v4 [1] -> out

// replies: only the flows opened from the inside, and some ICMP
back :: FromDevice(p2); bout :: ToDevice(p1); bun :: Unstrip(14)
back -> bv4 :: EtherIn -> bl4 :: IPClassifier(tcp, udp, icmp type 0, icmp type 3, icmp type 11, icmp type 12, -)
bl4 -> bwl :: Whitelist($TABLE, outside) -> bun -> bout
bl4 [1] -> bwl
bl4 [2] -> bun
bl4 [3] -> bun
bl4 [4] -> bun
bl4 [5] -> bun
bl4 [6] -> Discard
bwl [1] -> bun
bv4 [1] -> bout
