#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NextTokenKernels

/// The RoPE attention score `s(q, k, Δ)` of one head (§9.2): the dot product of a query rotated
/// to position `Δ` with a key at position 0, computed through the engine's own RoPE kernel so
/// the pairing and angles are exactly the model's.
public struct RoPEScore: Sendable {
    /// The setting whose rotation is applied.
    public let setting: RoPESetting

    /// A score for `setting`.
    public init(setting: RoPESetting) {
        self.setting = setting
    }

    /// Angles for the setting at position 0, to be moved with ``rotate(_:delta:angles:into:)``.
    func makeAngles() -> RoPE.Angles {
        RoPE.Angles(rotaryDimensions: setting.rotaryDimensions, base: setting.base,
                    frequencyScale: setting.frequencyScale)
    }

    /// Writes `query` rotated to position `delta` into `rotated` (both `headDimension` floats),
    /// with the kernel's precomputed-angle path (bit-identical to its on-the-fly path).
    @inline(__always)
    func rotate(
        _ query: UnsafePointer<Float>, delta: Int, angles: inout RoPE.Angles, into rotated: UnsafeMutablePointer<Float>
    ) {
        rotated.update(from: query, count: setting.headDimension)
        angles.setPosition(delta)
        RoPE.apply(rotated, headCount: 1, headDimension: setting.headDimension, angles: angles, pairing: setting.pairing)
    }

    /// `rotated · key`, accumulated in `Double`.
    @inline(__always)
    static func dot(_ rotated: UnsafePointer<Float>, _ key: UnsafePointer<Float>, count: Int) -> Double {
        var sum = 0.0
        for index in 0 ..< count { sum += Double(rotated[index]) * Double(key[index]) }
        return sum
    }

    /// `s(query, key, delta)` through the RoPE kernel.
    ///
    /// - Throws: ``ProbeError/invalidParameter(name:value:)`` unless both vectors have
    ///   `headDimension` floats.
    public func score(query: [Float], key: [Float], delta: Int) throws(ProbeError) -> Double {
        guard query.count == setting.headDimension, key.count == setting.headDimension else {
            throw .invalidParameter(name: "query/key length", value: "\(query.count)/\(key.count), expected \(setting.headDimension)")
        }
        var rotated = [Float](repeating: 0, count: setting.headDimension)
        return rotated.withUnsafeMutableBufferPointer { buffer in
            guard let out = buffer.baseAddress else { return 0 }
            query.withUnsafeBufferPointer { q in
                guard let q = q.baseAddress else { return }
                var angles = makeAngles()
                rotate(q, delta: delta, angles: &angles, into: out)
            }
            return key.withUnsafeBufferPointer { k in
                k.baseAddress.map { Self.dot(out, $0, count: setting.headDimension) } ?? 0
            }
        }
    }

    /// The closed form `Σ_j Re[q̂_j · conj(k̂_j) · e^{iΔω_j}]` plus the unrotated dimensions'
    /// plain dot product, in `Double`, independent of the kernel (the reference for tests).
    ///
    /// - Throws: ``ProbeError/invalidParameter(name:value:)`` as ``score(query:key:delta:)``.
    public func closedFormScore(query: [Float], key: [Float], delta: Int) throws(ProbeError) -> Double {
        let d = setting.headDimension
        guard query.count == d, key.count == d else {
            throw .invalidParameter(name: "query/key length", value: "\(query.count)/\(key.count), expected \(d)")
        }
        let r = setting.rotaryDimensions
        var sum = 0.0
        for pair in 0 ..< r / 2 {
            let (first, second) = setting.pairing == .normal ? (2 * pair, 2 * pair + 1) : (pair, pair + r / 2)
            let omega = pow(Double(setting.base), -Double(2 * pair) / Double(r))
            let angle = Double(delta) * Double(setting.frequencyScale) * omega
            let (qRe, qIm) = (Double(query[first]), Double(query[second]))
            let (kRe, kIm) = (Double(key[first]), Double(key[second]))
            // q̂ · conj(k̂) = (qRe kRe + qIm kIm) + i (qIm kRe − qRe kIm)
            let re = qRe * kRe + qIm * kIm
            let im = qIm * kRe - qRe * kIm
            sum += re * cos(angle) - im * sin(angle)
        }
        for index in r ..< d { sum += Double(query[index]) * Double(key[index]) }
        return sum
    }
}
