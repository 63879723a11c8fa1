// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "json.h"
#include "print.h"

static struct json j;
static bool json_mode;

void print_start(bool json)
{
	json_mode = json;
	json_init(&j, stdout);
}

void print_end(void)
{
	if (json_mode)
		json_end(&j);
	fflush(stdout);
}

bool print_json(void)
{
	return json_mode;
}

static void vtext(const char *fmt, va_list ap)
{
	if (!json_mode)
		vprintf(fmt, ap);
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
