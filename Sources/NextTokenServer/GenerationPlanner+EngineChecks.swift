import NextToken
import NextTokenCore
import NextTokenOpenAIAPI

/// The checks of request settings that need the served model or the engine's types.
extension GenerationPlanner {
    /// The logit bias by token id, every id checked against the model's logits.
    /// - Throws: ``OpenAIError`` (400, param `logit_bias`) for an id the model has no logit for.
    static func logitBias(_ biases: [TokenID: Double], served: ServedModel) throws(OpenAIError) -> [TokenID: Float] {
        let vocabularySize = served.model.languageModel.vocabularySize
        if let outside = biases.keys.filter({ Int($0) >= vocabularySize }).min() {
            throw .invalidRequest(
                "'logit_bias' names token \(outside), but the model '\(served.id)' has token ids 0 to \(vocabularySize - 1)",
                param: "logit_bias")
        }
        return biases.mapValues { Float($0) }
    }

    /// The speculation methods a request may ask for. `llama-lookup` is left out: it loads and
    /// saves an n-gram cache file under the user's home on every run, which a server must not do
    /// on a client's behalf.
    static let servedSpeculation: [SpeculationMethod] = SpeculationMethod.allCases.filter { $0 != .llamaLookup }

    /// The engine's method named `name`.
    /// - Throws: ``OpenAIError`` (400, param `speculate`) for a name it does not serve.
    static func speculation(_ name: String) throws(OpenAIError) -> SpeculationMethod {
        guard let method = SpeculationMethod(rawValue: name), servedSpeculation.contains(method) else {
            let names = servedSpeculation.map(\.rawValue).joined(separator: ", ")
            if name == SpeculationMethod.llamaLookup.rawValue {
                throw .notImplemented("'speculate' = '\(name)' is not served (it writes a cache file); use one of \(names)",
                                      param: "speculate")
            }
            throw .invalidRequest("'speculate' must be one of \(names), got '\(name)'", param: "speculate")
        }
        return method
    }
}
