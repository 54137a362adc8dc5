import Testing
import NextTokenCore

@Suite("GGML type table")
struct GGMLTypeTests {
    @Test("block sizes match ggml's layouts")
    func blockSizes() {
        #expect(GGMLType.q4_0.blockLayout == .init(elementCount: 32, byteCount: 18))
        #expect(GGMLType.q4_1.blockLayout == .init(elementCount: 32, byteCount: 20))
        #expect(GGMLType.q8_0.blockLayout == .init(elementCount: 32, byteCount: 34))
        #expect(GGMLType.q4_K.blockLayout == .init(elementCount: 256, byteCount: 144))
        #expect(GGMLType.q6_K.blockLayout == .init(elementCount: 256, byteCount: 210))
        #expect(GGMLType.iq2_xxs.blockLayout == nil)
    }

    @Test("byte counts reject partial blocks and overflow")
    func byteCounts() {
        #expect(GGMLType.q4_1.byteCount(forElements: 64) == 40)
        #expect(GGMLType.q4_1.byteCount(forElements: 33) == nil)
        #expect(GGMLType.f32.byteCount(forElements: Int.max / 2) == nil)
        #expect(GGMLType.q4_K.name == "q4_K")
    }
}
