// a cycle: a -> b -> a (clickupctl check must refuse it offline)
in1 :: FromDevice(p1);
in1 -> a :: Counter -> b :: Counter -> a;
