/// Element-wise and reduction helpers on Float vectors used by the model layers.
///
/// All work 16 lanes at a time with a fixed order of operations, so results depend only on the
/// inputs (never on a batch or thread split). Vectors passed as `UnsafePointer` may alias the
/// output only where a parameter says so.
public enum VectorOps {
    /// `output[i] = x[i] / sqrt(mean(x²) + epsilon) * weight[i]`; `output` may be `x`.
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, count: Int, epsilon: Float,
        output: UnsafeMutablePointer<Float>
    ) {
        let scale = inverseRootMeanSquare(x, count: count, epsilon: epsilon)
        if output != UnsafeMutablePointer(mutating: x) { output.update(from: x, count: count) }
        combineInPlace(output, weight, count: count) { value, weight in value * scale * weight }
    }

    /// `output[i] = x[i] / sqrt(mean(x²) + epsilon)`; `output` may be `x`.
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, count: Int, epsilon: Float, output: UnsafeMutablePointer<Float>
    ) {
        let scale = inverseRootMeanSquare(x, count: count, epsilon: epsilon)
        if output != UnsafeMutablePointer(mutating: x) { output.update(from: x, count: count) }
        transformInPlace(output, count: count) { $0 * scale }
    }

    /// `1 / sqrt(Σ x² / count + epsilon)`.
    static func inverseRootMeanSquare(_ x: UnsafePointer<Float>, count: Int, epsilon: Float) -> Float {
        guard count > 0 else { return 0 }
        let sumOfSquares = reduceSum(x, count: count) { $0 * $0 }
        return 1 / (sumOfSquares / Float(count) + epsilon).squareRoot()
    }

    /// `vector[i] += addend[i]`.
    public static func add(_ addend: UnsafePointer<Float>, to vector: UnsafeMutablePointer<Float>, count: Int) {
        combineInPlace(vector, addend, count: count) { $0 + $1 }
    }

    /// `vector[i] *= factor[i]`.
    public static func multiply(_ vector: UnsafeMutablePointer<Float>, by factor: UnsafePointer<Float>, count: Int) {
        combineInPlace(vector, factor, count: count) { $0 * $1 }
    }

    /// `vector[i] *= factor`.
    public static func scale(_ vector: UnsafeMutablePointer<Float>, by factor: Float, count: Int) {
        transformInPlace(vector, count: count) { $0 * factor }
    }

    /// The dot product, summed in the order of the matrix kernels (so `dot(w, x)` of a float row
    /// equals the corresponding ``MatrixMultiply`` output bit for bit).
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        dotOneByOne(UnsafeRawPointer(a), b, count: count)
    }

    /// In place `v[i] = v[i] · σ(v[i])` (SiLU, also called swish).
    public static func silu(_ vector: UnsafeMutablePointer<Float>, count: Int) {
        transformInPlace(vector, count: count) { silu($0) }
    }

    /// In place `gate[i] = silu(gate[i]) · up[i]` (the SwiGLU feed-forward product).
    public static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, by up: UnsafePointer<Float>, count: Int) {
        combineInPlace(gate, up, count: count) { silu($0) * $1 }
    }

    /// In place GELU, tanh approximation:
    /// `0.5 · v · (1 + tanh(√(2/π) · (v + 0.044715 · v³)))`, computed as the equal
    /// `v · σ(2 · √(2/π) · (v + 0.044715 · v³))`.
    public static func gelu(_ vector: UnsafeMutablePointer<Float>, count: Int) {
        transformInPlace(vector, count: count) { gelu($0) }
    }

    /// In place `gate[i] = gelu(gate[i]) · up[i]` (the GeGLU feed-forward product).
    public static func geluMultiply(_ gate: UnsafeMutablePointer<Float>, by up: UnsafePointer<Float>, count: Int) {
        combineInPlace(gate, up, count: count) { gelu($0) * $1 }
    }

    /// In place softmax: `v[i] = exp(v[i] - max) / Σ exp(v[j] - max)`. Entries of `-infinity`
    /// become 0; at least one entry must be finite.
    public static func softmax(_ vector: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        let maximum = maximum(vector, count: count)
        transformInPlace(vector, count: count) { FastMath.exp($0 - maximum) }
        let sum = reduceSum(vector, count: count) { $0 }
        let inverse = 1 / sum
        transformInPlace(vector, count: count) { $0 * inverse }
    }

    /// The largest of `count` (> 0) floats.
    public static func maximum(_ vector: UnsafePointer<Float>, count: Int) -> Float {
        precondition(count > 0, "maximum of an empty vector")
        let raw = UnsafeRawPointer(vector)
        var lanes = SIMD16<Float>(repeating: -.infinity)
        let groupCount = count &>> 4
        for group in 0..<groupCount {
            lanes = pointwiseMax(lanes, raw.loadUnaligned(fromByteOffset: group &* 64, as: SIMD16<Float>.self))
        }
        var result = lanes.max()
        for index in (groupCount &<< 4)..<count { result = max(result, vector[index]) }
        return result
    }

    @inline(__always)
    static func silu(_ x: SIMD16<Float>) -> SIMD16<Float> {
        x / (1 + FastMath.exp(-x))
    }

    @inline(__always)
    static func gelu(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let inner = x * (1.595_769_121_605_730_7 + 0.071_354_816_272_922_25 * (x * x))
        return x / (1 + FastMath.exp(-inner))
    }
}
