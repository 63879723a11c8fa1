// The seed's whitelist firewall (CLICK-UP demo walkthrough), bump in the
// wire between p1 (client side) and p2 (server side):
//   fromdevice -> classifier(IP) -> strip(MAC) -> checkipheader ->
//   ipclassifier(TCP) -> readstate -> sessioncheck -> writestate ->
//   encap(0x0800, fa:fe:ca:5d:97:6c, ee:43:35:3d:55:7c) -> todevice
// Non-IP frames pass untouched; non-TCP IP passes; TCP passes only as a
// legal session step or once whitelisted (table "fw", core-owned, so it
// survives upgrades). Replies (p2 -> p1) pass straight through.
// encap writes the seed's addresses: the client's interface must have
// MAC fa:fe:ca:5d:97:6c and the server's ee:43:35:3d:55:7c.

in      :: FromDevice(p1);
out     :: ToDevice(p2);
ip      :: Classifier(12/0800, -);
strip   :: Strip(14);
chk     :: CheckIPHeader;
tcp     :: IPClassifier(tcp, -);
rs      :: ReadState(fw);
sc      :: SessionCheck(fw);
ws      :: WriteState(fw);
enc     :: Encap(0x0800, fa:fe:ca:5d:97:6c, ee:43:35:3d:55:7c);
drop    :: Discard;

in -> ip;
ip [0] -> strip -> chk -> tcp;
ip [1] -> out;
tcp [0] -> rs;
tcp [1] -> enc;
rs [0] -> sc;
rs [1] -> enc;
sc [0] -> ws -> enc;
sc [1] -> enc;
sc [2] -> drop;
enc -> out;

back_in :: FromDevice(p2) -> back_out :: ToDevice(p1);
