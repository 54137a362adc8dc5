import NextTokenCore
import NextTokenTokenizer

/// The tokens that end a cautious trial (design §5.2).
struct CautiousStopSet {
    /// The punctuation that ends a trial.
    static let punctuation: [String] = [".", ",", "\n", "?", "!", ":", ";", ")", "]", "}"]

    private let tokens: Set<TokenID>

    /// The stop tokens of `tokenizer` for `mode`.
    init(tokenizer: Tokenizer, mode: CautiousOptions.StopMode) {
        switch mode {
        case .referenceIDs:
            tokens = Set(Self.punctuation.compactMap { tokenizer.encode($0, parseSpecial: false).first })
        case .containsPunctuation:
            let bytes = Set(Self.punctuation.flatMap(\.utf8))
            tokens = Set((0 ..< tokenizer.vocabularySize).lazy.map { TokenID(truncatingIfNeeded: $0) }.filter { id in
                guard !tokenizer.isControl(id), let text = try? tokenizer.tokenBytes(id) else { return false }
                return text.contains(where: bytes.contains)
            })
        }
    }

    /// Whether `token` ends a trial.
    func contains(_ token: TokenID) -> Bool { tokens.contains(token) }
}
