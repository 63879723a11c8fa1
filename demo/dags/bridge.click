// Stand-in for dts/firewall.click while the firewall atoms are not there:
// a plain bridge p1 <-> p2 with one counter per direction.
in1 :: FromDevice(p1); out2 :: ToDevice(p2);
in2 :: FromDevice(p2); out1 :: ToDevice(p1);
in1 -> c12 :: Counter -> out2;
in2 -> c21 :: Counter -> out1;
