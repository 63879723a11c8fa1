// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "json.h"
#include "print.h"

/* Per thread: clickupd formats events in its listener thread. */
static __thread struct json j;
static __thread bool json_mode;
static __thread FILE *out;

void print_to(FILE *f)
{
	out = f;
}

void print_start(bool json)
{
	json_mode = json;
	json_init(&j, out ? out : stdout);
}

void print_end(void)
{
	if (json_mode)
		json_end(&j);
	fflush(out ? out : stdout);
}

bool print_json(void)
{
	return json_mode;
}

static void vtext(const char *fmt, va_list ap)
{
	if (!json_mode)
		vfprintf(out ? out : stdout, fmt, ap);
}

void tprint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtext(fmt, ap);
	va_end(ap);
}

void print_u64(const char *key, uint64_t v, const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		json_u64(&j, key, v);
	va_start(ap, fmt);
	vtext(fmt, ap);
	va_end(ap);
}

void print_str(const char *key, const char *v, const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		json_str(&j, key, v);
	va_start(ap, fmt);
	vtext(fmt, ap);
	va_end(ap);
}

void jprint_u64(const char *key, uint64_t v)
{
	if (json_mode)
		json_u64(&j, key, v);
}

void jprint_str(const char *key, const char *v)
{
	if (json_mode)
		json_str(&j, key, v);
}

void jprint_bool(const char *key, bool v)
{
	if (json_mode)
		json_bool(&j, key, v);
}

void open_obj(const char *key)
{
	if (json_mode)
		json_obj_open(&j, key);
}

void close_obj(void)
{
	if (json_mode)
		json_obj_close(&j);
}

void open_arr(const char *key)
{
	if (json_mode)
		json_arr_open(&j, key);
}

void close_arr(void)
{
	if (json_mode)
		json_arr_close(&j);
}

void jprint_strv(const char *key, char *const *v, unsigned int n)
{
	open_arr(key);
	for (unsigned int i = 0; i < n; i++)
		jprint_str(NULL, v[i]);
	close_arr();
}

int decimals(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}
