// The upgrade of dags/bridge.click: one more atom (a second counter) on
// the client -> server path; every other atom keeps its name and type.
in1 :: FromDevice(p1); out2 :: ToDevice(p2);
in2 :: FromDevice(p2); out1 :: ToDevice(p1);
in1 -> c12 :: Counter -> up :: Counter -> out2;
in2 -> c21 :: Counter -> out1;
