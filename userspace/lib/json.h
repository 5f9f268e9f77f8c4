/* SPDX-License-Identifier: GPL-2.0 */
/* Printing JSON values on standard output. */
#ifndef SWAPLAB_JSON_H
#define SWAPLAB_JSON_H

/* Print @str as a JSON string, escaping what JSON requires. */
void json_string(const char *str);
/* A knob's value: a JSON number when it is one, else a string. */
void json_value(const char *val);

#endif /* SWAPLAB_JSON_H */
