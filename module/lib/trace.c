// SPDX-License-Identifier: GPL-2.0
/* Instantiate the swaplab tracepoints declared in trace.h. */
#define CREATE_TRACE_POINTS
#include "lib/trace.h"
