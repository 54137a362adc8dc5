/// Why a probe could not run, with the evidence.
public enum ProbeError: Error, Equatable, CustomStringConvertible {
    /// A replacement prompt's target word does not occur as a whole word in its sentence.
    case targetNotFound(sentence: String, target: String)
    /// A RoPE setting that cannot be measured (odd or non-positive head dimension, base ≤ 1, …).
    case invalidRoPESetting(String)
    /// A measurement parameter out of range (lengths, samples, ρ).
    case invalidParameter(name: String, value: String)
    /// The model's architecture has no RoPE description the probe knows.
    case unsupportedArchitecture(String)
    /// Captured queries and keys are missing or empty for a layer.
    case nothingCaptured(layer: Int)
    /// The model exposes no output-head rows to cluster.
    case noOutputHead

    public var description: String {
        switch self {
        case .targetNotFound(let sentence, let target):
            "the target \"\(target)\" is not a whole word of \"\(sentence)\""
        case .invalidRoPESetting(let reason): "invalid RoPE setting: \(reason)"
        case .invalidParameter(let name, let value): "invalid \(name): \(value)"
        case .unsupportedArchitecture(let name): "no RoPE description for architecture \(name)"
        case .noOutputHead: "the model exposes no output head to cluster"
        case .nothingCaptured(let layer): "no queries or keys were captured for layer \(layer)"
        }
    }
}
