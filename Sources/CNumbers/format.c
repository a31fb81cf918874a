#include <stdio.h>
#include "cnumbers.h"

int nnsim_format_double(char *buffer, size_t capacity, char conversion, int precision, double x) {
    switch (conversion) {
    case 'e': return snprintf(buffer, capacity, "%.*e", precision, x);
    case 'g': return snprintf(buffer, capacity, "%.*g", precision, x);
    default: return snprintf(buffer, capacity, "%.*f", precision, x);
    }
}
