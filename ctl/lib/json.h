/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny streaming JSON writer (iproute2-style output for -j). */
#ifndef CLICKUPCTL_JSON_H
#define CLICKUPCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

/* -p: newlines and indentation, as iproute2's -j -p. */
extern bool json_pretty;

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no member written yet at this level */
};

/* key is NULL inside arrays and for the top-level value. */
void json_init(struct json *j, FILE *f);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
/* Ends the top-level value with a newline and flushes. */
void json_end(struct json *j);

void json_escape(FILE *f, const char *s);

#endif
