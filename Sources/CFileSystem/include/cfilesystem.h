#ifndef NNSIM_CFILESYSTEM_H
#define NNSIM_CFILESYSTEM_H

/// Atomically swaps two paths (both must exist): Linux renameat2(RENAME_EXCHANGE), macOS
/// renamex_np(RENAME_SWAP). Returns 0, or -1 with errno set (EINVAL or ENOSYS where the file system or
/// the kernel cannot swap). Swift's Glibc module does not import renameat2, hence this shim.
int nnsim_exchange(const char *first, const char *second);

/// Flushes every file of the file system holding `descriptor` to the disk and waits (Linux syncfs; elsewhere
/// sync). Returns 0, or -1 with errno set. One call after a folder's thousand files replaces a thousand
/// fsyncs (grading a class writes one feedback file per student). Not in Swift's Glibc module, hence here.
int nnsim_syncfs(int descriptor);

#endif
