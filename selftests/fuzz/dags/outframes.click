// pkt_fuzz.sh: what frames.click sent out of o0 arrives on o1.
FromDevice(o1) -> oc :: Counter -> ochk :: CheckIPHeader(14) -> olog :: Log(fz-out) -> Discard;
