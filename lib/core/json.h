/*
 * json.h - JSON output on jansson, following docs/json.md: keys in insertion
 * order, UTF-8, documents indented for people, JSON Lines compact.
 */
#ifndef VG_CORE_JSON_H
#define VG_CORE_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* A JSON string from text that may not be valid UTF-8 (bad bytes become U+FFFD); NULL -> null. */
json_t *vg_json_str(const char *s);
/* An RFC 3339 UTC time string; 0 -> null. */
json_t *vg_json_time(time_t t);
/* An integer; jansson's json_integer with a name that reads like the others. */
json_t *vg_json_int(int64_t v);

/* Set key on obj to v, taking the reference (jansson's json_object_set_new). */
int vg_json_set(json_t *obj, const char *key, json_t *v);

/* Write a whole document (indented, newline-terminated). Steals no reference. */
int vg_json_print(FILE *f, const json_t *j);
/* Write one JSON Lines record (compact, newline-terminated). */
int vg_json_print_line(FILE *f, const json_t *j);

#endif
