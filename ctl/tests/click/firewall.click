// The seed firewall (dts/firewall.click) written with compound elements:
// it flattens to the same DAG. CLICK-UP atoms only, so it loads.
define($TABLE fw, $CLIENT_MAC fa:fe:ca:5d:97:6c, $SERVER_MAC ee:43:35:3d:55:7c)

// Ethernet in, checked IPv4 out (output 0); non-IP frames on output 1
elementclass IPv4In {
  input -> ip :: Classifier(12/0800, -) -> Strip(14) -> CheckIPHeader -> output
  ip [1] -> [1] output
}

// TCP whitelist: output 0 = allowed, and that is all that leaves it
elementclass Whitelist { $t |
  input -> rs :: ReadState($t) -> sc :: SessionCheck($t) -> ws :: WriteState($t) -> output
  rs [1] -> output
  sc [1] -> output
  sc [2] -> Discard
}

in :: FromDevice(p1); out :: ToDevice(p2)
enc :: Encap(0x0800, $CLIENT_MAC, $SERVER_MAC)

in -> v4 :: IPv4In -> tcp :: IPClassifier(tcp, -) -> wl :: Whitelist($TABLE) -> enc -> out
v4 [1] -> out
tcp [1] -> enc

FromDevice(p2) -> ToDevice(p1)         // replies pass straight through
