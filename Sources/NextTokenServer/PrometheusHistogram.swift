/// A Prometheus histogram: cumulative bucket counts, a sum and a count.
struct PrometheusHistogram: Sendable {
    /// Upper bounds of the buckets, ascending (`+Inf` is implied).
    let bounds: [Double]
    private(set) var counts: [Int]
    private(set) var sum = 0.0
    private(set) var count = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        for index in bounds.indices where value <= bounds[index] { counts[index] += 1 }
        sum += value
        count += 1
    }

    /// The exposition lines of the histogram called `name`.
    func lines(name: String) -> [String] {
        var lines = zip(bounds, counts).map { bound, count in "\(name)_bucket{le=\"\(bound)\"} \(count)" }
        lines.append("\(name)_bucket{le=\"+Inf\"} \(count)")
        lines.append("\(name)_sum \(sum)")
        lines.append("\(name)_count \(count)")
        return lines
    }
}
