/// Keys and values of every layer for the positions evaluated so far.
///
/// Storage is float32, `capacity × kvWidth` per layer for keys and for values; slot `s` holds the
/// token at sequence index `s`. Not thread-safe: one generation owns one cache at a time.
public final class KVCache: @unchecked Sendable {
    /// Number of layers.
    public let layerCount: Int
    /// Floats per slot (kv heads × head dimension).
    public let kvWidth: Int
    /// Number of slots.
    public let capacity: Int
    /// Slots in use: the tokens `0 ..< length` are cached.
    public private(set) var length: Int = 0

    private let keys: UnsafeMutablePointer<Float>
    private let values: UnsafeMutablePointer<Float>

    /// An empty cache for `capacity` positions.
    public init(layerCount: Int, kvWidth: Int, capacity: Int) {
        precondition(layerCount > 0 && kvWidth > 0 && capacity > 0, "empty KV cache")
        self.layerCount = layerCount
        self.kvWidth = kvWidth
        self.capacity = capacity
        let count = layerCount * capacity * kvWidth
        keys = .allocate(capacity: count)
        keys.initialize(repeating: 0, count: count)
        values = .allocate(capacity: count)
        values.initialize(repeating: 0, count: count)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Forgets every slot from `newLength` on.
    public func truncate(to newLength: Int) {
        precondition(newLength >= 0 && newLength <= length, "truncate beyond the cached length")
        length = newLength
    }

    /// Marks `count` more slots, already written by a forward pass, as cached.
    func commit(_ count: Int) {
        precondition(length + count <= capacity)
        length += count
    }

    /// Copies slot `source` to slot `destination` in every layer (draft-tree compaction).
    public func moveSlot(_ source: Int, to destination: Int) {
        precondition(source >= 0 && source < capacity && destination >= 0 && destination < capacity)
        guard source != destination else { return }
        for layer in 0 ..< layerCount {
            let base = layer * capacity * kvWidth
            (keys + base + destination * kvWidth).update(from: keys + base + source * kvWidth, count: kvWidth)
            (values + base + destination * kvWidth).update(from: values + base + source * kvWidth, count: kvWidth)
        }
    }

    /// The first key slot of `layer`; slot `s` starts `s * kvWidth` floats later.
    func keys(layer: Int) -> UnsafeMutablePointer<Float> { keys + layer * capacity * kvWidth }

    /// The first value slot of `layer`.
    func values(layer: Int) -> UnsafeMutablePointer<Float> { values + layer * capacity * kvWidth }
}
