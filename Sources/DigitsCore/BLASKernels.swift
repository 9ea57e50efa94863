import CBLAS

#if canImport(Glibc)
    import Glibc
#endif

/// Which of OpenBLAS's kernels run the matrix products.
///
/// Debian's OpenBLAS (0.3.21) is built for many CPUs and picks its kernels by the CPU's model number
/// when it loads. A model newer than it knows — this machine's Xeon, family 6 model 207 — falls back
/// to the generic "Prescott" kernels (SSE3), although the CPU has AVX-512: `digits-benchmark
/// --toolbox-only` took 92 s with them and 41 s with the SkylakeX kernels (see README, Performance).
/// So, unless the user chose with `OPENBLAS_CORETYPE`, a fallback is replaced by the kernels the
/// CPU's own feature bits allow: SkylakeX for AVX-512, Haswell for AVX2 with FMA.
///
/// The choice depends only on the CPU, so a model trained twice on one machine is still the same bit
/// for bit; different kernels sum in different orders, so the same seed on another CPU family can give
/// other last bits (as it always could). The kernels are recorded in a trained model's provenance.
public enum BLASKernels {
    /// OpenBLAS's name for the kernels in use, e.g. "SkylakeX".
    public static var current: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Replaces a fallback to generic kernels by the best ones this CPU allows; once per process,
    /// before the first product (`gemm` and `BLASThreads.set` call it; a concurrent first call waits
    /// for the one making the choice, so no product runs while the kernel table is swapped).
    public static func chooseForThisCPU() { _ = chosen }

    /// The kernels this CPU's feature bits allow, or nil when it has no AVX2 with FMA (the generic
    /// kernels are then as good as any).
    public static var bestForThisCPU: String? {
        switch digits_cpu_vector_level() {
        case 2: "SkylakeX"
        case 1: "Haswell"
        default: nil
        }
    }

    private static let chosen: Void = {
        guard getenv("OPENBLAS_CORETYPE") == nil, current == "Prescott", let name = bestForThisCPU else { return }
        // gotoblas_dynamic_init reads OPENBLAS_CORETYPE and installs that kernel table; it does nothing
        // while a table is installed, so gotoblas_dynamic_quit clears it first. Both exist only in
        // OpenBLAS's multi-CPU (DYNAMIC_ARCH) builds, hence the run-time lookup.
        let library = UnsafeMutableRawPointer(bitPattern: 0)
        guard let quit = dlsym(library, "gotoblas_dynamic_quit"), let initialise = dlsym(library, "gotoblas_dynamic_init")
        else { return }
        setenv("OPENBLAS_CORETYPE", name, 1)
        unsafeBitCast(quit, to: (@convention(c) () -> Void).self)()
        unsafeBitCast(initialise, to: (@convention(c) () -> Void).self)()
        unsetenv("OPENBLAS_CORETYPE")
    }()
}
