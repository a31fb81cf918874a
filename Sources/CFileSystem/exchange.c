#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include "cfilesystem.h"

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
int nnsim_exchange(const char *first, const char *second) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
}
int nnsim_syncfs(int descriptor) {
    return syncfs(descriptor);
}
#elif defined(__APPLE__)
int nnsim_exchange(const char *first, const char *second) {
    return renamex_np(first, second, RENAME_SWAP);
}
int nnsim_syncfs(int descriptor) {
    (void)descriptor;
    sync();
    return 0;
}
#else
int nnsim_exchange(const char *first, const char *second) {
    (void)first; (void)second;
    errno = ENOSYS;
    return -1;
}
int nnsim_syncfs(int descriptor) {
    (void)descriptor;
    errno = ENOSYS;
    return -1;
}
#endif
