// bridge.click with a device that does not exist: atom init fails
in1 :: FromDevice(p1); out2 :: ToDevice(nosuchdev);
in2 :: FromDevice(p2); out1 :: ToDevice(p1);
in1 -> c12 :: Counter -> out2;
in2 -> c21 :: Counter -> out1;
