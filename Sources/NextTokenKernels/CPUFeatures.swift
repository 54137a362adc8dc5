#if canImport(Glibc)
import Glibc
#endif

/// What the processor running this program can execute beyond the build's baseline.
package enum CPUFeatures {
    /// Whether the AVX-512 kernels (`NextTokenKernelsAVX512`, built for Skylake-AVX512: F, CD,
    /// BW, DQ, VL) may run: on Linux, when `/proc/cpuinfo` lists all five (the kernel lists them
    /// only when it saves the AVX-512 registers). Elsewhere, never.
    package static let avx512: Bool = {
        #if os(Linux) && arch(x86_64)
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
            return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
        }
        return false
        #else
        return false
        #endif
    }()
}
