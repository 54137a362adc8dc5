import NextTokenCore
import NextTokenGGUF

/// The `tokenizer.ggml.*` metadata keys a vocabulary is read from.
enum TokenizerMetadataKey {
    static let model = "tokenizer.ggml.model"
    static let preTokenizer = "tokenizer.ggml.pre"
    static let tokens = "tokenizer.ggml.tokens"
    static let tokenTypes = "tokenizer.ggml.token_type"
    static let merges = "tokenizer.ggml.merges"
    static let scores = "tokenizer.ggml.scores"
    static let bos = "tokenizer.ggml.bos_token_id"
    static let eos = "tokenizer.ggml.eos_token_id"
    static let unknown = "tokenizer.ggml.unknown_token_id"
    static let padding = "tokenizer.ggml.padding_token_id"
    static let endOfTurn = "tokenizer.ggml.eot_token_id"
    static let endOfMessage = "tokenizer.ggml.eom_token_id"
    static let addBOS = "tokenizer.ggml.add_bos_token"
    static let addEOS = "tokenizer.ggml.add_eos_token"
    static let addSpacePrefix = "tokenizer.ggml.add_space_prefix"
}

extension TokenizerVocabulary {
    /// Texts of control or user-defined tokens that end a turn in common chat formats. Many GGUF
    /// files name no `eot_token_id` (SmolLM2 and Gemma 3 do not), so, as llama.cpp does, these
    /// tokens also end generation.
    static let endOfTurnTexts: Set<String> = [
        "<|im_end|>", "<|endoftext|>", "<end_of_turn>", "<|eot_id|>", "<|eom_id|>",
        "<|end_of_text|>", "<|end|>",
    ]

    /// The vocabulary a GGUF file's `tokenizer.ggml.*` metadata describes.
    ///
    /// `model` (`gpt2` or `llama`) and `tokens` are required. Absent token types make every
    /// token normal; absent merges, scores and special-token ids stay empty (a `llama`
    /// vocabulary needs its scores, which ``Tokenizer/init(vocabulary:)`` checks); absent flags
    /// are `false`; an absent pre-tokenizer is `default`. A special-token id of -1 (llama.cpp's "no token") counts as
    /// absent. End of generation: EOS, `eot_token_id`, `eom_token_id`, and the control or
    /// user-defined tokens named in ``endOfTurnTexts``.
    ///
    /// - Throws: ``TokenizerError/missingMetadata(key:)``,
    ///   ``TokenizerError/wrongMetadataType(key:expected:)``,
    ///   ``TokenizerError/unsupportedModel(_:)``, or
    ///   ``TokenizerError/specialTokenOutOfRange(role:id:vocabularySize:)`` for an id that does
    ///   not fit a ``TokenID``.
    public init(metadata: GGUFMetadata) throws(TokenizerError) {
        typealias Key = TokenizerMetadataKey
        guard let modelName = try Self.value(metadata, Key.model, "a string", \.string) else {
            throw .missingMetadata(key: Key.model)
        }
        guard let model = TokenizerModelKind(rawValue: modelName) else {
            throw .unsupportedModel(modelName)
        }
        guard let tokens = try Self.value(metadata, Key.tokens, "an array of strings", \.strings) else {
            throw .missingMetadata(key: Key.tokens)
        }
        let types = try Self.value(metadata, Key.tokenTypes, "an array of 32-bit integers", Self.int32s)
        func tokenID(_ key: String, _ role: String) throws(TokenizerError) -> TokenID? {
            guard let value = try Self.value(metadata, key, "an integer", \.int), value != -1 else {
                return nil
            }
            guard let id = TokenID(exactly: value) else {
                throw .specialTokenOutOfRange(role: role, id: value, vocabularySize: tokens.count)
            }
            return id
        }
        let eos = try tokenID(Key.eos, "eos")
        let typesOrNormal = types ?? Array(repeating: TokenType.normal.rawValue, count: tokens.count)
        var endOfGeneration: [TokenID] = []
        let named = try [eos, tokenID(Key.endOfTurn, "end-of-turn"), tokenID(Key.endOfMessage, "end-of-message")]
        let special: Set<Int32> = [TokenType.control.rawValue, TokenType.userDefined.rawValue]
        let byText = tokens.indices.filter { index in
            index < typesOrNormal.count && special.contains(typesOrNormal[index])
                && Self.endOfTurnTexts.contains(tokens[index])
        }.map { TokenID(truncatingIfNeeded: $0) }
        for case let id? in named + byText.map(Optional.some) where !endOfGeneration.contains(id) {
            endOfGeneration.append(id)
        }

        self.init(
            model: model,
            preTokenizer: try Self.value(metadata, Key.preTokenizer, "a string", \.string) ?? "default",
            tokens: tokens,
            tokenTypes: typesOrNormal,
            merges: try Self.value(metadata, Key.merges, "an array of strings", \.strings) ?? [],
            scores: try Self.value(metadata, Key.scores, "an array of numbers", \.floats),
            bos: try tokenID(Key.bos, "bos"),
            eos: eos,
            unknown: try tokenID(Key.unknown, "unknown"),
            padding: try tokenID(Key.padding, "padding"),
            addBOS: try Self.value(metadata, Key.addBOS, "a bool", \.bool) ?? false,
            addEOS: try Self.value(metadata, Key.addEOS, "a bool", \.bool) ?? false,
            addSpacePrefix: try Self.value(metadata, Key.addSpacePrefix, "a bool", \.bool) ?? false,
            endOfGeneration: endOfGeneration
        )
    }

    /// The elements of an array of integers that each fit in an `Int32`.
    private static func int32s(_ value: GGUFValue) -> [Int32]? {
        guard let ints = value.ints else { return nil }
        var result: [Int32] = []
        result.reserveCapacity(ints.count)
        for int in ints {
            guard let int32 = Int32(exactly: int) else { return nil }
            result.append(int32)
        }
        return result
    }

    /// The value under `key` converted by `convert`, or `nil` if the key is absent.
    ///
    /// - Throws: ``TokenizerError/wrongMetadataType(key:expected:)`` if the key is present but
    ///   `convert` rejects its value.
    private static func value<T>(
        _ metadata: GGUFMetadata, _ key: String, _ expected: String, _ convert: (GGUFValue) -> T?
    ) throws(TokenizerError) -> T? {
        guard let value = metadata[key] else { return nil }
        guard let converted = convert(value) else { throw .wrongMetadataType(key: key, expected: expected) }
        return converted
    }
}
