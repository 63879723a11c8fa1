// A plain bump in the wire: p1 <-> p2, counting each direction. The
// smallest element that carries traffic; the firewall-less walkthrough.
in1 :: FromDevice(p1);
out2 :: ToDevice(p2);
in2 :: FromDevice(p2);
out1 :: ToDevice(p1);
in1 -> c12 :: Counter -> out2;
in2 -> c21 :: Counter -> out1;
