// bridge p1 <-> p2 without counters: in1/out2/in2/out1 carry over from
// bridge.click, c12/c21 come and go (swap_load.sh alternates the two)
in1 :: FromDevice(p1); out2 :: ToDevice(p2);
in2 :: FromDevice(p2); out1 :: ToDevice(p1);
in1 -> out2;
in2 -> out1;
