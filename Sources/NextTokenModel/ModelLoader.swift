import NextTokenGGUF

/// Builds the right ``LanguageModel`` for a GGUF file from its `general.architecture`.
public enum ModelLoader {
    /// Architectures this engine runs, keyed by `general.architecture`: one entry per family.
    static let architectures: [String: @Sendable (GGUFFile) throws(ModelError) -> any LanguageModel] = [
        "llama": { file throws(ModelError) in try LlamaModel(file: file) },
        "mistral": { file throws(ModelError) in try LlamaModel(file: file) },
        "qwen2": { file throws(ModelError) in try LlamaModel(file: file) },
        "gemma3": { file throws(ModelError) in try Gemma3Model(file: file) },
    ]

    /// The architecture names ``load(_:)`` accepts.
    public static var supportedArchitectures: [String] { architectures.keys.sorted() }

    /// Binds the model in `file`; the model keeps the file (and its memory map) alive.
    public static func load(_ file: GGUFFile) throws(ModelError) -> any LanguageModel {
        guard let name = file.metadata["general.architecture"]?.string else {
            throw .missingHyperparameter("general.architecture")
        }
        guard let make = architectures[name] else { throw .unsupportedArchitecture(name) }
        return try make(file)
    }
}
