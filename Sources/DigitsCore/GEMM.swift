import CBLAS

#if canImport(Glibc)
    import Glibc
#endif

/// Whether `gemm` reads an operand as stored or transposed.
public enum Transpose: Sendable, CaseIterable {
    case none
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// C ← α·op(A)·op(B) + β·C, the one matrix product of the project, through OpenBLAS's `cblas_sgemm`.
///
/// Shapes: op(A) is (M, K), op(B) is (K, N), C is (M, N); all row-major.
/// When β is 0 the old contents of C are ignored (BLAS does not read them), so C may hold anything.
public func gemm(
    _ transA: Transpose = .none, _ a: Matrix,
    _ transB: Transpose = .none, _ b: Matrix,
    into c: inout Matrix, alpha: Float = 1, beta: Float = 0
) {
    let (m, k) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    let (kB, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
    precondition(k == kB, "gemm: inner dimensions \(k) and \(kB) differ")
    precondition(c.rows == m && c.columns == n, "gemm: C is \(c.rows) × \(c.columns), expected \(m) × \(n)")
    guard m > 0, n > 0 else { return }
    // Every product goes through here, so none can run on the kernels being replaced (a one-time
    // choice: later calls only check a flag).
    BLASKernels.chooseForThisCPU()
    if k == 0 {  // BLAS leaves C untouched only when alpha·AB is empty and beta is 1; be explicit.
        scale(&c.elements, by: beta)
        return
    }
    a.elements.withUnsafeBufferPointer { pa in
        b.elements.withUnsafeBufferPointer { pb in
            c.elements.withUnsafeMutableBufferPointer { pc in
                cblas_sgemm(
                    CblasRowMajor, transA.cblas, transB.cblas,
                    Int32(m), Int32(n), Int32(k),
                    alpha, pa.baseAddress, Int32(max(a.columns, 1)),
                    pb.baseAddress, Int32(max(b.columns, 1)),
                    beta, pc.baseAddress, Int32(max(c.columns, 1)))
            }
        }
    }
}

/// The same product by three plain loops: the algorithmic reference that the BLAS path is tested against.
public func referenceGEMM(
    _ transA: Transpose = .none, _ a: Matrix,
    _ transB: Transpose = .none, _ b: Matrix,
    into c: inout Matrix, alpha: Float = 1, beta: Float = 0
) {
    let (m, k) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    let (kB, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
    precondition(k == kB && c.rows == m && c.columns == n, "referenceGEMM: shapes do not agree")
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let aip = transA == .none ? a[i, p] : a[p, i]
                let bpj = transB == .none ? b[p, j] : b[j, p]
                sum += aip * bpj
            }
            c[i, j] = alpha * sum + (beta == 0 ? 0 : beta * c[i, j])
        }
    }
}

/// How many threads OpenBLAS may use. One is fastest for minibatch-sized products (see README, Performance).
public enum BLASThreads {
    /// The number of threads OpenBLAS uses. Going down to one also stops its idle worker threads:
    /// OpenBLAS starts them when it loads, and an idle worker spins on `sched_yield` for about a
    /// tenth of a second before it sleeps — for a short process (classify, read) a second core kept
    /// busy for nothing, measured as most of the system time of `digits classify` on 1,000 small
    /// PNGs. `blas_thread_shutdown_` stops them; it is looked up at run time because only the
    /// threaded builds of OpenBLAS have it. A later call asking for more threads starts them again.
    public static func set(_ count: Int) {
        BLASKernels.chooseForThisCPU()
        openblas_set_num_threads(Int32(max(1, count)))
        if count <= 1, let shutdown = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
            _ = unsafeBitCast(shutdown, to: (@convention(c) () -> Int32).self)()
        }
    }
    public static var current: Int { Int(openblas_get_num_threads()) }
}

@inline(__always)
func scale(_ x: inout [Float], by factor: Float) {
    x.withUnsafeMutableBufferPointer { p in
        if factor == 0 {
            for i in p.indices { p[i] = 0 }
        } else {
            for i in p.indices { p[i] *= factor }
        }
    }
}
