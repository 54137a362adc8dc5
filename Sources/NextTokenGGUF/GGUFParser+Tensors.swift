import NextTokenCore

extension GGUFParser {
    /// A tensor-table entry whose shape and type are valid but whose offset is not yet checked.
    struct TableEntry {
        var name: String
        var dimensions: [Int]
        var type: GGMLType
        var elementCount: Int
        var byteCount: Int
        /// The offset as stored: relative to the start of the data section.
        var relativeOffset: UInt64
    }

    /// ggml's `GGML_MAX_DIMS`.
    static let maximumDimensionCount: UInt32 = 4

    /// Reads `count` tensor infos, checking names, shapes and types as it goes.
    mutating func readTensorTable(count: Int) throws(GGUFError) -> [TableEntry] {
        var entries: [TableEntry] = []
        var names: Set<String> = []
        entries.reserveCapacity(count)
        names.reserveCapacity(count)
        for _ in 0..<count {
            let entry = try readTableEntry()
            guard names.insert(entry.name).inserted else { throw .duplicateTensor(entry.name) }
            entries.append(entry)
        }
        return entries
    }

    private mutating func readTableEntry() throws(GGUFError) -> TableEntry {
        let name = try reader.readString()
        let dimensionCount = try reader.readUInt32()
        guard (1...Self.maximumDimensionCount).contains(dimensionCount) else {
            throw .badDimensions(tensor: name)
        }
        var dimensions: [Int] = []
        dimensions.reserveCapacity(Int(dimensionCount))
        var elementCount = 1
        for _ in 0..<dimensionCount {
            // Sizes are int64 on disk: a value above Int64.max is a negative size.
            guard let size = Int(exactly: try reader.readUInt64()) else {
                throw .badDimensions(tensor: name)
            }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: size)
            guard !overflow else { throw .badDimensions(tensor: name) }
            elementCount = product
            dimensions.append(size)
        }
        let rawType = try reader.readUInt32()
        guard let type = GGMLType(rawValue: rawType), let layout = type.blockLayout else {
            throw .unknownTensorType(raw: rawType, tensor: name)
        }
        guard dimensions[0] % layout.elementCount == 0 else {
            throw .partialBlock(tensor: name, rowLength: dimensions[0],
                                blockElementCount: layout.elementCount)
        }
        guard let byteCount = type.byteCount(forElements: elementCount) else {
            throw .badDimensions(tensor: name)
        }
        let relativeOffset = try reader.readUInt64()
        return TableEntry(name: name, dimensions: dimensions, type: type,
                          elementCount: elementCount, byteCount: byteCount,
                          relativeOffset: relativeOffset)
    }

    /// Places each entry in the file: aligned, inside the file, and not overlapping another.
    static func locate(
        _ entries: [TableEntry], dataOffset: Int, alignment: Int, fileSize: Int
    ) throws(GGUFError) -> [GGUFTensorInfo] {
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            guard let relative = Int(exactly: entry.relativeOffset) else {
                throw .tensorOutOfBounds(name: entry.name)
            }
            guard relative & (alignment &- 1) == 0 else {
                throw .misalignedTensor(name: entry.name, offset: relative)
            }
            let (start, startOverflow) = dataOffset.addingReportingOverflow(relative)
            let (end, endOverflow) = start.addingReportingOverflow(entry.byteCount)
            guard !startOverflow, !endOverflow, end <= fileSize else {
                throw .tensorOutOfBounds(name: entry.name)
            }
            tensors.append(GGUFTensorInfo(
                name: entry.name, dimensions: entry.dimensions, type: entry.type,
                elementCount: entry.elementCount, byteCount: entry.byteCount, offset: start))
        }
        try checkNoOverlap(tensors)
        return tensors
    }

    /// Throws `.tensorOverlap` for the first pair, in offset then table order, whose data
    /// ranges intersect (if any pair does, two neighbours in that order do).
    private static func checkNoOverlap(_ tensors: [GGUFTensorInfo]) throws(GGUFError) {
        let byStart = tensors.enumerated()
            .filter { $0.element.byteCount > 0 }
            .sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
            .map(\.element)
        for (previous, next) in zip(byStart, byStart.dropFirst())
        where next.offset < previous.offset &+ previous.byteCount {
            throw .tensorOverlap(first: previous.name, second: next.name)
        }
    }
}
