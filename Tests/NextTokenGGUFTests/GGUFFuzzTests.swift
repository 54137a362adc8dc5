import NextTokenGGUF
import NextTokenTestSupport
import Testing

@Suite("GGUF reader under random corruption")
struct GGUFFuzzTests {
    /// A small valid file using every value type, nested arrays and three tensors.
    static func baseFile() -> [UInt8] {
        var writer = GGUFFixtures.writer(alignment: 16)
        writer.set("f.values", .array([.float32(1), .float32(-2)]))
        writer.set("f.nested", .array([.array([.int16(1)]), .array([.uint64(2), .uint64(3)])]))
        writer.set("f.flag", .bool(true))
        writer.set("f.wide", .int64(-1))
        writer.set("f.double", .float64(0.5))
        writer.set("f.bytes", .array([.uint8(1), .uint8(9)]))
        writer.set("f.signed", .array([.int8(-1), .int8(2)]))
        writer.addTensor(name: "gamma", dimensions: [8], type: .f16, data: GGUFFixtures.pattern(16, seed: 3))
        return writer.bytes()
    }

    /// Offsets of the 64-bit length and count fields of the base file, for targeted overwrites.
    static func lengthFieldOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets = [8, 16]
        let strings = ["general.architecture", "test", "test.count", "test.tokens", "bc", "f.values",
                       "f.nested", "alpha", "beta", "gamma"]
        for string in strings {
            if let end = GGUFFixtures.end(ofString: string, in: bytes) {
                offsets.append(end - string.utf8.count - 8)
            }
        }
        for (name, dimensionCount) in [("alpha", 2), ("beta", 1), ("gamma", 1)] {
            if let info = GGUFFixtures.tensorInfo(name, in: bytes, dimensionCount: dimensionCount) {
                offsets.append(info.dimensionsOffset)
                offsets.append(info.dataOffsetOffset)
            }
        }
        return offsets
    }

    static let hugeValues: [UInt64] = [
        .max, 1 << 63, 1 << 62, 1 << 40, 1 << 32, UInt64(Int.max), UInt64(Int.max) - 15, 0xFFFF_FFFF,
    ]

    /// Applies one random mutation.
    static func mutate(_ bytes: inout [UInt8], lengthFields: [Int], using random: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0:
            bytes[position] ^= UInt8.random(in: 1...255, using: &random)
        case 1:
            bytes.removeLast(bytes.count - position)
        case 2:
            let inserted = (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            bytes.insert(contentsOf: inserted, at: position)
        case 3:
            bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...16, using: &random)))
        case 4:
            let value = hugeValues.randomElement(using: &random) ?? .max
            let offset = lengthFields.randomElement(using: &random) ?? 0
            if offset + 8 <= bytes.count { bytes.overwrite(value, at: offset) }
        case 5:
            let value = Bool.random(using: &random) ? hugeValues.randomElement(using: &random) ?? .max : random.next()
            if position + 8 <= bytes.count { bytes.overwrite(value, at: position) }
        default:
            let value = UInt32.random(in: 0...UInt32.max, using: &random) | (Bool.random(using: &random) ? 0x8000_0000 : 0)
            if position + 4 <= bytes.count { bytes.overwrite(value, at: position) }
        }
    }

    /// The name of an error's case, for tallying.
    static func caseName(_ error: GGUFError) -> String {
        error == .badMagic ? "badMagic" : Mirror(reflecting: error).children.first?.label ?? "\(error)"
    }

    @Test("10,000 mutations each parse into a consistent file or throw a GGUFError")
    func mutations() throws {
        let base = Self.baseFile()
        #expect(parseError(base) == nil)
        let lengthFields = Self.lengthFieldOffsets(base)
        #expect(lengthFields.count == 2 + 10 + 6)
        var random = SeededGenerator(seed: 0x5EED_6775_F000_0001)
        var parsed = 0
        var errors: [String: Int] = [:]
        for _ in 0..<10_000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                Self.mutate(&bytes, lengthFields: lengthFields, using: &random)
            }
            do {
                let file = try GGUFFile(bytes: bytes)
                parsed += 1
                Self.checkConsistent(file)
            } catch {
                errors[Self.caseName(error), default: 0] += 1
            }
        }
        print("GGUF fuzz: \(parsed) parsed; errors: \(errors.sorted { $0.key < $1.key })")
        #expect(parsed > 100)
        for expected in ["badMagic", "truncated", "countTooLarge", "unknownValueType", "tensorOutOfBounds",
                         "misalignedTensor", "badDimensions", "invalidUTF8", "unsupportedVersion"] {
            #expect(errors[expected, default: 0] > 0, "no mutation produced \(expected)")
        }
    }

    /// Checks what a successful parse promises: tensors inside the file, aligned, disjoint.
    static func checkConsistent(_ file: GGUFFile) {
        #expect(file.version == 2 || file.version == 3)
        #expect(file.alignment > 0 && file.alignment & (file.alignment - 1) == 0)
        #expect(Set(file.metadata.keys).count == file.metadata.keys.count)
        #expect(Set(file.tensors.map(\.name)).count == file.tensors.count)
        for tensor in file.tensors {
            #expect(tensor.offset >= file.dataOffset)
            #expect((tensor.offset - file.dataOffset) % file.alignment == 0)
            #expect(tensor.offset + tensor.byteCount <= file.fileSize)
            #expect(file.data(of: tensor).count == tensor.byteCount)
            #expect(file.tensor(named: tensor.name) == tensor)
        }
        let ranges = file.tensors.filter { $0.byteCount > 0 }.map { $0.offset..<($0.offset + $0.byteCount) }
        for (index, range) in ranges.enumerated() {
            #expect(!ranges[(index + 1)...].contains { $0.overlaps(range) })
        }
    }
}
