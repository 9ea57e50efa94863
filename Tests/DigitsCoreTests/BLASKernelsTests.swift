import DigitsCore
import DigitsTestSupport
import Foundation
import Testing

/// OpenBLAS's kernels are chosen from the CPU's feature bits when it would fall back to generic ones.
@Suite("BLAS kernels")
struct BLASKernelsTests {
    @Test("after BLASThreads.set a CPU with AVX2 runs vector kernels, not the generic fallback")
    func aVectorCPUDoesNotRunTheFallback() throws {
        BLASThreads.set(1)
        // A user's OPENBLAS_CORETYPE is obeyed, whatever it says; nothing to check then.
        try #require(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil)
        if BLASKernels.bestForThisCPU != nil {
            #expect(BLASKernels.current != "Prescott")
        }
        #expect(!BLASKernels.current.isEmpty && BLASKernels.current != "unknown")
    }

    @Test("products after the switch equal the reference exactly on integer data")
    func productsAfterTheSwitchAreExact() {
        BLASThreads.set(1)
        let a = Matrix.integerPattern(rows: 64, columns: 256, phase: 1)
        let b = Matrix.integerPattern(rows: 256, columns: 37, phase: 3)
        var fast = Matrix(rows: 64, columns: 37)
        var slow = Matrix(rows: 64, columns: 37)
        gemm(.none, a, .none, b, into: &fast)
        referenceGEMM(.none, a, .none, b, into: &slow)
        #expect(fast == slow)
    }
}
