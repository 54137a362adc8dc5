import NextTokenKernels
import NextTokenSampling

/// Euclidean k-means over the rows of a matrix (design §8.5 clusters the output-embedding rows).
///
/// Seeding is k-means++ from a ``SeededRandom`` stream, so a seed gives the same clusters everywhere;
/// then Lloyd iterations until no row changes cluster or the iteration limit. A cluster that loses
/// every row keeps its centroid.
public struct KMeans: Sendable {
    /// The cluster of each row.
    public let assignments: [Int]
    /// `clusterCount × dimension` centroid coordinates, one centroid after another.
    public let centroids: [Float]
    /// Number of clusters.
    public let clusterCount: Int
    /// Lloyd iterations run.
    public let iterations: Int

    /// Clusters the `rows.count / dimension` rows of `rows`.
    /// - Throws: ``ProbeError/invalidParameter(name:value:)`` for a dimension that does not divide
    ///   the data, fewer rows than clusters, or a cluster count or iteration limit below 1.
    public init(
        rows: [Float], dimension: Int, clusterCount: Int, maxIterations: Int, seed: UInt64, pool: WorkerPool
    ) throws(ProbeError) {
        guard dimension > 0, rows.count % dimension == 0 else {
            throw .invalidParameter(name: "dimension", value: "\(dimension) for \(rows.count) values")
        }
        let rowCount = rows.count / dimension
        guard clusterCount >= 1, clusterCount <= rowCount else {
            throw .invalidParameter(name: "cluster count", value: "\(clusterCount) for \(rowCount) rows")
        }
        guard maxIterations >= 1 else { throw .invalidParameter(name: "iterations", value: "\(maxIterations)") }
        var centroids = Self.seedCentroids(rows, dimension: dimension, count: clusterCount, seed: seed, pool: pool)
        var assignments = [Int](repeating: -1, count: rowCount)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let changed = Self.assign(rows, dimension: dimension, centroids: centroids, to: &assignments, pool: pool)
            guard changed else { break }
            Self.update(&centroids, rows: rows, dimension: dimension, assignments: assignments)
        }
        self.assignments = assignments
        self.centroids = centroids
        self.clusterCount = clusterCount
        self.iterations = iterations
    }

    /// k-means++: the first centroid is a uniform row, each next one a row drawn with probability
    /// proportional to its squared distance from the nearest centroid so far.
    private static func seedCentroids(
        _ rows: [Float], dimension: Int, count: Int, seed: UInt64, pool: WorkerPool
    ) -> [Float] {
        var random = SeededRandom(seed: seed)
        let rowCount = rows.count / dimension
        let norms = rowNorms(rows, dimension: dimension)
        var centroids: [Float] = []
        centroids.reserveCapacity(count * dimension)
        var nearest = [Float](repeating: .infinity, count: rowCount)
        var chosen = Int(random.nextUniform() * Double(rowCount))
        for _ in 0 ..< count {
            let newest = Array(rows[chosen * dimension ..< (chosen + 1) * dimension])
            centroids += newest
            rows.withUnsafeBufferPointer { data in
                newest.withUnsafeBufferPointer { center in
                    nearest.withUnsafeMutableBufferPointer { distances in
                        guard let base = data.baseAddress, let c = center.baseAddress, let out = distances.baseAddress
                        else { return }
                        let centerNorm = norms[chosen]
                        pool.parallelFor(rowCount) { range in
                            for row in range {
                                let distance = norms[row] + centerNorm - 2 * VectorOps.dot(base + row * dimension, c, count: dimension)
                                out[row] = min(out[row], max(0, distance))
                            }
                        }
                    }
                }
            }
            let total = nearest.reduce(0.0) { $0 + Double($1) }
            guard total > 0 else {
                chosen = (chosen + 1) % rowCount
                continue
            }
            let target = random.nextUniform() * total
            var cumulative = 0.0
            chosen = rowCount - 1
            for row in 0 ..< rowCount where nearest[row] > 0 {
                cumulative += Double(nearest[row])
                if target < cumulative {
                    chosen = row
                    break
                }
            }
        }
        return centroids
    }

    /// `‖row‖²` of every row.
    private static func rowNorms(_ rows: [Float], dimension: Int) -> [Float] {
        rows.withUnsafeBufferPointer { data in
            guard let base = data.baseAddress else { return [] }
            return (0 ..< data.count / dimension).map {
                VectorOps.dot(base + $0 * dimension, base + $0 * dimension, count: dimension)
            }
        }
    }

    /// Moves every row to its nearest centroid (lowest index on ties); returns whether any moved.
    private static func assign(
        _ rows: [Float], dimension: Int, centroids: [Float], to assignments: inout [Int], pool: WorkerPool
    ) -> Bool {
        let clusterCount = centroids.count / dimension
        let norms = (0 ..< clusterCount).map { cluster in
            centroids.withUnsafeBufferPointer { c -> Float in
                guard let base = c.baseAddress else { return 0 }
                let centroid = base + cluster * dimension
                return VectorOps.dot(centroid, centroid, count: dimension)
            }
        }
        let before = assignments
        rows.withUnsafeBufferPointer { data in
            centroids.withUnsafeBufferPointer { centers in
                assignments.withUnsafeMutableBufferPointer { output in
                    guard let base = data.baseAddress, let center = centers.baseAddress, let out = output.baseAddress
                    else { return }
                    pool.parallelFor(output.count) { range in
                        for row in range {
                            let vector = base + row * dimension
                            var best = 0
                            var bestScore = Float.infinity
                            for cluster in 0 ..< clusterCount {
                                // ‖x − c‖² − ‖x‖² = ‖c‖² − 2 x·c
                                let score = norms[cluster]
                                    - 2 * VectorOps.dot(center + cluster * dimension, vector, count: dimension)
                                if score < bestScore {
                                    bestScore = score
                                    best = cluster
                                }
                            }
                            out[row] = best
                        }
                    }
                }
            }
        }
        return assignments != before
    }

    /// Sets every centroid that has rows to their mean.
    private static func update(_ centroids: inout [Float], rows: [Float], dimension: Int, assignments: [Int]) {
        let clusterCount = centroids.count / dimension
        var sums = [Double](repeating: 0, count: centroids.count)
        var counts = [Int](repeating: 0, count: clusterCount)
        for (row, cluster) in assignments.enumerated() {
            counts[cluster] += 1
            for column in 0 ..< dimension { sums[cluster * dimension + column] += Double(rows[row * dimension + column]) }
        }
        for cluster in 0 ..< clusterCount where counts[cluster] > 0 {
            for column in 0 ..< dimension {
                centroids[cluster * dimension + column] = Float(sums[cluster * dimension + column] / Double(counts[cluster]))
            }
        }
    }
}
