/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One output layer for text and JSON, in the manner of iproute2's
 * print_*(PRINT_ANY, ...): a record is written by one sequence of calls;
 * each field names its JSON key and its text format together, so the two
 * outputs cannot drift apart.
 */
#ifndef CLICKUPCTL_PRINT_H
#define CLICKUPCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

/* Starts a command's output (JSON when json) and ends it: JSON gets its
 * final newline; both are flushed.
 */
void print_start(bool json);
void print_end(void);
bool print_json(void);

/* Both outputs: the JSON member key = v, and the text fmt with its
 * arguments (fmt may use v again, with widths).
 */
void print_u64(const char *key, uint64_t v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void print_str(const char *key, const char *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One output only. */
void jprint_u64(const char *key, uint64_t v);
void jprint_str(const char *key, const char *v);
void jprint_bool(const char *key, bool v);
/* key: [v[0], ..., v[n - 1]] */
void jprint_strv(const char *key, char *const *v, unsigned int n);
void tprint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* JSON structure (no text). key is NULL inside arrays. */
void open_obj(const char *key);
void close_obj(void);
void open_arr(const char *key);
void close_arr(void);

#endif
