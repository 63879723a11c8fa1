// line 3 has a parse error at column 8
in1 :: FromDevice(p1);
in1 -> -> out2;
