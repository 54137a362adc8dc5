import Foundation
import NextTokenCore

/// Turns a logits buffer into the ``ProcessedDistribution`` that plain sampling and speculative
/// verification both draw from (design §0.6), reusing its scratch buffers between calls.
///
/// Stages, in the engine's order (the penalties and logit bias of ``Sampler`` run before them,
/// on a copy of the logits):
///
/// 0. **Candidates.** A logit is a candidate when it is a number above `-infinity`. NaN and
///    `-infinity` never survive. With no candidate, building throws
///    ``SamplingError/noCandidates(logitCount:)``.
/// 1. **Temperature `T`.** `T = 0` yields the one-hot distribution on the greedy token (highest
///    logit, lowest id on ties) and skips every other stage. For `T > 0` each candidate gets the
///    weight `w = exp((logit − maxLogit) / T)` in `Double` (max-subtraction; the maximum itself,
///    also a `+infinity` one, gets exactly `1`). Dividing by `T > 0` keeps the logit order, so
///    the filters below see the tempered distribution. Tokens whose weight underflows to `0`
///    have probability 0 and are dropped.
/// 2. **Top-k** (`k > 0`). Keeps the `k` highest logits; at a tie on the boundary the lower id
///    wins. Off when `k` is at least the number of candidates.
/// 3. **Top-p** (`p < 1`). Sorts the survivors by probability, highest first, lower id first on
///    ties, and keeps the smallest prefix whose mass (weight sum over the survivors' weight sum)
///    is `>= p`. The prefix always holds at least the most probable token.
/// 4. **Min-p** (`minP > 0`). Keeps tokens with `probability >= minP × maxProbability`. The most
///    probable token has weight 1 and always survives, so this is `w >= minP`.
/// 5. **Typical-p** (`typicalP < 1`). See ``TypicalPStage``.
/// 6. **Softmax.** The survivors' weights are divided by their sum (summed in `Double` in
///    increasing id order).
///
/// Selection never sorts the vocabulary: top-k uses a bounded heap (``TopKSelector``), top-p a
/// quickselect on mass (``TopPSelector``); survivors stay in increasing id order throughout.
///
/// The returned distribution shares storage with the builder. When the caller drops it before
/// the next call, a warmed-up builder allocates nothing; a caller that keeps it (a draft-tree
/// cache) makes the next call copy, as value semantics require.
public struct TokenDistributionBuilder: Sendable {
    /// The validated parameters every call applies.
    public let parameters: SamplingParameters
    private var topK = TopKSelector()
    private var topP = TopPSelector()
    private var typicalP: TypicalPStage
    /// Survivor storage: at least one entry per token id; only a prefix is live.
    private var survivors: [WeightedToken] = []
    private var output = ProcessedDistribution()

    /// A builder for `parameters` (its `seed` is ignored here).
    ///
    /// - Throws: the parameters' validation error (see ``SamplingParameters/validate()``).
    public init(parameters: SamplingParameters) throws(SamplingError) {
        try parameters.validate()
        self.parameters = parameters
        typicalP = TypicalPStage(typicalP: parameters.typicalP)
    }

    /// The processed distribution of `logits` (one entry per token id).
    ///
    /// - Throws: ``SamplingError/noCandidates(logitCount:)`` when every logit is NaN or
    ///   `-infinity` (or there are none), ``SamplingError/vocabularyTooLarge(logitCount:)``.
    public mutating func distribution(
        logits: UnsafeBufferPointer<Float>
    ) throws(SamplingError) -> ProcessedDistribution {
        let scan = try LogitScan(logits)
        guard parameters.temperature > 0 else {
            output.overwrite(count: 1) { ids, probabilities in
                ids[0] = scan.argmax
                probabilities[0] = 1
            }
            return output
        }
        let boundary = parameters.topK > 0 ? topK.boundary(in: logits, k: parameters.topK) : nil
        if survivors.count < logits.count {
            survivors = [WeightedToken](repeating: WeightedToken(id: 0, weight: 0), count: logits.count)
            // Every survivor set fits from the start (top-k bounds it), so no later call grows it.
            output.reserveCapacity(parameters.topK > 0 ? min(parameters.topK, logits.count) : logits.count)
        }
        // Moved out of `self` for the duration, so that the stages may use `self` meanwhile.
        var storage: [WeightedToken] = []
        swap(&storage, &survivors)
        defer { swap(&storage, &survivors) }
        storage.withUnsafeMutableBufferPointer { buffer in
            var count = collectWeights(logits, maxLogit: scan.maxLogit, topKBoundary: boundary, into: buffer)
            if parameters.topP < 1 && count > 1 {
                count = applyTopP(to: buffer, count: count)
            }
            if parameters.minP > 0 {
                let minP = parameters.minP
                count = buffer.compact(count: count) { $0.weight >= minP }
            }
            count = typicalP.apply(to: buffer, count: count)
            writeNormalizedOutput(UnsafeMutableBufferPointer(rebasing: buffer[..<count]))
        }
        return output
    }

    /// Stages 0–2: writes the candidates that survive top-k, with positive weights, in id order
    /// to the front of `survivors`, and returns how many there are (at least 1: the maximum).
    private func collectWeights(
        _ logits: UnsafeBufferPointer<Float>,
        maxLogit: Float,
        topKBoundary boundary: TopKSelector.RankedLogit?,
        into survivors: UnsafeMutableBufferPointer<WeightedToken>
    ) -> Int {
        let temperature = parameters.temperature
        let maxLogitWide = Double(maxLogit)
        var count = 0
        for index in logits.indices {
            let logit = logits[index]
            guard logit > -.infinity else { continue }
            let id = TokenID(truncatingIfNeeded: index)
            if let boundary, !TopKSelector.RankedLogit(logit: logit, id: id).isKept(by: boundary) {
                continue
            }
            // `logit == maxLogit` also covers `+infinity`, where the difference would be NaN.
            let weight = logit == maxLogit ? 1 : exp((Double(logit) - maxLogitWide) / temperature)
            if weight > 0 {
                survivors[count] = WeightedToken(id: id, weight: weight)
                count &+= 1
            }
        }
        return count
    }

    /// Stage 3: keeps the top-p prefix among the first `count` survivors, still in id order,
    /// and returns how many remain.
    private mutating func applyTopP(to survivors: UnsafeMutableBufferPointer<WeightedToken>, count: Int) -> Int {
        let live = UnsafeMutableBufferPointer(rebasing: survivors[..<count])
        var total = 0.0
        for token in live { total += token.weight }
        let cut = topP.boundary(of: live, targetMass: parameters.topP * total)
        return survivors.compact(count: count) { !cut.ranks(before: $0) }
    }

    /// Stage 6: normalises `survivors` into `output`.
    private mutating func writeNormalizedOutput(_ survivors: UnsafeMutableBufferPointer<WeightedToken>) {
        var total = 0.0
        for token in survivors { total += token.weight }
        output.overwrite(count: survivors.count) { ids, probabilities in
            for index in survivors.indices {
                ids[index] = survivors[index].id
                probabilities[index] = survivors[index].weight / total
            }
        }
    }
}
