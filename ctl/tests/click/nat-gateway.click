// A NAT gateway in the style of Click's Mazu NAT example: an inside and
// an outside interface; connections from inside are rewritten to the
// outside address, replies come back through the same rewriter.
require(linuxmodule)

AddressInfo(
  intern   10.0.0.1       10.0.0.0/8      00:50:ba:85:84:a9,
  extern   209.6.198.213  209.6.198.0/24  00:e0:98:09:ab:af
)

elementclass GatewayDevice {
  $device |
  from :: FromDevice($device) -> output;
  input -> q :: Queue(1024) -> to :: ToDevice($device);
}

extern_dev :: GatewayDevice(eth0)
intern_dev :: GatewayDevice(eth1)

// a rewriter input per direction; patterns as IPRewriter documents them
rw :: IPRewriter(pattern extern 50000-65535 - - 0 1, drop)

extern_dev -> ec :: Classifier(12/0800, -)
  -> Strip(14) -> CheckIPHeader -> [1] rw
ec [1] -> Discard
intern_dev -> ic :: Classifier(12/0800, -)
  -> Strip(14) -> CheckIPHeader -> [0] rw
ic [1] -> Discard

rw [0] -> EtherEncap(0x0800, extern:eth, 02:00:0a:11:22:1f) -> extern_dev
rw [1] -> EtherEncap(0x0800, intern:eth, 00:50:ba:85:84:aa) -> intern_dev
