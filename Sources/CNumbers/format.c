#include <stdio.h>
#include "cnumbers.h"

int nnsim_format_double(char *buffer, size_t capacity, char conversion, int precision, double x) {
    return conversion == 'e' ? snprintf(buffer, capacity, "%.*e", precision, x)
                             : snprintf(buffer, capacity, "%.*f", precision, x);
}
