/// Receives intermediate rows of a forward pass, for analysis such as the RoPE probe (pre-RoPE
/// queries and keys) and per-token features (final hidden states).
///
/// Set ``ModelContext/observer`` to receive calls; it is `nil` in normal use, so decoding pays
/// one nil check per layer. Pointers are only valid during the call: copy what you keep.
package protocol ForwardObserver: AnyObject {
    /// Called once per layer with the batch's queries (`rows × queryWidth` floats) and keys
    /// (`rows × kvWidth`) after projection (and any per-head norm), before RoPE rotates them.
    func observeQueriesAndKeys(layer: Int, queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, rows: Int)

    /// Called once per forward pass with the final hidden state of each logit row, in
    /// `logitRows` order: the residual stream after the output norm, as fed to the output head
    /// (`count × width` floats).
    func observeFinalHidden(_ hidden: UnsafePointer<Float>, count: Int, width: Int)
}

extension ForwardObserver {
    /// Ignores the queries and keys.
    package func observeQueriesAndKeys(
        layer: Int, queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, rows: Int
    ) {}

    /// Ignores the final hidden states.
    package func observeFinalHidden(_ hidden: UnsafePointer<Float>, count: Int, width: Int) {}
}
