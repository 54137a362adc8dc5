import NextTokenKernels

/// Named float buffers that grow on demand and are kept between forward passes.
final class ScratchBuffers {
    /// The quantized inputs of the matrix products.
    let activations = QuantizedActivations()
    private var buffers: [String: (pointer: UnsafeMutablePointer<Float>, count: Int)] = [:]

    /// A buffer of at least `count` floats; its contents are unspecified.
    func buffer(_ name: String, count: Int) -> UnsafeMutablePointer<Float> {
        if let existing = buffers[name], existing.count >= count { return existing.pointer }
        buffers[name]?.pointer.deallocate()
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        buffers[name] = (pointer, max(count, 1))
        return pointer
    }

    deinit {
        for (_, buffer) in buffers { buffer.pointer.deallocate() }
    }
}
