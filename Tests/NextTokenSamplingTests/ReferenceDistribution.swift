import Foundation
import NextTokenCore
import NextTokenSampling

/// A deliberately naive processed distribution: full sorts at every stage, written directly
/// from the stage definitions in ``TokenDistributionBuilder``'s documentation.
///
/// - Returns: `(id, probability)` pairs in increasing id order, or `nil` without candidates.
func referenceDistribution(
    _ logits: [Float], _ parameters: SamplingParameters
) -> [(id: TokenID, probability: Double)]? {
    let candidates = logits.indices.filter { logits[$0] > -.infinity }
    guard !candidates.isEmpty else { return nil }
    var ranked = candidates.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
    guard parameters.temperature > 0 else { return [(TokenID(ranked[0]), 1)] }
    if parameters.topK > 0 { ranked = Array(ranked.prefix(parameters.topK)) }

    let maxLogit = logits[ranked[0]]
    var weights: [(id: Int, weight: Double)] = ranked.map { id in
        let logit = logits[id]
        let weight = logit == maxLogit
            ? 1 : exp((Double(logit) - Double(maxLogit)) / parameters.temperature)
        return (id, weight)
    }.filter { $0.weight > 0 }
    weights.sort { $0.id < $1.id }

    if parameters.topP < 1 {
        let total = weights.reduce(0) { $0 + $1.weight }
        let byProbability = weights.sorted { $0.weight > $1.weight || ($0.weight == $1.weight && $0.id < $1.id) }
        var mass = 0.0
        var keep = 0
        while keep < byProbability.count && mass < parameters.topP * total {
            mass += byProbability[keep].weight
            keep += 1
        }
        let kept = Set(byProbability.prefix(keep).map(\.id))
        weights = weights.filter { kept.contains($0.id) }
    }
    if parameters.minP > 0 { weights = weights.filter { $0.weight >= parameters.minP } }

    let total = weights.reduce(0) { $0 + $1.weight }
    return weights.map { (TokenID($0.id), $0.weight / total) }
}
