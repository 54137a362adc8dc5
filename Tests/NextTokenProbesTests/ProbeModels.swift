import Foundation
import NextTokenGGUF
import NextTokenModel
import NextTokenTestSupport
import NextTokenTokenizer
import Testing

/// The real models the probe tests read: tokenizers straight from the GGUF metadata, and the
/// transformers where this branch can run them.
enum ProbeModels {
    /// The tokenizer of catalog model `name` (skips or fails per ``TestModels/requireOrSkip(_:)``).
    static func tokenizer(_ name: String) throws -> Tokenizer {
        let file = try GGUFFile(path: try TestModels.requireOrSkip(name))
        return try Tokenizer(vocabulary: TokenizerVocabulary(metadata: file.metadata))
    }

    /// The metadata of catalog model `name`.
    static func metadata(_ name: String) throws -> GGUFMetadata {
        try GGUFFile(path: try TestModels.requireOrSkip(name)).metadata
    }

    /// The transformer of catalog model `name` and its tokenizer. A Gemma 3 file whose tensor
    /// types have no kernel on this branch yet (its K-quants) skips the test with a notice,
    /// unless models are required (CI); every other failure is an error.
    static func model(_ name: String) throws -> (model: any LanguageModel, tokenizer: Tokenizer) {
        let file = try GGUFFile(path: try TestModels.requireOrSkip(name))
        let tokenizer = try Tokenizer(vocabulary: TokenizerVocabulary(metadata: file.metadata))
        do {
            return (try ModelLoader.load(file), tokenizer)
        } catch {
            guard case .kernel(let tensor, .unsupportedType(let type)) = error, name == "gemma3",
                  !TestModels.modelsRequired else { throw error }
            let notice = "skipping: \(name) tensor \(tensor) has type \(type), which has no kernel on this branch yet"
            print("◇ \(notice)")
            try Test.cancel(Comment(rawValue: notice))
        }
    }
}
