import Foundation
import Testing
import NextTokenCore
import NextTokenKernels

/// The attention kernel over f32 and f16 caches: each head's output has the same bits whether it
/// is computed alone or with the other heads of its group, and agrees with a float64 softmax
/// attention over the stored (rounded) keys and values.
@Suite("Attention kernel")
struct AttentionKernelTests {
    @Test("a head's output does not depend on its group; it matches float64 attention", arguments: KVStorage.allCases)
    func groupedHeads(storage: KVStorage) {
        var generator = SeededGenerator(seed: 0xA77 + UInt64(storage.byteCount))
        let (heads, dimension, slotCount) = (5, 72, 37)  // 72: a partial 16-element group at the end
        let queries = randomVector(heads * dimension, generator: &generator)
        let keyFloats = randomVector(slotCount * dimension, generator: &generator)
        let valueFloats = randomVector(slotCount * dimension, generator: &generator)
        let keys = UnsafeMutableRawPointer.allocate(byteCount: keyFloats.count * storage.byteCount, alignment: 64)
        let values = UnsafeMutableRawPointer.allocate(byteCount: valueFloats.count * storage.byteCount, alignment: 64)
        defer { keys.deallocate(); values.deallocate() }
        keyFloats.withUnsafeBufferPointer { storage.store($0.baseAddress!, count: $0.count, to: keys) }
        valueFloats.withUnsafeBufferPointer { storage.store($0.baseAddress!, count: $0.count, to: values) }
        let slots = (0 ..< Int32(slotCount)).reversed().map { $0 }  // any order: the list fixes it
        let scale = 1 / Float(dimension).squareRoot()

        func attend(_ first: Int, _ count: Int) -> [Float] {
            var scores = [Float](repeating: 0, count: count * slotCount)
            var output = [Float](repeating: .nan, count: count * dimension)
            queries.withUnsafeBufferPointer { q in
                slots.withUnsafeBufferPointer { s in
                    AttentionKernel.attend(
                        queries: q.baseAddress! + first * dimension, headCount: count, keys: keys, values: values,
                        storage: storage, stride: dimension, slots: s.baseAddress!, slotCount: slotCount,
                        headDimension: dimension, scale: scale, scores: &scores, output: &output)
                }
            }
            return output
        }
        let together = attend(0, heads)
        for head in 0 ..< heads {
            let alone = attend(head, 1)
            #expect(alone.map(\.bitPattern) == Array(together[head * dimension ..< (head + 1) * dimension]).map(\.bitPattern),
                    "head \(head)")
            let stored = { (base: UnsafeRawPointer, slot: Int, i: Int) in Double(storage.load(base, slot * dimension + i)) }
            let weights = slots.map { slot in
                (0 ..< dimension).reduce(0.0) { $0 + Double(queries[head * dimension + $1]) * stored(keys, Int(slot), $1) }
                    * Double(scale)
            }
            let largest = weights.max()!
            let exponentials = weights.map { Foundation.exp($0 - largest) }
            let total = exponentials.reduce(0, +)
            for i in 0 ..< dimension {
                let expected = zip(slots, exponentials).reduce(0.0) { $0 + $1.1 * stored(values, Int($1.0), i) } / total
                #expect(abs(Double(alone[i]) - expected) < 1e-5, "head \(head) element \(i)")
            }
        }
    }
}
