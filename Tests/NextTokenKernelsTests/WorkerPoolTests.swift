import Testing
import Synchronization
import NextTokenKernels

@Suite("Worker pool")
struct WorkerPoolTests {
    /// How often each index of `0..<count` was visited, and the chunks seen.
    final class Visits: @unchecked Sendable {
        let counts: UnsafeMutablePointer<Atomic<Int>>
        let count: Int
        let chunks = Mutex<[Range<Int>]>([])

        init(count: Int) {
            self.count = count
            counts = .allocate(capacity: max(count, 1))
            for index in 0..<count { (counts + index).initialize(to: Atomic(0)) }
        }

        deinit { counts.deallocate() }

        func record(_ range: Range<Int>) {
            chunks.withLock { $0.append(range) }
            for index in range { counts[index].wrappingAdd(1, ordering: .relaxed) }
        }

        var allOnce: Bool { (0..<count).allSatisfy { counts[$0].load(ordering: .relaxed) == 1 } }
    }

    @Test("covers every index exactly once with contiguous chunks", arguments: [1, 2, 3, 5])
    func coverage(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        #expect(pool.threadCount == threads)
        for count in [0, 1, 2, 3, 7, 64, 1000] {
            for _ in 0..<20 {
                let visits = Visits(count: count)
                pool.parallelFor(count) { visits.record($0) }
                #expect(visits.allOnce, "\(threads) threads, count \(count)")
                let chunks = visits.chunks.withLock { $0 }
                #expect(chunks.allSatisfy { !$0.isEmpty })
                #expect(chunks.map(\.count).reduce(0, +) == count)
            }
        }
    }

    @Test("many back-to-back calls all complete")
    func repeatedCalls() {
        let pool = WorkerPool(threadCount: 3)
        let total = Atomic<Int>(0)
        for _ in 0..<5000 {
            pool.parallelFor(8) { range in total.wrappingAdd(range.count, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 40000)
    }

    @Test("a call from inside a body, or from another thread meanwhile, runs serially and correctly")
    func nestedAndConcurrentCalls() async {
        let pool = WorkerPool(threadCount: 2)
        let inner = Atomic<Int>(0)
        pool.parallelFor(4) { range in
            for _ in range {
                pool.parallelFor(10) { inner.wrappingAdd($0.count, ordering: .relaxed) }
            }
        }
        #expect(inner.load(ordering: .relaxed) == 40)

        let outer = Visits(count: 4 * 200 * 16)
        await withTaskGroup(of: Void.self) { group in
            for caller in 0..<4 {
                group.addTask {
                    for call in 0..<200 {
                        let offset = (caller * 200 + call) * 16
                        pool.parallelFor(16) { outer.record(($0.lowerBound + offset)..<($0.upperBound + offset)) }
                    }
                }
            }
        }
        #expect(outer.allOnce)
    }

    @Test("a pool with sleeping workers wakes up for the next call")
    func wakesSleepingWorkers() async throws {
        let pool = WorkerPool(threadCount: 2)
        let visits = Visits(count: 100)
        try await Task.sleep(for: .milliseconds(200))
        pool.parallelFor(100) { visits.record($0) }
        #expect(visits.allOnce)
    }

    @Test("threadCount is at least 1")
    func clampsThreadCount() {
        #expect(WorkerPool(threadCount: 0).threadCount == 1)
        #expect(WorkerPool(threadCount: -3).threadCount == 1)
    }
}
