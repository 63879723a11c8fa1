// Splits the client's traffic (p1 -> p2) by TCP destination port with a
// BPF program: dts/bpf/tcp_port.c, built into dts/bpf/tcp_port.o by `make`
// when clang is installed (a relative OBJECT is found from this file's
// directory). Segments to port 8080 leave the bpf atom on output 1 and are
// counted by "web", everything else on output 0 ("other"); both go on to
// p2. Replies (p2 -> p1) pass straight through.
//
//   clickupctl create split dts/bpf-split.click
//   clickupctl show split          # web / other counters

in      :: FromDevice(p1);
out     :: ToDevice(p2);
split   :: BPF(bpf/tcp_port.o);

in -> split;
split [0] -> other :: Counter -> out;
split [1] -> web :: Counter -> out;

back_in :: FromDevice(p2) -> back_out :: ToDevice(p1);
