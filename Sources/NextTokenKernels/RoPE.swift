#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding, applied in place to one vector of `headCount` heads of
/// `headDimension` floats.
///
/// Pair `i` (`0 ≤ i < rotaryDimensions / 2`) of every head is rotated by the angle
/// `θ_i = position · frequencyScale · base^(-2i / rotaryDimensions)`; dimensions from
/// `rotaryDimensions` on are left as they are. Angles, their cosines and sines are computed in
/// Double and rounded once to Float, so they do not drift with the position (llama.cpp builds
/// θ by repeated Float multiplication, which can differ from this in the last bits).
public enum RoPE {
    /// Which elements of a head form the rotated pairs.
    public enum Pairing: Sendable {
        /// Adjacent elements `(2i, 2i + 1)`, as in the original LLaMA layout.
        case normal
        /// Elements `(i, i + rotaryDimensions / 2)`, as in GPT-NeoX (Qwen, Gemma, …).
        case neox
    }

    /// Rotates `vector` for `position`, computing the angles on the fly.
    ///
    /// - Precondition: `rotaryDimensions` is even and at most `headDimension`.
    public static func apply(
        _ vector: UnsafeMutablePointer<Float>, headCount: Int, headDimension: Int,
        rotaryDimensions: Int, position: Int, base: Float, pairing: Pairing, frequencyScale: Float = 1
    ) {
        precondition(rotaryDimensions >= 0 && rotaryDimensions % 2 == 0 && rotaryDimensions <= headDimension,
                     "rotaryDimensions must be even and at most headDimension")
        let scaledPosition = Double(position) * Double(frequencyScale)
        for pair in 0..<(rotaryDimensions / 2) {
            let angle = scaledPosition * inverseFrequency(pair: pair, rotaryDimensions: rotaryDimensions, base: base)
            rotate(vector, headCount: headCount, headDimension: headDimension, rotaryDimensions: rotaryDimensions,
                   pair: pair, cosine: Float(cos(angle)), sine: Float(sin(angle)), pairing: pairing)
        }
    }

    /// Rotates `vector` by precomputed angles (bit-identical to the other `apply`, without its
    /// `rotaryDimensions / 2` cosines and sines per call).
    public static func apply(
        _ vector: UnsafeMutablePointer<Float>, headCount: Int, headDimension: Int, angles: Angles, pairing: Pairing
    ) {
        angles.cosines.withUnsafeBufferPointer { cosines in
            angles.sines.withUnsafeBufferPointer { sines in
                // Both hold `rotaryDimensions / 2` values, so they have base addresses when there are any.
                guard let cosines = cosines.baseAddress, let sines = sines.baseAddress else { return }
                apply(vector, headCount: headCount, headDimension: headDimension,
                      rotaryDimensions: angles.rotaryDimensions, cosines: cosines, sines: sines, pairing: pairing)
            }
        }
    }

    /// Rotates `vector` by the cosines and sines a ``Frequencies`` wrote for one position
    /// (`rotaryDimensions / 2` of each; bit-identical to the other `apply`s).
    public static func apply(
        _ vector: UnsafeMutablePointer<Float>, headCount: Int, headDimension: Int, rotaryDimensions: Int,
        cosines: UnsafePointer<Float>, sines: UnsafePointer<Float>, pairing: Pairing
    ) {
        precondition(rotaryDimensions <= headDimension, "rotaryDimensions must be at most headDimension")
        for pair in 0..<(rotaryDimensions / 2) {
            rotate(vector, headCount: headCount, headDimension: headDimension, rotaryDimensions: rotaryDimensions,
                   pair: pair, cosine: cosines[pair], sine: sines[pair], pairing: pairing)
        }
    }

    /// `base^(-2·pair / rotaryDimensions)`.
    static func inverseFrequency(pair: Int, rotaryDimensions: Int, base: Float) -> Double {
        pow(Double(base), -Double(2 * pair) / Double(rotaryDimensions))
    }

    @inline(__always)
    static func rotate(
        _ vector: UnsafeMutablePointer<Float>, headCount: Int, headDimension: Int, rotaryDimensions: Int,
        pair: Int, cosine: Float, sine: Float, pairing: Pairing
    ) {
        let (first, second) = switch pairing {
        case .normal: (2 * pair, 2 * pair + 1)
        case .neox: (pair, pair + rotaryDimensions / 2)
        }
        for head in 0..<headCount {
            let base = vector + head &* headDimension
            let x0 = base[first]
            let x1 = base[second]
            base[first] = x0 * cosine - x1 * sine
            base[second] = x0 * sine + x1 * cosine
        }
    }

    /// The pair frequencies of one rotary setting, computed once, from which the cosines and sines
    /// of any position are written into caller storage (a forward pass's scratch) without allocating.
    public struct Frequencies: Sendable {
        /// Number of rotated dimensions per head (even).
        public let rotaryDimensions: Int
        private let frequencyScale: Float
        private let inverseFrequencies: [Double]

        /// The frequencies for `base` (see ``RoPE`` for the formula).
        ///
        /// - Precondition: `rotaryDimensions` is even and not negative.
        public init(rotaryDimensions: Int, base: Float, frequencyScale: Float = 1) {
            precondition(rotaryDimensions >= 0 && rotaryDimensions % 2 == 0, "rotaryDimensions must be even")
            self.rotaryDimensions = rotaryDimensions
            self.frequencyScale = frequencyScale
            inverseFrequencies = (0..<(rotaryDimensions / 2)).map {
                RoPE.inverseFrequency(pair: $0, rotaryDimensions: rotaryDimensions, base: base)
            }
        }

        /// Writes the `rotaryDimensions / 2` cosines and sines of the pair angles at `position`.
        public func write(position: Int, cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>) {
            let scaledPosition = Double(position) * Double(frequencyScale)
            for pair in inverseFrequencies.indices {
                let angle = scaledPosition * inverseFrequencies[pair]
                cosines[pair] = Float(cos(angle))
                sines[pair] = Float(sin(angle))
            }
        }
    }

    /// The cosines and sines of all pair angles at one position, for applying one position to
    /// many vectors. Updating the position reuses the storage.
    public struct Angles: Sendable {
        /// The position the angles are for.
        public private(set) var position: Int
        private let frequencies: Frequencies
        private(set) var cosines: [Float]
        private(set) var sines: [Float]

        /// Number of rotated dimensions per head (even).
        public var rotaryDimensions: Int { frequencies.rotaryDimensions }

        /// Angles for `position` (see ``RoPE`` for the formula).
        ///
        /// - Precondition: `rotaryDimensions` is even and not negative.
        public init(rotaryDimensions: Int, base: Float, frequencyScale: Float = 1, position: Int = 0) {
            frequencies = Frequencies(rotaryDimensions: rotaryDimensions, base: base, frequencyScale: frequencyScale)
            self.position = position
            cosines = Array(repeating: 0, count: rotaryDimensions / 2)
            sines = cosines
            setPosition(position)
        }

        /// Recomputes the angles for `position`, without allocating.
        public mutating func setPosition(_ position: Int) {
            self.position = position
            cosines.withUnsafeMutableBufferPointer { cosines in
                sines.withUnsafeMutableBufferPointer { sines in
                    guard let cosines = cosines.baseAddress, let sines = sines.baseAddress else { return }
                    frequencies.write(position: position, cosines: cosines, sines: sines)
                }
            }
        }
    }
}
