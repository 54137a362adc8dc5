import NextTokenKernels

/// Keys and values of every layer for the positions evaluated so far.
///
/// Storage is `capacity × kvWidth` elements of ``storage`` per layer for keys and for values
/// (f16 by default, as llama.cpp's; f32 at ``Precision/f32``), head-major: each key/value head's
/// slots are contiguous (`headDimension` elements each), so attention streams through one head's
/// keys and values in order. Slot `s` holds the token at sequence index `s`. Not thread-safe:
/// one generation owns one cache at a time.
public final class KVCache: @unchecked Sendable {
    /// Number of layers.
    public let layerCount: Int
    /// Elements per slot (kv heads × head dimension).
    public let kvWidth: Int
    /// Elements per slot and head.
    public let headDimension: Int
    /// Number of slots.
    public let capacity: Int
    /// How keys and values are stored.
    public let storage: KVStorage
    /// Slots in use: the tokens `0 ..< length` are cached.
    public private(set) var length: Int = 0

    private let keys: UnsafeMutableRawPointer
    private let values: UnsafeMutableRawPointer

    /// An empty cache for `capacity` positions of `kvWidth` elements, `headDimension` per head.
    public init(layerCount: Int, kvWidth: Int, headDimension: Int, capacity: Int, storage: KVStorage = .f32) {
        precondition(layerCount > 0 && kvWidth > 0 && capacity > 0, "empty KV cache")
        precondition(headDimension > 0 && kvWidth % headDimension == 0, "KV width not a whole number of heads")
        self.layerCount = layerCount
        self.kvWidth = kvWidth
        self.headDimension = headDimension
        self.capacity = capacity
        self.storage = storage
        let byteCount = layerCount * capacity * kvWidth * storage.byteCount
        keys = .allocate(byteCount: byteCount, alignment: 64)
        keys.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        values = .allocate(byteCount: byteCount, alignment: 64)
        values.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
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
        let slotBytes = headDimension * storage.byteCount
        for layer in 0 ..< layerCount {
            for head in 0 ..< kvWidth / headDimension {
                let keyHead = keys(layer: layer, head: head), valueHead = values(layer: layer, head: head)
                (keyHead + destination * slotBytes).copyMemory(from: keyHead + source * slotBytes, byteCount: slotBytes)
                (valueHead + destination * slotBytes).copyMemory(from: valueHead + source * slotBytes, byteCount: slotBytes)
            }
        }
    }

    /// Stores `rows` keys and values (`kvWidth` floats each, packed) of `layer` from slot `slot` on.
    func store(layer: Int, slot: Int, keys newKeys: UnsafePointer<Float>, values newValues: UnsafePointer<Float>,
               rows: Int) {
        precondition(slot >= 0 && slot + rows <= capacity, "slots outside the cache")
        for row in 0 ..< rows {
            for head in 0 ..< kvWidth / headDimension {
                let source = row * kvWidth + head * headDimension
                let offset = (slot + row) * headDimension * storage.byteCount
                storage.store(newKeys + source, count: headDimension, to: keys(layer: layer, head: head) + offset)
                storage.store(newValues + source, count: headDimension, to: values(layer: layer, head: head) + offset)
            }
        }
    }

    /// The first key slot of `head` in `layer`; slot `s` starts `s * headDimension` elements later.
    func keys(layer: Int, head: Int) -> UnsafeMutableRawPointer {
        keys + (layer * kvWidth + head * headDimension) * capacity * storage.byteCount
    }

    /// The first value slot of `head` in `layer`.
    func values(layer: Int, head: Int) -> UnsafeMutableRawPointer {
        values + (layer * kvWidth + head * headDimension) * capacity * storage.byteCount
    }
}
