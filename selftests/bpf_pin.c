// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_pin OBJECT PROGRAM PATH: load one program of a BPF object and pin it
 * at PATH (on a bpffs), for selftests/bpf.sh's pinned-program cases.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_program *p, *pick = NULL;
	struct bpf_object *obj;

	if (argc != 4) {
		fprintf(stderr, "usage: bpf_pin OBJECT PROGRAM PATH\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "bpf_pin: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		bool me = !strcmp(bpf_program__name(p), argv[2]);

		bpf_program__set_autoload(p, me);
		if (me)
			pick = p;
	}
	if (!pick) {
		fprintf(stderr, "bpf_pin: no program %s\n", argv[2]);
		return 1;
	}
	if (bpf_object__load(obj) || bpf_program__pin(pick, argv[3])) {
		fprintf(stderr, "bpf_pin: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	bpf_object__close(obj);
	return 0;
}
