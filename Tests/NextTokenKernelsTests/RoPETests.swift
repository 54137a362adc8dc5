#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import NextTokenKernels

@Suite("Rotary position embedding")
struct RoPETests {
    /// Straightforward Double rotation of one head.
    static func reference(
        _ head: [Float], rotaryDimensions: Int, position: Int, base: Double, pairing: RoPE.Pairing, scale: Double
    ) -> [Double] {
        var result = head.map(Double.init)
        for pair in 0..<(rotaryDimensions / 2) {
            let angle = Double(position) * scale * pow(base, -2 * Double(pair) / Double(rotaryDimensions))
            let (i, j) = pairing == .normal ? (2 * pair, 2 * pair + 1) : (pair, pair + rotaryDimensions / 2)
            result[i] = Double(head[i]) * cos(angle) - Double(head[j]) * sin(angle)
            result[j] = Double(head[i]) * sin(angle) + Double(head[j]) * cos(angle)
        }
        return result
    }

    @Test("rotates pairs as the formula says, for both pairings and partial rotation",
          arguments: [RoPE.Pairing.normal, .neox])
    func matchesFormula(pairing: RoPE.Pairing) {
        var generator = SeededGenerator(seed: 11)
        let headCount = 3
        let headDimension = 16
        for (rotary, position, scale) in [(16, 0, 1.0), (16, 5, 1.0), (8, 1234, 1.0), (12, 77, 0.25)] {
            let vector = randomVector(headCount * headDimension, generator: &generator)
            var rotated = vector
            rotated.withUnsafeMutableBufferPointer {
                RoPE.apply($0.baseAddress!, headCount: headCount, headDimension: headDimension,
                           rotaryDimensions: rotary, position: position, base: 10000, pairing: pairing,
                           frequencyScale: Float(scale))
            }
            for head in 0..<headCount {
                let slice = Array(vector[(head * headDimension)..<((head + 1) * headDimension)])
                let expected = Self.reference(slice, rotaryDimensions: rotary, position: position, base: 10000,
                                              pairing: pairing, scale: scale)
                for index in 0..<headDimension {
                    let value = rotated[head * headDimension + index]
                    #expect(abs(Double(value) - expected[index]) < 1e-6, "rotary \(rotary) position \(position)")
                    if index >= rotary { #expect(value == slice[index]) }
                }
            }
        }
    }

    @Test("the precomputed-angles form gives the same bits")
    func precomputedAngles() {
        var generator = SeededGenerator(seed: 12)
        let vector = randomVector(4 * 64, generator: &generator)
        var angles = RoPE.Angles(rotaryDimensions: 64, base: 500_000, frequencyScale: 0.5)
        for position in [0, 1, 17, 4095, 100_000] {
            angles.setPosition(position)
            for pairing in [RoPE.Pairing.normal, .neox] {
                var direct = vector
                var viaAngles = vector
                direct.withUnsafeMutableBufferPointer {
                    RoPE.apply($0.baseAddress!, headCount: 4, headDimension: 64, rotaryDimensions: 64,
                               position: position, base: 500_000, pairing: pairing, frequencyScale: 0.5)
                }
                viaAngles.withUnsafeMutableBufferPointer {
                    RoPE.apply($0.baseAddress!, headCount: 4, headDimension: 64, angles: angles, pairing: pairing)
                }
                #expect(direct.map(\.bitPattern) == viaAngles.map(\.bitPattern))
            }
        }
        #expect(angles.position == 100_000)
    }
}
