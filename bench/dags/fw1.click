// bench: dts/firewall.click plus 1 new atom type(s), for `make bench`'s
// upgrade latency vs new atom types: counter. The firewall uses none of
// them; the additions change nothing for the bench namespaces' TCP, UDP
// and ICMP traffic.

in      :: FromDevice(p1);
out     :: ToDevice(p2);
ip      :: Classifier(12/0800, 12/0806, -);
strip   :: Strip(14);
chk     :: CheckIPHeader;
tcp     :: IPClassifier(tcp, udp, -);
rs      :: ReadState(fw, inside);
sc      :: SessionCheck(fw, inside);
ws      :: WriteState(fw);
enc     :: Encap(0x0800, fa:fe:ca:5d:97:6c, ee:43:35:3d:55:7c);
drop    :: Discard;
nonip   :: Discard;

in -> ip;
ip [0] -> strip -> chk -> tcp;
ip [1] -> out;
ip [2] -> nonip;
tcp [0] -> rs;
tcp [1] -> rs;
tcp [2] -> enc;
rs [0] -> sc;
rs [1] -> enc;
sc [0] -> ws -> enc;
sc [1] -> enc;
sc [2] -> drop;
enc -> cnt :: Counter -> out;

back_in  :: FromDevice(p2);
back_out :: ToDevice(p1);
bip      :: Classifier(12/0800, 12/0806, -);
bchk     :: CheckIPHeader;
bl4      :: IPClassifier(tcp, udp, icmp type 0, icmp type 3,
			 icmp type 11, icmp type 12, -);
brs      :: ReadState(fw, outside);
bsc      :: SessionCheck(fw, outside);
bun      :: Unstrip(14);
bdrop    :: Discard;
bother   :: Discard;
bnonip   :: Discard;

back_in -> bip;
bip [0] -> Strip(14) -> bchk -> bl4;
bip [1] -> back_out;
bip [2] -> bnonip;
bl4 [0] -> brs;
bl4 [1] -> brs;
bl4 [2] -> bun;
bl4 [3] -> bun;
bl4 [4] -> bun;
bl4 [5] -> bun;
bl4 [6] -> bother;
brs [0] -> bsc;
brs [1] -> bun;
bsc [0] -> bun;
bsc [1] -> bun;
bsc [2] -> bdrop;
bun -> back_out;
