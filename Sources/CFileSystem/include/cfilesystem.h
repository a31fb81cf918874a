#ifndef NNSIM_CFILESYSTEM_H
#define NNSIM_CFILESYSTEM_H

/// Atomically swaps two paths (both must exist): Linux renameat2(RENAME_EXCHANGE), macOS
/// renamex_np(RENAME_SWAP). Returns 0, or -1 with errno set (EINVAL or ENOSYS where the file system or
/// the kernel cannot swap). Swift's Glibc module does not import renameat2, hence this shim.
int nnsim_exchange(const char *first, const char *second);

#endif
