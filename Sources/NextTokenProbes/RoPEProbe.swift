import NextTokenKernels
import NextTokenSampling

/// The RoPE probe (§9.3): measures locality failure, consistency failure and position
/// sensitivity of RoPE scores as the context length grows, for random (model G) or captured
/// (model R) queries and keys.
///
/// Every cell (setting × length × head) draws from its own generator, seeded from ``seed`` and
/// the cell's coordinates, so results do not depend on the thread count or on which other
/// cells run.
public struct RoPEProbe: Sendable {
    /// Context lengths `L`.
    public let lengths: [Int]
    /// Samples per rate and cell (model G) or per layer (model R, split over the heads).
    public let samples: Int
    /// Seed of every cell's generator.
    public let seed: UInt64
    /// `ρ` of content model G.
    public let rho: Double

    /// §9.3's sweep: `L ∈ {512, 2k, 8k, 32k, 128k}`.
    public static let standardLengths = [512, 2048, 8192, 32768, 131_072]

    /// A probe with the given sweep.
    ///
    /// - Throws: ``ProbeError/invalidParameter(name:value:)`` for no lengths or a length outside
    ///   `4 ... 2^30`, fewer than 1 or more than 10⁸ samples, or `ρ` outside `[0, 1]`.
    public init(lengths: [Int] = standardLengths, samples: Int = 40_000, seed: UInt64 = 0, rho: Double = 0.7)
        throws(ProbeError)
    {
        guard !lengths.isEmpty, lengths.allSatisfy({ (4 ... 1 << 30).contains($0) }) else {
            throw .invalidParameter(name: "lengths", value: "\(lengths) (each must be in 4 ... 2^30)")
        }
        guard (1 ... 100_000_000).contains(samples) else { throw .invalidParameter(name: "samples", value: "\(samples)") }
        guard rho >= 0, rho <= 1 else { throw .invalidParameter(name: "rho", value: "\(rho)") }
        self.lengths = lengths
        self.samples = samples
        self.seed = seed
        self.rho = rho
    }

    /// Model G rows for `setting`, one per length.
    public func measureGaussian(_ setting: RoPESetting, pool: WorkerPool) -> [RoPEMeasurement] {
        let cells = lengths.map { RoPECell(content: .gaussian(rho: rho), setting: setting, length: $0, samples: samples,
                                       seed: cellSeed([0, UInt64(setting.base.bitPattern), UInt64(setting.headDimension),
                                                       UInt64($0)])) }
        return zip(lengths, run(cells, pool: pool)).map { length, rates in
            rates.measurement(source: "gaussian", setting: setting, layer: nil, length: length, samples: samples)
        }
    }

    /// Model R rows: for each setting, one row per layer and length (each rate averaged over the
    /// layer's query heads, each head drawing `samples / headCount` samples), then the mean over
    /// the setting's layers per length.
    ///
    /// - Throws: ``ProbeError/nothingCaptured(layer:)`` when a layer has no captured vectors.
    public func measureCaptured(_ captured: CapturedQueriesAndKeys, settings: [RoPESetting], pool: WorkerPool)
        throws(ProbeError) -> [RoPEMeasurement]
    {
        let perHead = max(1, samples / captured.headCount)
        var cells: [RoPECell] = []
        var coordinates: [(setting: Int, layer: Int, length: Int)] = []
        for (settingIndex, setting) in settings.enumerated() {
            for layer in setting.layers {
                guard captured.queries.indices.contains(layer), !captured.queries[layer].isEmpty,
                      !captured.keys[layer].isEmpty, setting.headDimension == captured.headDimension else {
                    throw .nothingCaptured(layer: layer)
                }
                let heads = (0 ..< captured.headCount).map {
                    RoPEContent.captured(queries: captured.queries(layer: layer, head: $0),
                                         keys: captured.keys(layer: layer, queryHead: $0), dimension: captured.headDimension)
                }
                for length in lengths {
                    for (head, content) in heads.enumerated() {
                        cells.append(RoPECell(content: content, setting: setting, length: length, samples: perHead,
                                          seed: cellSeed([1, UInt64(layer), UInt64(head), UInt64(length)])))
                        coordinates.append((settingIndex, layer, length))
                    }
                }
            }
        }
        let rates = run(cells, pool: pool)
        var rows: [RoPEMeasurement] = []
        for (settingIndex, setting) in settings.enumerated() {
            var layerRows: [RoPEMeasurement] = []
            for layer in setting.layers {
                for length in lengths {
                    let heads = coordinates.indices.filter {
                        coordinates[$0] == (settingIndex, layer, length)
                    }.map { rates[$0] }
                    layerRows.append(CellRates.mean(heads).measurement(
                        source: "captured", setting: setting, layer: layer, length: length, samples: perHead * heads.count))
                }
            }
            rows += layerRows
            for length in lengths {
                let sameLength = layerRows.filter { $0.length == length }
                guard var mean = sameLength.first else { continue }
                mean.layer = nil
                let count = Double(sameLength.count)
                mean.localityFailure = sameLength.reduce(0) { $0 + $1.localityFailure } / count
                mean.consistencyFailure = sameLength.reduce(0) { $0 + $1.consistencyFailure } / count
                mean.positionSensitivity = sameLength.reduce(0) { $0 + $1.positionSensitivity } / count
                mean.movedKeyTie = sameLength.reduce(0) { $0 + $1.movedKeyTie } / count
                mean.replacedKeyTie = sameLength.reduce(0) { $0 + $1.replacedKeyTie } / count
                mean.samples = sameLength.reduce(0) { $0 + $1.samples }
                rows.append(mean)
            }
        }
        return rows
    }

    /// Runs every cell on `pool`, each on one thread.
    private func run(_ cells: [RoPECell], pool: WorkerPool) -> [CellRates] {
        let results = UnsafeMutableBufferPointer<CellRates>.allocate(capacity: cells.count)
        defer { results.deallocate() }
        pool.parallelFor(cells.count) { range in
            for index in range { results.initializeElement(at: index, to: cells[index].measure()) }
        }
        return Array(results)
    }

    /// A seed mixing ``seed`` with a cell's coordinates (splitmix64 finaliser per value).
    private func cellSeed(_ values: [UInt64]) -> UInt64 {
        var hash = seed
        for value in values {
            hash = (hash ^ value) &+ 0x9E37_79B9_7F4A_7C15
            hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
            hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
            hash ^= hash >> 31
        }
        return hash
    }
}
