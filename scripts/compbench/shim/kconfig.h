/* Forced-include config for userspace build of kernel compressors.
 * Mirrors the relevant parts of the x86_64 kernel .config / arch headers. */
#ifndef SHIM_KCONFIG_H
#define SHIM_KCONFIG_H
#define CONFIG_64BIT 1
#define CONFIG_X86_64 1
#define CONFIG_X86 1
#define CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS 1
/* x86 kernel: include/uapi/linux/byteorder/little_endian.h defines only __LITTLE_ENDIAN */
#define __LITTLE_ENDIAN 1234
#define PAGE_SIZE 4096UL
#endif
