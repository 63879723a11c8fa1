// SPDX-License-Identifier: GPL-2.0
/*
 * bpf atoms: reuse a program the kernel already has instead of loading
 * (and verifying) the same one again, as every upgrade of a DAG with a
 * bpf atom would. The kernel names a program by its tag: the first 8
 * bytes of the SHA-1 (SHA-256 from Linux 6.18) of its instructions as
 * submitted (bpf_prog_calc_tag, map descriptors zeroed). For a program libbpf submits unchanged (no
 * relocation section for its ELF section: no maps, no global data, no
 * subprograms), that is the SHA-1 of its instructions in the object; a
 * loaded socket filter with that tag and name runs the same code and
 * holds no state of its own, so it is as good as a fresh load. Anything
 * else (relocations, no permission to list programs, no match) loads as
 * before. CLICKUPCTL_BPF_RELOAD=1 in the environment always loads.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_LIBBPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_reuse.h"

static uint32_t rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static uint32_t ror(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
	static const uint32_t k[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
		0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
		0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
		0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
		0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
		0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
		0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
		0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
		0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
		0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
		0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
	};
	uint32_t w[64], v[8];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3) +
		       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10);
	memcpy(v, h, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
			      ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
		uint32_t t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
			      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));

		memmove(v + 1, v, 7 * sizeof(*v));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

/*
 * The kernel's tag of n bytes of instructions: the first 8 bytes of their
 * SHA-1 (Linux up to 6.17) or SHA-256 (6.18 on); both are computed, and
 * either may match. Both hashes pad alike: 0x80, zeros, the bit length.
 */
static void prog_tags(const void *insns, size_t n, unsigned char tag[2][8])
{
	uint32_t h1[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			   0xc3d2e1f0 };
	uint32_t h2[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const unsigned char *p = insns;
	unsigned char last[128] = { 0 };
	size_t rest = n % 64, tail;
	uint64_t bits = (uint64_t)n * 8;

	memcpy(last, p + n - rest, rest);
	last[rest] = 0x80;
	tail = rest + 1 + 8 <= 64 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		last[tail - 1 - i] = (unsigned char)(bits >> (8 * i));
	for (size_t i = 0; i + 64 <= n + tail - rest; i += 64) {
		const unsigned char *b = i + 64 <= n ? p + i : last + (i - (n - rest));

		sha1_block(h1, b);
		sha256_block(h2, b);
	}
	for (int i = 0; i < 8; i++) {
		tag[0][i] = (unsigned char)(h1[i / 4] >> (24 - 8 * (i % 4)));
		tag[1][i] = (unsigned char)(h2[i / 4] >> (24 - 8 * (i % 4)));
	}
}

/* Whether the object has a relocation section for ELF section sec. */
static int has_relocs(const char *path, const char *sec)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	const char *names;
	struct stat st;
	int fd, ret = -1;
	void *m;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(*eh)) {
		close(fd);
		return -1;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	eh = m;
	/* libbpf opened it already; still, stay inside the file */
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(*sh) ||
	    eh->e_shoff > (uint64_t)st.st_size ||
	    eh->e_shnum > ((uint64_t)st.st_size - eh->e_shoff) / sizeof(*sh) ||
	    eh->e_shstrndx >= eh->e_shnum)
		goto out;
	sh = (const Elf64_Shdr *)((const char *)m + eh->e_shoff);
	if (sh[eh->e_shstrndx].sh_offset > (uint64_t)st.st_size ||
	    sh[eh->e_shstrndx].sh_size > (uint64_t)st.st_size - sh[eh->e_shstrndx].sh_offset)
		goto out;
	names = (const char *)m + sh[eh->e_shstrndx].sh_offset;
	ret = 0;
	for (int i = 0; i < eh->e_shnum; i++) {
		uint64_t off, max = sh[eh->e_shstrndx].sh_size;

		/* a relocation section names the section it applies to */
		if ((sh[i].sh_type != SHT_REL && sh[i].sh_type != SHT_RELA) ||
		    sh[i].sh_info >= eh->e_shnum)
			continue;
		off = sh[sh[i].sh_info].sh_name;
		if (off < max && strnlen(names + off, max - off) < max - off &&
		    !strcmp(names + off, sec)) {
			ret = 1;
			break;
		}
	}
out:
	munmap(m, (size_t)st.st_size);
	return ret;
}

int bpf_reuse_find(const char *path, const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);
	const char *name = bpf_program__name(prog);
	const char *env = getenv("CLICKUPCTL_BPF_RELOAD");
	unsigned char tag[2][8];
	__u32 id = 0;

	if ((env && *env && strcmp(env, "0")) || !sec ||
	    has_relocs(path, sec) != 0)
		return -1;
	prog_tags(bpf_program__insns(prog),
		 bpf_program__insn_cnt(prog) * sizeof(struct bpf_insn), tag);
	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.type == BPF_PROG_TYPE_SOCKET_FILTER &&
		    (!memcmp(info.tag, tag[0], 8) || !memcmp(info.tag, tag[1], 8)) &&
		    !strncmp(info.name, name, sizeof(info.name) - 1))
			return fd;
		close(fd);
	}
	return -1;	/* none, or not allowed to look (EPERM) */
}

#endif
