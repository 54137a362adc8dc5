import Foundation

extension ProcessedDistribution {
    /// Shannon entropy in nats, `-Σ p ln(p + 1e-10)`: the uncertainty measure of Cautious Next
    /// Token Prediction (design §5.2), with the reference's epsilon inside the logarithm.
    public var entropy: Double {
        var sum = 0.0
        for probability in probabilities { sum -= probability * Foundation.log(probability + 1e-10) }
        return sum
    }
}
