// SPDX-License-Identifier: GPL-2.0
/*
 * The parsers must stay within len: each text is placed at the very end
 * of a page followed by an inaccessible one, so reading one byte past it
 * faults. Prints one "ok"/"not ok" line per text; exit 0 if all ok.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/parse.h"

static const char *const click[] = {
	"a :: FromDevice(p1) -> b :: Counter [1",
	"a :: FromDevice(p1); a [12",
	"a :: Foo(x // comment",
	"a :: Foo(x /* comment",
	"a :: Foo(\"unterminated",
	"a :: Foo('unterminated",
	"define($x 1) a :: Foo($x",
	"elementclass C { input -> output",
	"a :: FromDevice(p1) -> b :: Counter",
	"$",
	"${x",
	"a/",
	"a -",
	"a =",
};

static const char *const edges[] = {
	"- - - FromDevice p1\nFromDevice 12",
	"- - - FromDevice p1\nFromDevice 1 2 Discard 7",
	"- - - FromDevice p1\n#",
};

static int run(const char *text, bool is_click, char *page, long ps)
{
	size_t len = strlen(text);
	char *at = page + ps - len;
	struct diag d;
	struct dag g;

	memcpy(at, text, len);
	dag_init(&g, "t");
	if (is_click)
		parse_click(&g, at, len, &d);
	else
		parse_edges(&g, at, len, &d);
	dag_free(&g);
	printf("ok - %s parser stays within '", is_click ? "Click" : "edge");
	for (const char *c = text; *c; c++)
		fputs(*c == '\n' ? "\\n" : (char[]){ *c, 0 }, stdout);
	puts("'");
	return 0;
}

int main(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *page = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED || mprotect(page + ps, ps, PROT_NONE))
		return 1;
	for (size_t i = 0; i < sizeof(click) / sizeof(*click); i++)
		run(click[i], true, page, ps);
	for (size_t i = 0; i < sizeof(edges) / sizeof(*edges); i++)
		run(edges[i], false, page, ps);
	return 0;
}
