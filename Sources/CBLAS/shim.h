#include <cblas.h>
#include <cpuid.h>

// Which vector instructions this CPU runs *and* the kernel lets programs use (XGETBV says whether the
// OS saves the wider registers on a context switch). DigitsCore's BLASKernels uses the answer to pick
// OpenBLAS kernels when OpenBLAS does not know the CPU model. Header-only, so no C target is needed.
// 2: AVX-512 (F, DQ, BW, VL), 1: AVX2 with FMA, 0: neither.
static inline int digits_cpu_vector_level(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    int fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    unsigned int xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0x6) != 0x6) return 0;  // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    int avx2 = (ebx >> 5) & 1;
    if (!avx2) return 0;
    int avx512 = ((ebx >> 16) & 1) && ((ebx >> 17) & 1) && ((ebx >> 30) & 1) && ((ebx >> 31) & 1);
    if (avx512 && (xcr0_low & 0xE0) == 0xE0) return 2;  // opmask, ZMM_Hi256, Hi16_ZMM state
    return 1;
}
