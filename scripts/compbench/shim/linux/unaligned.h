#ifndef SHIM_LINUX_UNALIGNED_H
#define SHIM_LINUX_UNALIGNED_H
/* Same packed-struct implementation as include/vdso/unaligned.h + include/linux/unaligned.h (little endian) */
#include <linux/types.h>
#include <linux/compiler.h>
#define __get_unaligned_t(type, ptr) ({						\
	const struct { type x; } __packed *__pptr = (typeof(__pptr))(ptr);	\
	__pptr->x;								\
})
#define __put_unaligned_t(type, val, ptr) do {					\
	struct { type x; } __packed *__pptr = (typeof(__pptr))(ptr);		\
	__pptr->x = (val);							\
} while (0)
#define get_unaligned(ptr)	__get_unaligned_t(typeof(*(ptr)), (ptr))
#define put_unaligned(val, ptr) __put_unaligned_t(typeof(*(ptr)), (val), (ptr))
static inline u16 get_unaligned_le16(const void *p) { return __get_unaligned_t(__le16, p); }
static inline u32 get_unaligned_le32(const void *p) { return __get_unaligned_t(__le32, p); }
static inline u64 get_unaligned_le64(const void *p) { return __get_unaligned_t(__le64, p); }
static inline void put_unaligned_le16(u16 val, void *p) { __put_unaligned_t(__le16, val, p); }
static inline void put_unaligned_le32(u32 val, void *p) { __put_unaligned_t(__le32, val, p); }
static inline void put_unaligned_le64(u64 val, void *p) { __put_unaligned_t(__le64, val, p); }
#endif
