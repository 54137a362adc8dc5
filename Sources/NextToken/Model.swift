import NextTokenCore
import NextTokenGGUF
import NextTokenModel
import NextTokenModelStore
import NextTokenSpeculation
import NextTokenTokenizer

/// A loaded model: its GGUF file, transformer and tokenizer. The entry point of the library.
///
/// ```swift
/// let model = try Model.load("smollm2")
/// for try await event in model.generate("The capital of France is") { … }
/// ```
public final class Model: Sendable {
    /// Where the model was loaded from.
    public let path: String
    /// The memory-mapped file.
    public let file: GGUFFile
    /// The transformer.
    public let languageModel: any LanguageModel
    /// The tokenizer built from the file's `tokenizer.ggml.*` metadata.
    public let tokenizer: Tokenizer
    /// Token Recycling's adjacency matrix, shared by every request on this model (hot start).
    public let recyclingMatrix: RecyclingMatrix

    /// `general.architecture`.
    public var architecture: String { file.metadata["general.architecture"]?.string ?? "unknown" }
    /// `tokenizer.chat_template`, when the file carries one.
    public var chatTemplate: String? { file.metadata["tokenizer.chat_template"]?.string }

    /// Loads the GGUF file at `path`.
    public init(path: String) throws(NextTokenError) {
        do {
            file = try GGUFFile(path: path)
        } catch {
            throw .gguf(error)
        }
        do {
            tokenizer = try Tokenizer(vocabulary: TokenizerVocabulary(metadata: file.metadata))
        } catch {
            throw .tokenizer(error)
        }
        do {
            languageModel = try ModelLoader.load(file)
        } catch {
            throw .model(error)
        }
        guard tokenizer.vocabularySize <= languageModel.vocabularySize else {
            throw .invalidRequest(
                "the tokenizer has \(tokenizer.vocabularySize) tokens but the model only \(languageModel.vocabularySize)")
        }
        self.path = path
        recyclingMatrix = RecyclingMatrix(vocabularySize: languageModel.vocabularySize)
    }

    /// Loads a model by path or short name (`smollm2`, `gemma3`); `nil` means the default model,
    /// fetched into the cache on first use.
    public static func load(_ nameOrPath: String? = nil, store: ModelStore = ModelStore()) throws -> Model {
        try Model(path: store.resolve(nameOrPath))
    }

    /// Token ids of `text`, without BOS.
    public func tokenize(_ text: String, parseSpecial: Bool = false) -> [TokenID] {
        tokenizer.encode(text, parseSpecial: parseSpecial)
    }

    /// The text of `tokens`; bytes that are not valid UTF-8 become U+FFFD.
    public func detokenize(_ tokens: [TokenID]) throws(NextTokenError) -> String {
        do {
            return String(decoding: try tokenizer.decode(tokens), as: UTF8.self)
        } catch {
            throw .tokenizer(error)
        }
    }
}
