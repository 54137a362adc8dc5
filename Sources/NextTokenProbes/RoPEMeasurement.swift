/// One cell of the RoPE probe: §9.3's rates for one setting, content model and context length.
public struct RoPEMeasurement: Sendable, Equatable {
    /// `gaussian` (content model G) or `captured` (model R, real pre-RoPE vectors).
    public var source: String
    /// The setting's layer type (`all`, `local`, `global`, `bare`).
    public var layerType: String
    /// The layer, for a captured row of one layer; `nil` for Gaussian rows and for the mean over
    /// a layer type's layers.
    public var layer: Int?
    /// The RoPE base.
    public var base: Float
    /// The head dimension.
    public var headDimension: Int
    /// The context length `L`: distances are drawn uniformly from `0 ..< L`.
    public var length: Int
    /// `F_loc`: how often a key at the nearer of two distances at least `L/4` apart scores no
    /// higher than at the farther one.
    public var localityFailure: Double
    /// `F_cons`: how often two keys swap order when both move from one distance to another.
    public var consistencyFailure: Double
    /// `S_pos`: mean |score change| when a key moves, over the score's standard deviation.
    public var positionSensitivity: Double
    /// How often a moved key's score stays within 1% of a standard deviation.
    public var movedKeyTie: Double
    /// How often a key replaced by another (at another distance) scores within 1% of a standard
    /// deviation of it.
    public var replacedKeyTie: Double
    /// Samples per rate (per head, summed over heads, for captured rows).
    public var samples: Int

    /// A name for the series this row belongs to in a chart: everything but the length.
    public var seriesName: String {
        let setting = "base \(Self.format(base)), d \(headDimension)"
        switch (source, layer) {
        case ("gaussian", _): return "G, \(layerType == "bare" ? "" : layerType + ", ")\(setting)"
        case (_, let layer?): return "R layer \(layer), \(setting)"
        default: return "R \(layerType) mean, \(setting)"
        }
    }

    /// `1e4`, `1e6`, `5e5` for round bases, the plain number otherwise.
    static func format(_ base: Float) -> String {
        let value = Double(base)
        var exponent = 0
        var mantissa = value
        while mantissa >= 10, mantissa.truncatingRemainder(dividingBy: 10) == 0 {
            mantissa /= 10
            exponent += 1
        }
        return exponent >= 3 ? "\(Int(mantissa))e\(exponent)" : (value == value.rounded() ? "\(Int(value))" : "\(value)")
    }
}
