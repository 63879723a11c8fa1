// IPv4 input hook that counts and accepts every packet
h :: FromHook(ipv4, input);
h -> c :: Counter -> Accept;
