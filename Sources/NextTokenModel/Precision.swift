import NextTokenKernels

/// How a forward pass computes: the speed/exactness choice of every command that runs a model.
public enum Precision: String, Sendable, CaseIterable, Codable {
    /// Activations quantized to 8 bits per 32-element block and multiplied with the block-quantized
    /// weights on integers, keys and values cached as f16: llama.cpp's arithmetic, and as far from
    /// exact as it is (`LlamaCppReferenceTests` measures both against float64).
    case int8
    /// Float32 activations and a float32 KV cache: the exact mode.
    case f32

    /// The precision used unless a caller asks for another.
    public static let `default` = Precision.int8

    /// How the KV cache stores keys and values at this precision.
    public var cacheStorage: KVStorage {
        switch self {
        case .int8: .f16
        case .f32: .f32
        }
    }
}
