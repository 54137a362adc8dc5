import NextTokenByteLevel
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenTestSupport
import NextTokenTokenizer

/// A real model loaded for byte-level tests: its tokenizer, transformer and byte-level view.
struct RealModel {
    let tokenizer: Tokenizer
    let languageModel: any LanguageModel
    let byteLevel: ByteLevelModel

    /// Loads catalog model `name` (`smollm2`, `gemma3`), or skips the test when it is missing.
    static func load(_ name: String, threads: Int = 2) throws -> RealModel {
        let path = try TestModels.requireOrSkip(name)
        let file = try GGUFFile(path: path)
        let tokenizer = try Tokenizer(vocabulary: TokenizerVocabulary(metadata: file.metadata))
        let languageModel = try ModelLoader.load(file)
        let byteLevel = try ByteLevelModel(
            languageModel: languageModel, tokenizer: tokenizer, pool: WorkerPool(threadCount: threads))
        return RealModel(tokenizer: tokenizer, languageModel: languageModel, byteLevel: byteLevel)
    }

    var vocabulary: ByteVocabulary { byteLevel.vocabulary }
}
