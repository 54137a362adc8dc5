#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import NextTokenKernels

@Suite("Vector operations")
struct VectorOpsTests {
    static let lengths = [1, 5, 16, 17, 40, 64, 333]

    /// Applies an in-place kernel to a copy of `values`.
    static func applied(_ values: [Float], _ kernel: (UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, $0.count) }
        return copy
    }

    static func relativeError(_ value: Float, _ expected: Double) -> Double {
        abs(Double(value) - expected) / max(abs(expected), Double(Float.leastNormalMagnitude))
    }

    @Test("exp is within 2e-7 relative error of libm on [-87, 88], 0 below, inf above, NaN kept")
    func exponential() {
        var worst = 0.0
        var x: Float = -87
        while x <= 88 {
            let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0007 })
            let result = FastMath.exp(lanes)
            for lane in 0..<16 where lanes[lane] <= 88 {
                worst = max(worst, Self.relativeError(result[lane], exp(Double(lanes[lane]))))
            }
            x += 0.0123
        }
        #expect(worst < 2e-7, "worst relative error \(worst)")
        let special = FastMath.exp(SIMD16<Float>([-.infinity, -100, 100, .infinity, .nan, 0, 1, -1] + [Float](repeating: 0, count: 8)))
        #expect(special[0] == 0 && special[1] == 0)
        #expect(special[2] == .infinity && special[3] == .infinity)
        #expect(special[4].isNaN)
        #expect(special[5] == 1)
    }

    @Test("rmsNorm, with and without weights, in place or not")
    func rmsNorm() {
        var generator = SeededGenerator(seed: 7)
        for count in Self.lengths {
            let x = randomVector(count, generator: &generator)
            let weight = randomVector(count, generator: &generator)
            let meanSquare = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(count)
            let scale = 1 / (meanSquare + 1e-5).squareRoot()
            var output = [Float](repeating: 0, count: count)
            output.withUnsafeMutableBufferPointer { out in
                VectorOps.rmsNorm(x, weight: weight, count: count, epsilon: 1e-5, output: out.baseAddress!)
            }
            let inPlace = Self.applied(x) { VectorOps.rmsNorm($0, count: $1, epsilon: 1e-5, output: $0) }
            for index in 0..<count {
                #expect(abs(Double(output[index]) - Double(x[index]) * scale * Double(weight[index])) < 1e-5)
                #expect(abs(Double(inPlace[index]) - Double(x[index]) * scale) < 1e-5)
            }
        }
    }

    @Test("rmsNorm uses its epsilon: a zero vector stays zero, a near-zero vector is scaled by 1/√ε")
    func rmsNormEpsilon() {
        let zero = [Float](repeating: 0, count: 64)
        let normedZero = Self.applied(zero) { VectorOps.rmsNorm($0, count: $1, epsilon: 1e-5, output: $0) }
        #expect(normedZero.allSatisfy { $0 == 0 && !$0.isNaN })
        // With mean square 1e-12 ≪ ε, the scale is ≈ 1/√ε: a missing epsilon would give 1e6 instead.
        let tiny = [Float](repeating: 1e-6, count: 64)
        for epsilon: Float in [1e-5, 1e-6] {
            let normed = Self.applied(tiny) { VectorOps.rmsNorm($0, count: $1, epsilon: epsilon, output: $0) }
            let expected = 1e-6 / (1e-12 + Double(epsilon)).squareRoot()
            #expect(normed.allSatisfy { abs(Double($0) - expected) < expected * 1e-4 }, "epsilon \(epsilon)")
        }
    }

    @Test("add, multiply and scale are element-wise")
    func elementWise() {
        var generator = SeededGenerator(seed: 8)
        for count in Self.lengths {
            let a = randomVector(count, generator: &generator)
            let b = randomVector(count, generator: &generator)
            #expect(Self.applied(a) { VectorOps.add(b, to: $0, count: $1) } == zip(a, b).map { $0 + $1 })
            #expect(Self.applied(a) { VectorOps.multiply($0, by: b, count: $1) } == zip(a, b).map { $0 * $1 })
            #expect(Self.applied(a) { VectorOps.scale($0, by: 3, count: $1) } == a.map { $0 * 3 })
        }
    }

    @Test("silu and gelu (tanh form) match their formulas, alone and fused with a product")
    func activations() {
        let x = (0..<400).map { Float($0 - 200) * 0.06 }  // -12 ..< 12
        let up = x.map { 1 - $0 / 20 }
        let silu = Self.applied(x) { VectorOps.silu($0, count: $1) }
        let gelu = Self.applied(x) { VectorOps.gelu($0, count: $1) }
        let siluProduct = Self.applied(x) { VectorOps.siluMultiply($0, by: up, count: $1) }
        let geluProduct = Self.applied(x) { VectorOps.geluMultiply($0, by: up, count: $1) }
        for index in x.indices {
            let v = Double(x[index])
            let expectedSilu = v / (1 + exp(-v))
            let expectedGelu = 0.5 * v * (1 + tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v)))
            #expect(abs(Double(silu[index]) - expectedSilu) <= 1e-6 * max(1, abs(expectedSilu)))
            #expect(abs(Double(gelu[index]) - expectedGelu) <= 1e-6 * max(1, abs(expectedGelu)))
            #expect(siluProduct[index] == silu[index] * up[index])
            #expect(geluProduct[index] == gelu[index] * up[index])
        }
    }

    @Test("softmax sums to one, follows exp ratios, and gives masked entries zero")
    func softmax() {
        var generator = SeededGenerator(seed: 9)
        for count in Self.lengths {
            var logits = randomVector(count, generator: &generator).map { $0 * 30 }
            if count > 2 { logits[1] = -.infinity }
            let result = Self.applied(logits) { VectorOps.softmax($0, count: $1) }
            let maximum = Double(logits.max()!)
            let weights = logits.map { exp(Double($0) - maximum) }
            let total = weights.reduce(0, +)
            for index in 0..<count {
                #expect(abs(Double(result[index]) - weights[index] / total) < 1e-6)
            }
            if count > 2 { #expect(result[1] == 0) }
            #expect(abs(result.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test("dot agrees with a Double sum and equals the f32 row kernel bit for bit")
    func dot() {
        var generator = SeededGenerator(seed: 10)
        for count in Self.lengths + [0] {
            let a = randomVector(count, generator: &generator)
            let b = randomVector(count, generator: &generator)
            let value = VectorOps.dot(a, b, count: count)
            let exact = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(Double(value) - exact) < 1e-5)
            let viaRow = a.withUnsafeBytes { RowKernels.dotF32F32($0.baseAddress!, b, count: count) }
            #expect(value.bitPattern == viaRow.bitPattern)
        }
        #expect(VectorOps.maximum([3, -1, 7, 2], count: 4) == 7)
    }
}
