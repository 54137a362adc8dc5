/// The tensor element types a GGUF file may name, spelled as ggml spells them.
///
/// Raw values are the on-disk `ggml_type` codes. Only the types with a ``blockLayout`` can be
/// read; the others are listed so that an error can name them.
public enum GGMLType: UInt32, Sendable, CaseIterable {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case iq2_xxs = 16
    case iq2_xs = 17
    case iq3_xxs = 18
    case iq1_s = 19
    case iq4_nl = 20
    case iq3_s = 21
    case iq2_s = 22
    case iq4_xs = 23
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case iq1_m = 29
    case bf16 = 30
    case tq1_0 = 34
    case tq2_0 = 35
    case mxfp4 = 39

    /// Elements per block and bytes per block, as ggml lays them out.
    public struct BlockLayout: Sendable, Equatable {
        /// Number of elements one block encodes.
        public let elementCount: Int
        /// Number of bytes one block occupies.
        public let byteCount: Int

        /// A layout of `elementCount` elements in `byteCount` bytes.
        public init(elementCount: Int, byteCount: Int) {
            self.elementCount = elementCount
            self.byteCount = byteCount
        }
    }

    /// The block layout, or `nil` for a type whose layout this engine does not know.
    public var blockLayout: BlockLayout? {
        switch self {
        case .f32: BlockLayout(elementCount: 1, byteCount: 4)
        case .f16, .bf16: BlockLayout(elementCount: 1, byteCount: 2)
        case .f64, .i64: BlockLayout(elementCount: 1, byteCount: 8)
        case .i32: BlockLayout(elementCount: 1, byteCount: 4)
        case .i16: BlockLayout(elementCount: 1, byteCount: 2)
        case .i8: BlockLayout(elementCount: 1, byteCount: 1)
        case .q4_0: BlockLayout(elementCount: 32, byteCount: 18)
        case .q4_1: BlockLayout(elementCount: 32, byteCount: 20)
        case .q5_0: BlockLayout(elementCount: 32, byteCount: 22)
        case .q5_1: BlockLayout(elementCount: 32, byteCount: 24)
        case .q8_0: BlockLayout(elementCount: 32, byteCount: 34)
        case .q8_1: BlockLayout(elementCount: 32, byteCount: 36)
        case .q2_K: BlockLayout(elementCount: 256, byteCount: 84)
        case .q3_K: BlockLayout(elementCount: 256, byteCount: 110)
        case .q4_K: BlockLayout(elementCount: 256, byteCount: 144)
        case .q5_K: BlockLayout(elementCount: 256, byteCount: 176)
        case .q6_K: BlockLayout(elementCount: 256, byteCount: 210)
        case .q8_K: BlockLayout(elementCount: 256, byteCount: 292)
        default: nil
        }
    }

    /// The ggml spelling (`q4_K`, `f16`, …), as the GGUF documentation writes it.
    public var name: String { String(describing: self) }

    /// Bytes needed for `elementCount` elements, or `nil` if the count is not a whole number of
    /// blocks, the layout is unknown, or the size overflows.
    public func byteCount(forElements elementCount: Int) -> Int? {
        guard let layout = blockLayout, elementCount >= 0,
              elementCount % layout.elementCount == 0 else { return nil }
        let (bytes, overflow) = (elementCount / layout.elementCount)
            .multipliedReportingOverflow(by: layout.byteCount)
        return overflow ? nil : bytes
    }
}
