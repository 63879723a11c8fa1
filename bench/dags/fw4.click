// bench: the seed firewall (dts/firewall.click) plus 4 new atom type(s)
// (counter, log, unstrip, accept), for `make bench`'s upgrade latency vs new
// atoms. They change nothing for TCP/UDP traffic between the seed namespaces.

in      :: FromDevice(p1);
out     :: ToDevice(p2);
ip      :: Classifier(12/0800, 12/88b5, -);
strip   :: Strip(14);
chk     :: CheckIPHeader;
tcp     :: IPClassifier(tcp, -);
rs      :: ReadState(fw);
sc      :: SessionCheck(fw);
ws      :: WriteState(fw);
enc     :: Encap(0x0800, fa:fe:ca:5d:97:6c, ee:43:35:3d:55:7c);
drop    :: Discard;

in -> ip;
ip [0] -> strip -> chk -> us :: Unstrip(14) -> st2 :: Strip(14) -> tcp;
ip [1] -> acc :: Accept;
ip [2] -> out;
tcp [0] -> rs;
tcp [1] -> enc;
rs [0] -> sc;
rs [1] -> enc;
sc [0] -> ws -> enc;
sc [1] -> enc;
sc [2] -> log :: Log(fw-drop) -> drop;
enc -> cnt :: Counter -> out;

back_in :: FromDevice(p2) -> back_out :: ToDevice(p1);
