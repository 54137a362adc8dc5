import NextTokenKernels
import NextTokenProbes
import NextTokenTestSupport
import Testing

@Suite("RoPE probe: §9.4 reference values and §9.5 properties")
struct RoPEProbeTests {
    /// §9.4's table: F_loc / F_cons / S_pos per length (512, 2k, 8k, 32k, 128k), content model G.
    static let reference: [(base: Float, headDimension: Int, values: [(Double, Double, Double)])] = [
        (1e4, 64, [(0.26, 0.37, 0.90), (0.29, 0.41, 0.99), (0.33, 0.47, 1.07), (0.46, 0.49, 1.11), (0.49, 0.50, 1.12)]),
        (1e5, 64, [(0.29, 0.32, 0.80), (0.32, 0.37, 0.89), (0.32, 0.41, 0.98), (0.32, 0.44, 1.04), (0.36, 0.49, 1.09)]),
        (1e6, 64, [(0.29, 0.29, 0.74), (0.31, 0.33, 0.81), (0.33, 0.37, 0.88), (0.36, 0.40, 0.95), (0.34, 0.43, 1.02)]),
        (1e6, 256, [(0.17, 0.29, 0.81), (0.20, 0.33, 0.87), (0.22, 0.37, 0.92), (0.23, 0.40, 0.98), (0.24, 0.43, 1.03)]),
    ]

    /// The measured rows of §9.4's grid (40,000 samples per cell, seed 0, ρ = 0.7).
    static let measured: [[RoPEMeasurement]] = {
        let pool = WorkerPool(threadCount: 2)
        guard let probe = try? RoPEProbe() else { return [] }
        return reference.compactMap { row in
            (try? RoPESetting(base: row.base, headDimension: row.headDimension)).map { probe.measureGaussian($0, pool: pool) }
        }
    }()

    @Test("every F_loc, F_cons and S_pos of §9.4 is reproduced within ±0.02")
    func referenceValues() throws {
        try #require(Self.measured.count == Self.reference.count)
        for (row, measured) in zip(Self.reference, Self.measured) {
            #expect(measured.map(\.length) == RoPEProbe.standardLengths)
            for ((fLoc, fCons, sPos), cell) in zip(row.values, measured) {
                let where_ = "base \(row.base), d \(row.headDimension), L \(cell.length)"
                #expect(abs(cell.localityFailure - fLoc) <= 0.02, "F_loc \(cell.localityFailure) vs \(fLoc), \(where_)")
                #expect(abs(cell.consistencyFailure - fCons) <= 0.02, "F_cons \(cell.consistencyFailure) vs \(fCons), \(where_)")
                #expect(abs(cell.positionSensitivity - sPos) <= 0.02, "S_pos \(cell.positionSensitivity) vs \(sPos), \(where_)")
                #expect(cell.samples == 40_000)
            }
        }
    }

    @Test("§9.5 trends: F_cons grows with L; below 128k F_cons and S_pos fall as the base grows; F_loc(128k, 1e4) > 0.45")
    func trends() throws {
        try #require(Self.measured.count == 4)
        let byBase = Array(Self.measured.prefix(3))
        for rows in byBase {
            for (shorter, longer) in zip(rows, rows.dropFirst()) {
                #expect(longer.consistencyFailure > shorter.consistencyFailure - 0.02)
            }
            let (first, last) = (try #require(rows.first), try #require(rows.last))
            #expect(last.consistencyFailure > first.consistencyFailure + 0.05)
        }
        for column in 0 ..< 4 {
            for (smaller, larger) in zip(byBase, byBase.dropFirst()) {
                #expect(larger[column].consistencyFailure < smaller[column].consistencyFailure + 0.02)
                #expect(larger[column].positionSensitivity < smaller[column].positionSensitivity)
            }
        }
        #expect(byBase[0][4].localityFailure > 0.45)
    }

    @Test("with ρ = 0 a nearer key is favoured half the time at every length")
    func unrelatedKeys() throws {
        let probe = try RoPEProbe(samples: 40_000, seed: 3, rho: 0)
        let rows = probe.measureGaussian(try RoPESetting(base: 1e4, headDimension: 64), pool: WorkerPool(threadCount: 2))
        for row in rows { #expect(abs(row.localityFailure - 0.5) <= 0.01, "L \(row.length): \(row.localityFailure)") }
    }

    @Test("the score through the RoPE kernel equals the closed form to 1e-4 relative", arguments: [RoPE.Pairing.normal, .neox])
    func kernelMatchesClosedForm(pairing: RoPE.Pairing) throws {
        var random = SeededGenerator(seed: 11)
        for (base, dimension, rotary) in [(Float(1e4), 64, 64), (1e6, 256, 256), (1e5, 64, 32)] {
            let setting = try RoPESetting(layerType: "test", base: base, headDimension: dimension, rotaryDimensions: rotary,
                                          pairing: pairing, frequencyScale: 1, layers: [])
            let score = RoPEScore(setting: setting)
            for delta in [0, 1, 7, 513, 40_000, 131_071] {
                let query = (0 ..< dimension).map { _ in random.nextSigned() }
                let key = (0 ..< dimension).map { _ in random.nextSigned() }
                let kernel = try score.score(query: query, key: key, delta: delta)
                let closed = try score.closedFormScore(query: query, key: key, delta: delta)
                let scale = zip(query, key).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
                #expect(abs(kernel - closed) <= 1e-4 * scale, "base \(base) d \(dimension) Δ \(delta)")
            }
            #expect(throws: ProbeError.self) { try score.score(query: [1], key: [1], delta: 0) }
        }
    }

    @Test("bad parameters are typed errors")
    func badParameters() {
        #expect(throws: ProbeError.self) { try RoPEProbe(lengths: []) }
        #expect(throws: ProbeError.self) { try RoPEProbe(lengths: [2]) }
        #expect(throws: ProbeError.self) { try RoPEProbe(samples: 0) }
        #expect(throws: ProbeError.self) { try RoPEProbe(rho: 1.5) }
        #expect(throws: ProbeError.self) { try RoPESetting(base: 1e4, headDimension: 63) }
        #expect(throws: ProbeError.self) { try RoPESetting(base: 1, headDimension: 64) }
        #expect(throws: ProbeError.self) { try RoPESetting(base: .nan, headDimension: 64) }
    }
}
