// SPDX-License-Identifier: GPL-2.0
/* Printing JSON values on standard output, for `swaplab status --json`. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/json.h"

void json_string(const char *str)
{
	putchar('"');
	for (; *str; str++) {
		unsigned char c = *str;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

void json_value(const char *val)
{
	char *end;

	if (*val && (strtoull(val, &end, 10), !*end) && isdigit((unsigned char)*val))
		printf("%s", val);
	else
		json_string(val);
}
