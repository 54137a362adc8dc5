// The k-quants as `IntegerBlockFormat`s: a 256-element super-block is eight 32-element
// sub-blocks (the layouts are described at their `RowFormat`s in RowFormats+KQuants.swift). The
// factors are ggml's, rounded to Float as the float path rounds them: `d · scale` and
// `−(dmin · min)`.

extension Q4_KFormat: IntegerBlockFormat {
    static var blockByteCount: Int { 144 }
    static var subBlockCount: Int { 8 }
    static var layout: InterleavedLayout { InterleavedLayout(nibbles: true, isSigned: false, halfFactors: false, hasMinimum: true) }

    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        let byte = block.load(fromByteOffset: 16 + (subBlock / 2) * 32 + element, as: UInt8.self)
        return subBlock % 2 == 0 ? byte & 0x0F : byte >> 4
    }

    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float {
        kQuantFactor(block, subBlock, index)
    }
}

extension Q5_KFormat: IntegerBlockFormat {
    static var blockByteCount: Int { 176 }
    static var subBlockCount: Int { 8 }
    static var layout: InterleavedLayout { InterleavedLayout(nibbles: false, isSigned: false, halfFactors: false, hasMinimum: true) }

    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        let byte = block.load(fromByteOffset: 48 + (subBlock / 2) * 32 + element, as: UInt8.self)
        let low = subBlock % 2 == 0 ? byte & 0x0F : byte >> 4
        let high = (block.load(fromByteOffset: 16 + element, as: UInt8.self) >> UInt8(subBlock)) & 1
        return low | high << 4
    }

    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float {
        kQuantFactor(block, subBlock, index)
    }
}

/// Factor `index` of sub-block `subBlock` of a q4_K or q5_K super-block: `d · scale`, then
/// `−(dmin · min)`.
private func kQuantFactor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float {
    let (scale, minimum) = kQuantScaleAndMinimum(block + 4, subBlock)
    return index == 0 ? loadScale(block, 0) * Float(scale) : -(loadScale(block, 2) * Float(minimum))
}

extension Q6_KFormat: IntegerBlockFormat {
    static var blockByteCount: Int { 210 }
    static var subBlockCount: Int { 8 }
    static var layout: InterleavedLayout {
        InterleavedLayout(nibbles: false, isSigned: true, halfFactors: false, hasMinimum: false, scaleGroups: 2)
    }

    /// `q − 32` as a signed byte.
    static func quant(_ block: UnsafeRawPointer, _ subBlock: Int, _ element: Int) -> UInt8 {
        let half = subBlock / 4, group = subBlock % 4
        let lowByte = block.load(fromByteOffset: half * 64 + (group % 2) * 32 + element, as: UInt8.self)
        let low = group < 2 ? lowByte & 0x0F : lowByte >> 4
        let high = (block.load(fromByteOffset: 128 + half * 32 + element, as: UInt8.self) >> UInt8(2 * group)) & 3
        return (low | high << 4) &- 32
    }

    /// `d · scale` of elements `16 · index ..< 16 · index + 16`.
    static func factor(_ block: UnsafeRawPointer, _ subBlock: Int, _ index: Int) -> Float {
        let half = subBlock / 4, group = subBlock % 4
        let scale = block.load(fromByteOffset: 192 + half * 8 + group * 2 + index, as: Int8.self)
        return loadScale(block, 208) * Float(scale)
    }
}
