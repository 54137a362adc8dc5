import NextTokenCore
import NextTokenGGUF
import Testing

@Suite("GGUF tensor table corruptions")
struct GGUFTensorCorruptionTests {
    static func alpha(_ bytes: [UInt8]) throws -> GGUFFixtures.TensorInfoLayout {
        try #require(GGUFFixtures.tensorInfo("alpha", in: bytes, dimensionCount: 2))
    }

    static func beta(_ bytes: [UInt8]) throws -> GGUFFixtures.TensorInfoLayout {
        try #require(GGUFFixtures.tensorInfo("beta", in: bytes, dimensionCount: 1))
    }

    @Test("the fixture's tensors are where the corruptions expect them")
    func fixtureLayout() throws {
        let file = try GGUFFile(bytes: GGUFFixtures.valid)
        let alpha = try #require(file.tensor(named: "alpha"))
        let beta = try #require(file.tensor(named: "beta"))
        #expect(alpha.offset == file.dataOffset && alpha.byteCount == 128)
        #expect(beta.offset == file.dataOffset + 128 && beta.byteCount == 34)
    }

    @Test("an undefined tensor type is unknownTensorType")
    func undefinedType() throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt32(99), at: try Self.beta(bytes).typeOffset)
        #expect(parseError(bytes) == .unknownTensorType(raw: 99, tensor: "beta"))
    }

    @Test("a known tensor type without a block layout is unknownTensorType")
    func typeWithoutLayout() throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(GGMLType.iq2_xxs.rawValue, at: try Self.beta(bytes).typeOffset)
        let error = try #require(parseError(bytes))
        #expect(error == .unknownTensorType(raw: GGMLType.iq2_xxs.rawValue, tensor: "beta"))
        #expect(error.description.contains("iq2_xxs"))
    }

    @Test("data past the end of the file is tensorOutOfBounds",
          arguments: [UInt64(1) << 20, UInt64.max - 31, UInt64(Int.max) - 31])
    func outOfBounds(relativeOffset: UInt64) throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(relativeOffset, at: try Self.beta(bytes).dataOffsetOffset)
        #expect(parseError(bytes) == .tensorOutOfBounds(name: "beta"))
    }

    @Test("a file cut inside the last tensor's data is tensorOutOfBounds")
    func cutData() throws {
        let bytes = GGUFFixtures.valid
        let file = try GGUFFile(bytes: bytes)
        let beta = try #require(file.tensor(named: "beta"))
        #expect(parseError(Array(bytes[0..<(beta.offset + beta.byteCount - 1)])) ==
                .tensorOutOfBounds(name: "beta"))
        #expect(parseError(Array(bytes[0..<(beta.offset + beta.byteCount)])) == nil)
    }

    @Test("overlapping data is tensorOverlap")
    func overlap() throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt64(64), at: try Self.beta(bytes).dataOffsetOffset)
        #expect(parseError(bytes) == .tensorOverlap(first: "alpha", second: "beta"))
    }

    @Test("an offset that is not a multiple of the alignment is misalignedTensor")
    func misaligned() throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt64(130), at: try Self.beta(bytes).dataOffsetOffset)
        #expect(parseError(bytes) == .misalignedTensor(name: "beta", offset: 130))
    }

    @Test("a repeated tensor name is duplicateTensor")
    func duplicateTensor() throws {
        var writer = GGUFWriter()
        writer.addTensor(name: "w.aa", dimensions: [1], type: .f32, data: [0, 0, 0, 0])
        writer.addTensor(name: "w.ab", dimensions: [1], type: .f32, data: [0, 0, 0, 0])
        var bytes = writer.bytes()
        let secondEnd = try #require(GGUFFixtures.end(ofString: "w.ab", in: bytes))
        bytes[secondEnd - 1] = UInt8(ascii: "a")
        #expect(parseError(bytes) == .duplicateTensor("w.aa"))
    }

    @Test("zero or more than four dimensions is badDimensions", arguments: [UInt32(0), 5, .max])
    func dimensionCount(count: UInt32) throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(count, at: try Self.alpha(bytes).dimensionCountOffset)
        #expect(parseError(bytes) == .badDimensions(tensor: "alpha"))
    }

    @Test("a negative dimension is badDimensions")
    func negativeDimension() throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt64(bitPattern: -16), at: try Self.alpha(bytes).dimensionsOffset + 8)
        #expect(parseError(bytes) == .badDimensions(tensor: "alpha"))
    }

    @Test("an element count that overflows is badDimensions")
    func elementCountOverflow() throws {
        var bytes = GGUFFixtures.valid
        let alpha = try Self.alpha(bytes)
        bytes.overwrite(UInt64(1) << 40, at: alpha.dimensionsOffset)
        bytes.overwrite(UInt64(1) << 30, at: alpha.dimensionsOffset + 8)
        #expect(parseError(bytes) == .badDimensions(tensor: "alpha"))
    }

    @Test("a byte count that overflows is badDimensions")
    func byteCountOverflow() throws {
        var bytes = GGUFFixtures.valid
        let alpha = try Self.alpha(bytes)
        bytes.overwrite(UInt64(1) << 31, at: alpha.dimensionsOffset)
        bytes.overwrite(UInt64(1) << 31, at: alpha.dimensionsOffset + 8)
        #expect(parseError(bytes) == .badDimensions(tensor: "alpha"))
    }

    @Test("a row that is not a whole number of blocks is partialBlock")
    func partialBlock() throws {
        var bytes = GGUFFixtures.valid
        bytes.overwrite(UInt64(33), at: try Self.beta(bytes).dimensionsOffset)
        #expect(parseError(bytes) == .partialBlock(tensor: "beta", rowLength: 33, blockElementCount: 32))
    }

    @Test("rows must hold whole blocks even when the total would")
    func partialBlockRows() {
        var writer = GGUFWriter()
        writer.addTensor(name: "q", dimensions: [16, 2], type: .q8_0, data: .init(repeating: 0, count: 34))
        #expect(parseError(writer.bytes()) == .partialBlock(tensor: "q", rowLength: 16, blockElementCount: 32))
    }
}
