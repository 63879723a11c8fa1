/*
 * An IP-in-UDP tunnel endpoint: packets for the remote site are wrapped
 * in UDP and sent to the peer; UDP from the peer on port 4789 is
 * unwrapped and delivered. Shows nested compounds, an anonymous compound
 * and the '=>' many-to-many connector.
 */
define($LOCAL 198.51.100.1, $PEER 203.0.113.9, $PORT 4789)

elementclass Encapsulate {
  $src, $dst, $port |
  input -> UDPIPEncap($src, $port, $dst, $port)
        -> EtherEncap(0x0800, 02:00:00:00:00:01, 02:00:00:00:00:02)
        -> output
}

elementclass Decapsulate {
  input -> Strip(28) -> CheckIPHeader -> output   // IP + UDP headers
}

// a bidirectional endpoint, built from the two above
elementclass Endpoint {
  $src, $dst, $port |
  input [0] -> Encapsulate($src, $dst, $port) -> [0] output
  input [1] -> Decapsulate -> [1] output
}

lan :: FromDevice(lan0) -> lc :: Classifier(12/0800, -)
wan :: FromDevice(wan0) -> wc :: Classifier(12/0800 23/11 36/12b5, -)
ep :: Endpoint($LOCAL, $PEER, $PORT)

lc [0] -> Strip(14) -> [0] ep
wc [0] -> Strip(14) -> [1] ep
ep => ToDevice(wan0),
      { input -> EtherEncap(0x0800, 02:00:00:00:00:03, 02:00:00:00:00:04) -> ToDevice(lan0) }
lc [1], wc [1] -> Discard
