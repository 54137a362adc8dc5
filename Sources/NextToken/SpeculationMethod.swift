/// The draft source used by speculative decoding.
public enum SpeculationMethod: String, Sendable, CaseIterable, Codable {
    /// Plain decoding.
    case none
    /// Prompt-lookup decoding: an n-gram match in prompt and output, copied as one chain.
    case lookup
    /// llama.cpp's context and dynamic n-gram caches.
    case llamaLookup = "llama-lookup"
    /// Token Recycling: trees filled from the adjacency matrix of earlier top-k candidates.
    case recycling
    /// Goose: a context-match spine with recycled branches, chosen best-first.
    case goose
}
