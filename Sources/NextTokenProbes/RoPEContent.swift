#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NextTokenSampling

/// Where the RoPE probe's query and key vectors come from (§9.3's content models).
enum RoPEContent: Sendable {
    /// Model G: `q ~ N(0, I)`, and a "relevant" key `k = ρq + √(1−ρ²)ε` with `ε ~ N(0, I)`.
    case gaussian(rho: Double)
    /// Model R: one head's real pre-RoPE vectors, captured from the engine: `queries` and `keys`
    /// are `count × dimension` floats each; a query and a key are drawn at independent random
    /// positions.
    case captured(queries: [Float], keys: [Float], dimension: Int)

    /// Writes a query into `query`.
    func drawQuery(into query: UnsafeMutablePointer<Float>, dimension: Int, random: inout ProbeRandom) {
        switch self {
        case .gaussian:
            for index in 0 ..< dimension { query[index] = Float(random.gaussian()) }
        case .captured(let queries, _, let width):
            let rows = queries.count / width
            let row = random.integer(below: rows)
            for index in 0 ..< width { query[index] = queries[row * width + index] }
        }
    }

    /// Writes a key for `query` into `key`.
    func drawKey(for query: UnsafePointer<Float>, into key: UnsafeMutablePointer<Float>, dimension: Int,
                 random: inout ProbeRandom) {
        switch self {
        case .gaussian(let rho):
            let noise = (1 - rho * rho).squareRoot()
            for index in 0 ..< dimension {
                key[index] = Float(rho * Double(query[index]) + noise * random.gaussian())
            }
        case .captured(_, let keys, let width):
            let rows = keys.count / width
            let row = random.integer(below: rows)
            for index in 0 ..< width { key[index] = keys[row * width + index] }
        }
    }
}

/// The probe's random draws: uniform integers and standard normals (Box–Muller, both values of
/// each pair used), from the engine's seeded generator.
struct ProbeRandom {
    private var random: SeededRandom
    private var spare: Double?

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    /// A uniform integer in `0 ..< bound` (`bound` > 0; the modulo bias is below 2⁻³² for the
    /// probe's bounds).
    mutating func integer(below bound: Int) -> Int {
        Int(random.next() % UInt64(bound))
    }

    /// A standard normal draw.
    mutating func gaussian() -> Double {
        if let spare {
            self.spare = nil
            return spare
        }
        let radius = (-2 * log(1 - random.nextUniform())).squareRoot()
        let angle = 2 * Double.pi * random.nextUniform()
        spare = radius * sin(angle)
        return radius * cos(angle)
    }
}
