/// A static draft-tree shape: nodes named by their rank paths from the root (algorithms.md §1.4).
public struct TreeTemplate: Sendable, Equatable {
    /// Rank paths in breadth-first order; `[2, 0]` is rank 0 under rank 2 under the root.
    public let paths: [[Int]]

    /// A template from rank paths; they are sorted breadth-first.
    public init(paths: [[Int]]) {
        self.paths = paths.sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// A template from a child count per parent path.
    public init(childCounts: [[Int]: Int]) {
        var paths: [[Int]] = []
        for (parent, count) in childCounts {
            for rank in 0 ..< count { paths.append(parent + [rank]) }
        }
        self.init(paths: paths)
    }

    /// Draft nodes.
    public var nodeCount: Int { paths.count }
    /// Longest path.
    public var depth: Int { paths.map(\.count).max() ?? 0 }
    /// Paths with no extension in the template.
    public var leafCount: Int {
        let set = Set(paths)
        return paths.filter { path in !set.contains { $0.count == path.count + 1 && Array($0.dropLast()) == path } }.count
    }

    /// The paper's 80-node, depth-6 template "2.2.2".
    public static let paper222 = TreeTemplate(childCounts: [
        []: 8,
        [0]: 8, [1]: 4, [2]: 3, [3]: 2, [4]: 1, [5]: 1, [6]: 1, [7]: 1,
        [0, 0]: 8, [0, 1]: 3, [0, 2]: 2, [0, 3]: 1, [0, 4]: 1, [0, 5]: 1, [0, 6]: 1, [0, 7]: 1,
        [1, 0]: 2, [1, 1]: 1, [2, 0]: 1, [3, 0]: 1, [4, 0]: 1, [5, 0]: 1,
        [0, 0, 0]: 5, [0, 0, 1]: 2, [0, 0, 2]: 1, [0, 0, 3]: 1, [0, 0, 4]: 1,
        [0, 1, 0]: 1, [0, 2, 0]: 1, [1, 0, 0]: 1, [2, 0, 0]: 1, [3, 0, 0]: 1,
        [0, 0, 0, 0]: 3, [0, 0, 0, 1]: 1, [0, 0, 0, 2]: 1, [0, 0, 1, 0]: 1, [0, 1, 0, 0]: 1, [1, 0, 0, 0]: 1,
        [0, 0, 0, 0, 0]: 2, [0, 0, 0, 1, 0]: 1,
    ])

    /// An 8-node template for CPUs, where every extra row costs.
    public static let cpu8 = TreeTemplate(childCounts: [[]: 4, [0]: 2, [1]: 1, [0, 0]: 1])

    /// A 16-node template for CPUs.
    public static let cpu16 = TreeTemplate(childCounts: [
        []: 4, [0]: 3, [1]: 2, [2]: 1, [0, 0]: 2, [0, 1]: 1, [1, 0]: 1, [0, 0, 0]: 1, [0, 0, 0, 0]: 1,
    ])

    /// The templates by name, for options and benchmarks.
    public static let named: [String: TreeTemplate] = ["2.2.2": paper222, "cpu8": cpu8, "cpu16": cpu16]

    /// The largest built-in template with at most `budget` nodes (cpu8 at least).
    public static func fitting(budget: Int) -> TreeTemplate {
        [paper222, cpu16, cpu8].first { $0.nodeCount <= budget } ?? cpu8
    }
}
