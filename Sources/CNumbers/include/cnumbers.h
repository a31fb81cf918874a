#ifndef NNSIM_CNUMBERS_H
#define NNSIM_CNUMBERS_H

#include <stddef.h>

/// snprintf(buffer, capacity, "%.*e" or "%.*f", precision, x) with conversion 'e' or 'f'. Swift calls C's
/// variadic printf only through a CVarArg list built per call (an allocation and dynamic casts), which
/// cost more than the formatting itself where thousands of numbers are written (NumberFormat.display).
int nnsim_format_double(char *buffer, size_t capacity, char conversion, int precision, double x);

#endif
