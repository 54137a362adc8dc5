import ArgumentParser

/// Parses a `--threads 1,2` list of positive thread counts (or, with `allowZero`, a `--depth 0,1024`
/// list of counts that may be zero).
enum ThreadList {
    static func parse(_ text: String, allowZero: Bool = false) throws -> [Int] {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " })
        let counts = parts.compactMap { Int($0) }
        let smallest = allowZero ? 0 : 1
        guard !counts.isEmpty, counts.count == parts.count, counts.allSatisfy({ $0 >= smallest }) else {
            throw ValidationError(allowZero
                ? "--depth must be a comma-separated list of integers ≥ 0, e.g. 0,1024,4096"
                : "--threads must be a comma-separated list of positive integers, e.g. 1,2")
        }
        return counts
    }
}
