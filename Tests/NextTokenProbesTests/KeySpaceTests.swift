import Foundation
import NextTokenKernels
import NextTokenProbes
import Testing

@Suite("Key-space clustering and shares")
struct KeySpaceTests {
    /// Three well-separated groups of 20 rows in 8 dimensions, interleaved, with small deterministic noise.
    static func groupedRows() -> (rows: [Float], groups: [Int]) {
        var rows: [Float] = []
        var groups: [Int] = []
        for index in 0 ..< 60 {
            let group = index % 3
            groups.append(group)
            for column in 0 ..< 8 {
                let center: Float = column == group ? 10 : (column == 7 && group == 2 ? -6 : 0)
                rows.append(center + 0.5 * Float(sin(Double(index * 8 + column) * 1.7)))
            }
        }
        return (rows, groups)
    }

    @Test("k-means recovers known clusters (up to their labels) and converges", arguments: [UInt64(0), 1, 2, 99])
    func recoversClusters(seed: UInt64) throws {
        let (rows, groups) = Self.groupedRows()
        let clustering = try KMeans(rows: rows, dimension: 8, clusterCount: 3, maxIterations: 20, seed: seed,
                                    pool: WorkerPool(threadCount: 2))
        #expect(clustering.assignments.count == 60)
        var labelOfGroup: [Int: Int] = [:]
        for (row, group) in groups.enumerated() {
            let label = clustering.assignments[row]
            #expect(labelOfGroup[group, default: label] == label, "row \(row) split from its group")
            labelOfGroup[group] = label
        }
        #expect(Set(labelOfGroup.values).count == 3, "three groups, three clusters")
        #expect(clustering.iterations < 20)
        // Each centroid is its group's mean: near the group's centre.
        for (group, label) in labelOfGroup {
            let centroid = clustering.centroids[label * 8 ..< label * 8 + 8]
            #expect(abs(centroid[centroid.startIndex + group] - 10) < 0.5)
        }
    }

    @Test("the same seed gives the same clusters on 1 and 2 threads")
    func deterministic() throws {
        let (rows, _) = Self.groupedRows()
        let one = try KMeans(rows: rows, dimension: 8, clusterCount: 5, maxIterations: 5, seed: 7, pool: WorkerPool(threadCount: 1))
        let two = try KMeans(rows: rows, dimension: 8, clusterCount: 5, maxIterations: 5, seed: 7, pool: WorkerPool(threadCount: 2))
        #expect(one.assignments == two.assignments && one.centroids == two.centroids)
    }

    @Test("bad k-means parameters are typed errors")
    func badParameters() {
        let pool = WorkerPool(threadCount: 1)
        #expect(throws: ProbeError.self) { try KMeans(rows: [1, 2, 3], dimension: 2, clusterCount: 1, maxIterations: 1, seed: 0, pool: pool) }
        #expect(throws: ProbeError.self) { try KMeans(rows: [1, 2], dimension: 1, clusterCount: 3, maxIterations: 1, seed: 0, pool: pool) }
        #expect(throws: ProbeError.self) { try KMeans(rows: [1, 2], dimension: 1, clusterCount: 0, maxIterations: 1, seed: 0, pool: pool) }
        #expect(throws: ProbeError.self) { try KMeans(rows: [1, 2], dimension: 1, clusterCount: 1, maxIterations: 0, seed: 0, pool: pool) }
    }

    @Test("shares count the later ranks whose cluster is a top token's, against the vocabulary baseline")
    func shares() throws {
        let clusters = [0, 0, 1, 1, 2, 2, 0, 1, 2, 2]
        // Ranking by logit: 0, 2, 6, 3, 4, 1, 5, 7, 8, 9.
        var logits = [Float](repeating: 0, count: 10)
        for (rank, token) in [0, 2, 6, 3, 4, 1, 5, 7, 8, 9].enumerated() { logits[token] = Float(10 - rank) }
        let share = try KeySpaceShare(logits: logits, clusters: clusters, topCount: 2, bandEnds: [5, 10])
        #expect(share.topTokens == [0, 2])
        #expect(share.mainClusterCount == 2)
        #expect(share.baseline == 0.6)
        #expect(share.bands.map(\.firstRank) == [3, 6] && share.bands.map(\.lastRank) == [5, 10])
        #expect(share.bands[0].share == 2.0 / 3.0)  // tokens 6, 3, 4: clusters 0, 1, 2
        #expect(share.bands[1].share == 2.0 / 5.0)  // tokens 1, 5, 7, 8, 9: clusters 0, 2, 1, 2, 2
    }

    @Test("bad share parameters are typed errors")
    func badShares() {
        let logits: [Float] = [3, 2, 1]
        #expect(throws: ProbeError.self) { try KeySpaceShare(logits: logits, clusters: [0, 1], topCount: 1, bandEnds: [2]) }
        #expect(throws: ProbeError.self) { try KeySpaceShare(logits: logits, clusters: [0, 1, 2], topCount: 2, bandEnds: [2]) }
        #expect(throws: ProbeError.self) { try KeySpaceShare(logits: logits, clusters: [0, 1, 2], topCount: 1, bandEnds: [4]) }
        #expect(throws: ProbeError.self) { try KeySpaceShare(logits: logits, clusters: [0, 1, 2], topCount: 0, bandEnds: [2]) }
    }
}
