/// One measurement cell of the RoPE probe: a content model, a setting, a length and a sample
/// count, measured with its own seeded generator.
struct RoPECell: Sendable {
    let content: RoPEContent
    let setting: RoPESetting
    let length: Int
    let samples: Int
    let seed: UInt64

    /// Draws `samples` triples of independent experiments (§9.3 items 1–3) and returns the rates.
    func measure() -> CellRates {
        let d = setting.headDimension
        let score = RoPEScore(setting: setting)
        var angles = score.makeAngles()
        var random = ProbeRandom(seed: seed)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 5 * d)
        defer { buffer.deallocate() }
        let (query, key, otherKey, rotated, otherRotated) = (buffer, buffer + d, buffer + 2 * d, buffer + 3 * d, buffer + 4 * d)
        func distance() -> Int { random.integer(below: length) }
        func scoreAt(_ delta: Int, _ key: UnsafeMutablePointer<Float>) -> Double {
            score.rotate(query, delta: delta, angles: &angles, into: rotated)
            return RoPEScore.dot(rotated, key, count: d)
        }
        let separation = Double(length) / 4
        var localityFailures = 0
        var consistencyFailures = 0
        var movedDifferences = [Double](repeating: 0, count: samples)
        var replacedDifferences = [Double](repeating: 0, count: samples)
        var (sum, sumOfSquares) = (0.0, 0.0)
        for sample in 0 ..< samples {
            // 1. Locality: the same key at two distances at least L/4 apart.
            content.drawQuery(into: query, dimension: d, random: &random)
            content.drawKey(for: query, into: key, dimension: d, random: &random)
            var (near, far) = (distance(), distance())
            while Double(abs(near - far)) < separation { (near, far) = (distance(), distance()) }
            if near > far { swap(&near, &far) }
            if scoreAt(near, key) <= scoreAt(far, key) { localityFailures += 1 }

            // 2. Consistency: two keys, both moved from one distance to another; and the
            // replaced-key tie, the first key at one distance against the second at the other.
            content.drawQuery(into: query, dimension: d, random: &random)
            content.drawKey(for: query, into: key, dimension: d, random: &random)
            content.drawKey(for: query, into: otherKey, dimension: d, random: &random)
            let (first, second) = (distance(), distance())
            score.rotate(query, delta: first, angles: &angles, into: rotated)
            score.rotate(query, delta: second, angles: &angles, into: otherRotated)
            let keyFirst = RoPEScore.dot(rotated, key, count: d)
            let otherFirst = RoPEScore.dot(rotated, otherKey, count: d)
            let keySecond = RoPEScore.dot(otherRotated, key, count: d)
            let otherSecond = RoPEScore.dot(otherRotated, otherKey, count: d)
            if (keyFirst - otherFirst > 0) != (keySecond - otherSecond > 0) { consistencyFailures += 1 }
            replacedDifferences[sample] = abs(keyFirst - otherSecond)

            // 3. Position sensitivity: one key moved between two independent distances.
            content.drawQuery(into: query, dimension: d, random: &random)
            content.drawKey(for: query, into: key, dimension: d, random: &random)
            let before = scoreAt(distance(), key)
            let after = scoreAt(distance(), key)
            movedDifferences[sample] = abs(before - after)
            sum += before + after
            sumOfSquares += before * before + after * after
        }
        let count = Double(samples)
        let mean = sum / (2 * count)
        let deviation = max(0, sumOfSquares / (2 * count) - mean * mean).squareRoot()
        let epsilon = 0.01 * deviation
        return CellRates(
            localityFailure: Double(localityFailures) / count,
            consistencyFailure: Double(consistencyFailures) / count,
            positionSensitivity: deviation > 0 ? movedDifferences.reduce(0, +) / count / deviation : 0,
            movedKeyTie: Double(movedDifferences.filter { $0 < epsilon }.count) / count,
            replacedKeyTie: Double(replacedDifferences.filter { $0 < epsilon }.count) / count)
    }
}

/// The rates one cell measured.
struct CellRates: Sendable {
    var localityFailure: Double
    var consistencyFailure: Double
    var positionSensitivity: Double
    var movedKeyTie: Double
    var replacedKeyTie: Double

    /// The mean of each rate over `cells` (zeros for none).
    static func mean(_ cells: [CellRates]) -> CellRates {
        let count = Double(max(1, cells.count))
        return CellRates(
            localityFailure: cells.reduce(0) { $0 + $1.localityFailure } / count,
            consistencyFailure: cells.reduce(0) { $0 + $1.consistencyFailure } / count,
            positionSensitivity: cells.reduce(0) { $0 + $1.positionSensitivity } / count,
            movedKeyTie: cells.reduce(0) { $0 + $1.movedKeyTie } / count,
            replacedKeyTie: cells.reduce(0) { $0 + $1.replacedKeyTie } / count)
    }

    func measurement(source: String, setting: RoPESetting, layer: Int?, length: Int, samples: Int) -> RoPEMeasurement {
        RoPEMeasurement(
            source: source, layerType: setting.layerType, layer: layer, base: setting.base,
            headDimension: setting.headDimension, length: length, localityFailure: localityFailure,
            consistencyFailure: consistencyFailure, positionSensitivity: positionSensitivity,
            movedKeyTie: movedKeyTie, replacedKeyTie: replacedKeyTie, samples: samples)
    }
}
