import NextTokenKernels
import NextTokenModel

/// The machine's memory ceiling for generation: how fast `threads` threads read a buffer of the
/// model's weight size, and the tokens per second that allows when every token reads
/// ``NextTokenModel/LanguageModel/weightBytesPerToken`` bytes.
public struct MemoryCeiling: Sendable, Equatable {
    /// Threads that read.
    public let threads: Int
    /// Bytes per second of the best of the timed reads.
    public let readBytesPerSecond: Double
    /// Weight bytes one generated token reads.
    public let bytesPerToken: Int

    /// Generated tokens per second the read speed allows.
    public var tokensPerSecond: Double { readBytesPerSecond / Double(max(bytesPerToken, 1)) }
}

extension Benchmark {
    /// Measures ``MemoryCeiling`` for `model` on `threads` threads: a buffer of the weight size is
    /// written once, then read `repetitions` times (64-bit words summed, chunks spread over the
    /// threads), and the fastest read counts.
    public func memoryCeiling(_ model: any LanguageModel, threads: Int) -> MemoryCeiling {
        let byteCount = max(model.weightBytesPerToken, 1 << 20) & ~63
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 1, count: byteCount)
        let pool = WorkerPool(threadCount: threads)
        let read = BufferRead(base: UnsafeRawPointer(buffer), byteCount: byteCount)
        var best = Double.infinity
        for _ in 0 ... max(repetitions, 1) {
            let seconds = (try? Self.seconds { () throws(NextTokenError) in pool.parallelFor(read.chunkCount, scratchByteCount: 8, read) }) ?? 0
            best = min(best, seconds)
        }
        return MemoryCeiling(threads: threads, readBytesPerSecond: Double(byteCount) / best,
                             bytesPerToken: model.weightBytesPerToken)
    }
}

/// Reading a buffer in 1 MiB chunks, as parallel work; each chunk's 64-bit words are summed (the
/// sum is kept so that the reads are not optimised away).
private struct BufferRead: ParallelWork {
    let base: UnsafeRawPointer
    let byteCount: Int
    static let chunkBytes = 1 << 20

    var chunkCount: Int { (byteCount + Self.chunkBytes - 1) / Self.chunkBytes }

    func run(_ chunks: Range<Int>, scratch: UnsafeMutableRawPointer) {
        var sums = SIMD4<UInt64>()
        for chunk in chunks {
            let start = chunk &* Self.chunkBytes
            let end = min(start &+ Self.chunkBytes, byteCount)
            var offset = start
            while offset &+ 32 <= end {
                sums &+= base.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt64>.self)
                offset &+= 32
            }
        }
        scratch.storeBytes(of: sums.wrappedSum(), as: UInt64.self)
    }
}
