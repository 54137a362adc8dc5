import Foundation
import NextToken
import NextTokenOpenAIAPI

/// A loaded model and the id clients name it by.
public struct ServedModel: Sendable {
    /// The `model` value requests use.
    public let id: String
    /// The engine's model: weights shared and immutable, one context per request.
    public let model: Model
    /// When it was loaded (Unix seconds), reported as `created`.
    public let created: Int

    /// Serves `model` under `id`.
    public init(id: String, model: Model) {
        self.id = id
        self.model = model
        created = Int(Date().timeIntervalSince1970)
    }

    /// The id for a `--model` value: a short name as given, a path as its file name without
    /// `.gguf`.
    public static func id(forNameOrPath nameOrPath: String) -> String {
        guard nameOrPath.contains("/") || nameOrPath.hasSuffix(".gguf") else { return nameOrPath }
        let file = URL(fileURLWithPath: nameOrPath).lastPathComponent
        return file.hasSuffix(".gguf") ? String(file.dropLast(5)) : file
    }
}

/// The models one server answers for, by id.
struct ModelRegistry: Sendable {
    let models: [ServedModel]

    /// - Throws: ``ServerError/invalidModels(_:)`` for an empty list or a repeated id.
    init(_ models: [ServedModel]) throws(ServerError) {
        guard !models.isEmpty else { throw .invalidModels("at least one model is needed") }
        var seen: Set<String> = []
        for model in models where !seen.insert(model.id).inserted {
            throw .invalidModels("two models have the id '\(model.id)'")
        }
        self.models = models
    }

    /// The model with `id`.
    /// - Throws: ``OpenAIError`` 404 when none has it.
    func model(_ id: String) throws(OpenAIError) -> ServedModel {
        guard let found = models.first(where: { $0.id == id }) else {
            throw .modelNotFound(id, available: models.map(\.id))
        }
        return found
    }

    /// The `GET /v1/models` body.
    var list: ModelList {
        ModelList(data: models.map { .init(id: $0.id, created: $0.created, ownedBy: "nexttoken") })
    }
}
