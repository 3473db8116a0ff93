#ifndef SHIM_LINUX_BITOPS_H
#define SHIM_LINUX_BITOPS_H
#include <linux/compiler.h>
#define BITS_PER_LONG 64
/* same as arch/x86/include/asm/bitops.h */
static __always_inline unsigned long variable__ffs(unsigned long word)
{
	asm("rep; bsf %1,%0" : "=r" (word) : "rm" (word));
	return word;
}
#define __ffs(word) (__builtin_constant_p(word) ? (unsigned long)__builtin_ctzl(word) : variable__ffs(word))
static __always_inline unsigned long __fls(unsigned long word)
{
	if (__builtin_constant_p(word))
		return BITS_PER_LONG - 1 - __builtin_clzl(word);
	asm("bsr %1,%0" : "=r" (word) : "rm" (word));
	return word;
}
#endif
