/// Which next tokens are tested for validity (design §6.2, §6.4): a token sequence is valid when
/// the tokenizer would produce exactly it for its bytes; invalid continuations get probability 0
/// and the rest are renormalised at each position.
public enum PruningMode: Sendable, Equatable, CustomStringConvertible {
    /// Every text token is tested (up to the vocabulary size in encodings per byte). Exact: the
    /// product of next-byte probabilities equals the ratio of prefix probabilities.
    case strict
    /// No token is tested (the reference generation script's default; fastest).
    case fast
    /// Only the most likely tokens, up to this probability mass, are tested; the rest are kept.
    case topMass(Double)

    public var description: String {
        switch self {
        case .strict: "strict"
        case .fast: "fast"
        case .topMass(let mass): "top-mass(\(mass))"
        }
    }

    /// The mode named `strict`, `fast` or `top-mass` (with mass 0.9999), or `nil`.
    public init?(name: String) {
        switch name {
        case "strict": self = .strict
        case "fast": self = .fast
        case "top-mass": self = .topMass(0.9999)
        default: return nil
        }
    }
}
