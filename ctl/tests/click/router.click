// A two-interface IPv4 router, in the style of Click's generated
// ip router configurations: one compound element per interface handles
// ARP and strips the Ethernet header; the routing table decides the
// output interface; every output path decrements the TTL and fragments.
require(package "click-up-corpus")

define($E0 eth0, $E1 eth1,
       $A0 10.0.0.1, $A1 192.168.1.1,
       $M0 00:11:22:33:44:55, $M1 00:11:22:33:44:66)

elementclass Interface {
  $dev, $addr, $mac |
  // ARP queries, ARP replies, IP, everything else
  from :: FromDevice($dev) -> c :: Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);
  out :: Queue(200) -> to :: ToDevice($dev);
  c [0] -> ARPResponder($addr $mac) -> out;
  arpq :: ARPQuerier($addr, $mac) -> out;
  c [1] -> [1] arpq;
  c [2] -> Paint(0) -> Strip(14) -> output;      // IP to the routing core
  c [3] -> Discard;
  input -> arpq;                                  // IP from the core
}

eth0 :: Interface($E0, $A0, $M0);
eth1 :: Interface($E1, $A1, $M1);

rt :: StaticIPLookup($A0/32 0, $A1/32 0,
                     10.0.0.0/8 1,
                     192.168.1.0/24 2,
                     0.0.0.0/0 192.168.1.254 2)

eth0, eth1 => CheckIPHeader, CheckIPHeader -> GetIPAddress(16) -> rt
rt [0] -> Discard                  // to the router itself: no host stack here

// per output interface: TTL, fragmentation, then ARP
elementclass OutPath { $mtu |
  input -> DropBroadcasts -> ttl :: DecIPTTL -> frag :: IPFragmenter($mtu) -> output
  ttl [1] -> ICMPError(10.0.0.1, timeexceeded) -> [1] output
  frag [1] -> Discard
}
o1, o2 :: OutPath(1500)
rt [1] -> o1 -> eth0
rt [2] -> o2 -> eth1
o1 [1] -> Discard
o2 [1] -> Discard
