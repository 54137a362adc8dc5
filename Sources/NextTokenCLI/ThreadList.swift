import ArgumentParser

/// Parses a `--threads 1,2` list of positive thread counts.
enum ThreadList {
    static func parse(_ text: String) throws -> [Int] {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " })
        let counts = parts.compactMap { Int($0) }
        guard !counts.isEmpty, counts.count == parts.count, counts.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--threads must be a comma-separated list of positive integers, e.g. 1,2")
        }
        return counts
    }
}
