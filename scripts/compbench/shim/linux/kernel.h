#ifndef SHIM_LINUX_KERNEL_H
#define SHIM_LINUX_KERNEL_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/string.h> /* kernel.h pulls string.h in transitively in the kernel */
/* kernel min()/min_t() semantics (type-checked in kernel; plain here) */
#define min_t(type, x, y) ({ type __x = (x); type __y = (y); __x < __y ? __x : __y; })
#define max_t(type, x, y) ({ type __x = (x); type __y = (y); __x > __y ? __x : __y; })
#define min(x, y) ({ typeof(x) __a = (x); typeof(y) __b = (y); __a < __b ? __a : __b; })
#define max(x, y) ({ typeof(x) __a = (x); typeof(y) __b = (y); __a > __b ? __a : __b; })
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
