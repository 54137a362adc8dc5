import NextTokenCore

/// The Float value of every fp16 bit pattern (256 KiB, built on first use), so that decoding a
/// block scale costs one load instead of a dozen integer operations. Entries equal
/// `Float(fp16Bits:)` bit for bit. Real weights use few distinct scales, so the lines touched
/// stay cached.
enum HalfTable {
    /// Entry `bits` is `Float(fp16Bits: bits)`. Read it once per kernel call and pass the
    /// pointer down: every access to a global checks its lazy initialization.
    /// `nonisolated(unsafe)`: the table is written once, by the lazy initializer, and only read
    /// afterwards.
    nonisolated(unsafe) static let values: UnsafePointer<Float> = {
        let table = UnsafeMutablePointer<Float>.allocate(capacity: 65536)
        for bits in 0...UInt16.max { table[Int(bits)] = Float(fp16Bits: bits) }
        return UnsafePointer(table)
    }()
}
