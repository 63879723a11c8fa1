// pkt_fuzz.sh: fromhook at the IPv4 and IPv6 hooks of the fuzz netns:
// fuzzed frames frames.click accepted, and TCP over loopback (GSO skbs
// of up to 64 KiB, payload in page frags).
h4 :: FromHook(ipv4, prerouting) -> hchk :: CheckIPHeader -> hipc :: IPClassifier(tcp, -);
hipc [0] -> hrs :: ReadState(fzh);
hrs [0] -> hsc :: SessionCheck(fzh);
hrs [1] -> Accept;
hsc [0] -> hws :: WriteState(fzh) -> Accept;
hsc [1] -> Accept;
hsc [2] -> Accept;
hipc [1] -> Accept;
hchk [1] -> Accept;

h4o :: FromHook(ipv4, output, -10) -> Strip(20) -> Unstrip(20) -> hlog :: Log(fz-out4) -> Accept;
h6 :: FromHook(ipv6, prerouting) -> h6c :: Counter -> Accept;
h6i :: FromHook(ipv6, input, 5) -> Accept;
