import Foundation

/// Pearson's χ² goodness-of-fit statistic and its p-value, for the sampling tests.
public enum ChiSquare {
    /// The statistic of `observed` counts against `expected` probabilities, over the cells with
    /// non-zero expectation, with its degrees of freedom (cells − 1).
    public static func statistic(observed: [Int], expected: [Double]) -> (value: Double, degreesOfFreedom: Int) {
        let total = Double(observed.reduce(0, +))
        var value = 0.0
        var cells = 0
        for (count, probability) in zip(observed, expected) where probability > 0 {
            let expectedCount = total * probability
            value += (Double(count) - expectedCount) * (Double(count) - expectedCount) / expectedCount
            cells += 1
        }
        return (value, cells - 1)
    }

    /// `P(X >= x)` for `X ~ χ²(k)`: the regularised upper incomplete gamma `Q(k/2, x/2)`.
    public static func survival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        let a = Double(k) / 2
        let z = x / 2
        guard z > 0 else { return 1 }
        // log of z^a e^-z / Γ(a), the common factor of both expansions.
        let logPrefactor = a * log(z) - z - lgamma(a)
        if z < a + 1 {
            // Lower series: P(a, z) = prefactor · Σ z^n / (a (a+1) … (a+n)).
            var term = 1 / a
            var sum = term
            var n = 1.0
            while term > sum * 1e-17 {
                term *= z / (a + n)
                sum += term
                n += 1
            }
            return 1 - exp(logPrefactor) * sum
        }
        // Continued fraction for Q(a, z), evaluated with the modified Lentz method:
        // Q = prefactor / (z + 1 − a − 1(1 − a) / (z + 3 − a − 2(2 − a) / (z + 5 − a − …))).
        let tiny = 1e-300
        var b = z + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var fraction = d
        for i in 1 ... 10_000 {
            let numerator = -Double(i) * (Double(i) - a)
            b += 2
            d = numerator * d + b
            if abs(d) < tiny { d = tiny }
            c = b + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            fraction *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return exp(logPrefactor) * fraction
    }
}
