import NextTokenCore
import NextTokenGGUF
import NextTokenKernels

/// Why a model could not be loaded or run.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// The GGUF file itself is malformed.
    case gguf(GGUFError)
    /// `general.architecture` names an architecture this engine does not implement.
    case unsupportedArchitecture(String)
    /// A hyper-parameter the architecture needs is absent or has the wrong type.
    case missingHyperparameter(String)
    /// A hyper-parameter is present but its value cannot be right.
    case invalidHyperparameter(key: String, value: String)
    /// A tensor the architecture needs is absent.
    case missingTensor(String)
    /// A tensor has a shape other than the hyper-parameters imply.
    case tensorShape(name: String, expected: [Int], actual: [Int])
    /// A tensor's element type has no kernel.
    case kernel(name: String, KernelError)
    /// A token id outside the vocabulary was fed to the model.
    case tokenOutOfRange(TokenID, vocabularySize: Int)
    /// The batch would not fit in the KV cache.
    case contextFull(needed: Int, capacity: Int)
    /// The batch is malformed (mismatched lengths, bad mask, bad positions).
    case invalidBatch(String)

    public var description: String {
        switch self {
        case .gguf(let error): "invalid GGUF file: \(error)"
        case .unsupportedArchitecture(let name): "unsupported model architecture '\(name)'"
        case .missingHyperparameter(let key): "the model file lacks hyper-parameter '\(key)'"
        case .invalidHyperparameter(let key, let value): "hyper-parameter '\(key)' has an invalid value \(value)"
        case .missingTensor(let name): "the model file lacks tensor '\(name)'"
        case .tensorShape(let name, let expected, let actual):
            "tensor '\(name)' has shape \(actual), expected \(expected)"
        case .kernel(let name, let error): "tensor '\(name)': \(error)"
        case .tokenOutOfRange(let id, let size): "token id \(id) is outside the vocabulary (size \(size))"
        case .contextFull(let needed, let capacity):
            "the context needs \(needed) positions but holds only \(capacity)"
        case .invalidBatch(let reason): "invalid batch: \(reason)"
        }
    }
}
