#if os(Linux)
@testable import NextToken
import NextTokenAllocationCounting
import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenSampling
import NextTokenTestSupport
import Synchronization
import Testing

/// The plain decode loop allocates nothing once warm: 32 steps (forward pass over the KV cache,
/// worker pool, sampler chain) are counted with the C library's allocation functions replaced.
@Suite("Decode loop allocations", .serialized)
struct DecodeAllocationTests {
    /// Sampling settings that exercise every stage of the chain.
    static let chain = SamplingParameters(
        temperature: 0.8, topK: 40, topP: 0.95, minP: 0.02, seed: 7, repetitionPenalty: 1.1, presencePenalty: 0.2)

    struct Setting: CustomTestStringConvertible, Sendable {
        let model: String
        let threads: Int
        let sampling: SamplingParameters
        var testDescription: String { "\(model), \(threads) thread(s), \(sampling.isGreedy ? "greedy" : "sampled")" }
    }

    /// Whether the optimiser ran: unoptimised code boxes values and closure contexts that optimised
    /// code keeps on the stack, so the property holds for release builds (CI tests those).
    #if DEBUG
    static let optimized = false
    #else
    static let optimized = true
    #endif

    @Test("32 warm decode steps allocate nothing",
          .enabled(if: optimized, "a debug build allocates where the optimiser would not; run with -c release"),
          arguments: [
        Setting(model: "smollm2", threads: 1, sampling: .greedy),
        Setting(model: "smollm2", threads: 2, sampling: .greedy),
        Setting(model: "smollm2", threads: 2, sampling: chain),
        Setting(model: "gemma3", threads: 2, sampling: chain),
    ])
    func warmStepsAllocateNothing(_ setting: Setting) throws {
        let model = try Model(path: try TestModels.requireOrSkip(setting.model))
        let lm = model.languageModel
        let pool = WorkerPool(threadCount: setting.threads)
        try Self.markThreads(of: pool)
        defer { try? Self.unmarkThreads(of: pool) }
        let prompt = try model.promptTokens(for: "Write a short poem about the sea.")
        let steps = 32
        let context = lm.makeContext(capacity: prompt.count + steps + 8, pool: pool)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: lm.vocabularySize)
        defer { logits.deallocate() }
        try lm.forward(ForwardBatch(tokens: prompt, startingAt: 0), context: context, logitRows: [prompt.count - 1],
                       logits: logits)
        var sampler = try Sampler(parameters: setting.sampling)
        var history = prompt
        history.reserveCapacity(prompt.count + steps + 8)
        var token = try sampler.sample(logits: UnsafeBufferPointer(start: logits, count: lm.vocabularySize),
                                       history: history)
        var decoder = PlainDecoder(model: lm, context: context, logits: logits)
        for _ in 0 ..< 4 {
            token = try decoder.step(feeding: token, history: &history, sampler: &sampler)
        }
        var generated = [TokenID](repeating: 0, count: steps)
        let allocations = try AllocationCounter.count { () throws(NextTokenError) in
            for step in 0 ..< steps {
                token = try decoder.step(feeding: token, history: &history, sampler: &sampler)
                generated[step] = token
            }
        }
        #expect(allocations == 0)
        #expect(context.cache.length == prompt.count + 4 + steps)

        // The counted steps did the real work: they continue exactly as `generate` does.
        var options = GenerationOptions()
        options.maxTokens = 1 + 4 + steps
        options.threads = setting.threads
        options.sampling = setting.sampling
        options.ignoreEndOfGeneration = true
        let reference = try model.complete("Write a short poem about the sea.", options: options)
        #expect(Array(reference.tokens.suffix(steps)) == generated)
    }

    @Test("the counter sees allocations on the counting thread and on marked pool threads")
    func counterHasPower() throws {
        let model = try Model(path: try TestModels.requireOrSkip("smollm2"))
        let lm = model.languageModel
        let pool = WorkerPool(threadCount: 2)
        try Self.markThreads(of: pool)
        defer { try? Self.unmarkThreads(of: pool) }
        let context = lm.makeContext(capacity: 16, pool: pool)
        // `logits(_:context:logitRows:)` returns a fresh array: at least one allocation.
        var result: [Float] = []
        let direct = try AllocationCounter.count { () throws(ModelError) in
            result = try lm.logits(ForwardBatch(tokens: [1, 2], startingAt: 0), context: context, logitRows: [1])
        }
        #expect(direct >= 1)
        #expect(result.count == lm.vocabularySize)
        // Each thread of the pool makes one array in a chunk of its own.
        let arrays = Mutex<[[Int]]>([])
        let onWorkers = try AllocationCounter.count { () throws(PoolError) in
            try Self.runOnEveryThread(of: pool) { thread in
                let array = [Int](repeating: thread, count: 1000 + thread)
                arrays.withLock { $0.append(array) }
            }
        }
        #expect(onWorkers >= 2)
        #expect(arrays.withLock { $0.map(\.count).sorted() } == [1000, 1001])
    }

    /// Marks every thread of `pool`, the calling one included, as counted.
    static func markThreads(of pool: WorkerPool) throws {
        try runOnEveryThread(of: pool) { _ in AllocationCounter.markCurrentThread() }
    }

    /// Undoes ``markThreads(of:)``: the calling thread goes back to running other tests, whose
    /// allocations must not count.
    static func unmarkThreads(of pool: WorkerPool) throws {
        try runOnEveryThread(of: pool) { _ in AllocationCounter.unmarkCurrentThread() }
    }

    /// A pool thread that never joined a job.
    struct PoolError: Error {}

    /// Runs `body` once on every thread of `pool` (passing 0, 1, …): each thread runs one chunk of
    /// a job whose chunks wait for one another, so no thread can take two.
    static func runOnEveryThread(of pool: WorkerPool, _ body: (Int) -> Void) throws(PoolError) {
        let arrived = Atomic<Int>(0)
        pool.parallelFor(pool.threadCount) { _ in
            body(arrived.wrappingAdd(1, ordering: .sequentiallyConsistent).oldValue)
            let deadline = ContinuousClock.now + .seconds(30)
            while arrived.load(ordering: .sequentiallyConsistent) < pool.threadCount, ContinuousClock.now < deadline {}
        }
        guard arrived.load(ordering: .sequentiallyConsistent) == pool.threadCount else { throw PoolError() }
    }
}
#endif
