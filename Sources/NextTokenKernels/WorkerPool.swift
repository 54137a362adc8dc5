#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A fixed set of threads, created once, that runs the chunks of ``parallelFor(_:_:)`` calls.
///
/// The calling thread takes part, so a pool of `threadCount` uses `threadCount - 1` extra threads.
/// Idle threads spin briefly on an atomic, then yield, then sleep on a condition variable, so
/// back-to-back calls (thousands per second) cost a few microseconds each while an idle pool costs
/// nothing. One call runs at a time: a call made while another is running (from another thread,
/// or nested inside a body) runs its whole range serially on its own thread.
///
/// `@unchecked Sendable`: all shared state is atomic or is published through the atomics
/// (the job description is written before the generation counter is bumped and read after it).
public final class WorkerPool: @unchecked Sendable {
    /// Number of threads that run chunks, the caller included (at least 1). Should the system
    /// refuse to start a thread, the others claim its share (chunks are claimed dynamically).
    public let threadCount: Int

    private let generation = Atomic<Int>(0)
    private let jobAddress = Atomic<UnsafeRawPointer?>(nil)
    private let nextChunk = Atomic<Int>(0)
    private let finishedChunks = Atomic<Int>(0)
    private let workersInside = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let wakeLock: UnsafeMutablePointer<pthread_mutex_t>
    private let wakeCondition: UnsafeMutablePointer<pthread_cond_t>
    private var threads: [WorkerThread] = []
    private var scratch: UnsafeMutableRawPointer
    private var scratchStride: Int

    /// Chunks per participant: small enough to balance load when a thread is descheduled, large
    /// enough to keep the per-chunk atomic cheap.
    private static let chunksPerThread = 4
    /// Polls of the generation counter before an idle worker starts yielding, then sleeping.
    private static let spinLimit = 1 << 15
    private static let yieldLimit = 64

    /// A job as the workers see it, on the stack of the calling thread.
    private struct Job {
        let count: Int
        let chunkCount: Int
        let scratch: UnsafeMutableRawPointer
        let scratchStride: Int
        /// The caller's work, by reference: one word, so the existential needs no box.
        let work: any WorkReference
    }

    /// Starts `threadCount - 1` worker threads (`threadCount` is clamped to at least 1).
    public init(threadCount requested: Int) {
        wakeLock = .allocate(capacity: 1)
        pthread_mutex_init(wakeLock, nil)
        wakeCondition = .allocate(capacity: 1)
        pthread_cond_init(wakeCondition, nil)
        scratchStride = 64
        threadCount = max(requested, 1)
        scratch = .allocate(byteCount: scratchStride * threadCount, alignment: 64)
        threads = (1..<threadCount).compactMap { WorkerThread.start(pool: self, participant: $0) }
    }

    deinit {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(wakeLock)
        pthread_cond_broadcast(wakeCondition)
        pthread_mutex_unlock(wakeLock)
        for thread in threads { thread.join() }
        pthread_cond_destroy(wakeCondition)
        pthread_mutex_destroy(wakeLock)
        wakeCondition.deallocate()
        wakeLock.deallocate()
        scratch.deallocate()
    }

    /// Calls `body` on contiguous chunks that together cover `0..<count` exactly once, spread
    /// over the pool's threads, and returns when all chunks are done. Chunk boundaries depend
    /// only on `count` and `threadCount`; which thread runs a chunk varies.
    ///
    /// Handing a closure to other threads boxes it (one allocation per call); hot paths pass a
    /// ``ParallelWork`` value instead.
    public func parallelFor(_ count: Int, _ body: (Range<Int>) -> Void) {
        withoutActuallyEscaping(body) { body in parallelFor(count, ClosureWork(body: body)) }
    }

    /// Runs `work` on contiguous chunks that together cover `0..<count` exactly once, as
    /// ``parallelFor(_:_:)`` does with a closure, with a scratch buffer of at least
    /// `scratchByteCount` bytes (64-byte aligned) per thread, passed to every chunk the thread runs.
    /// Buffers persist between calls and grow on demand; once they are big enough a call allocates
    /// nothing: `work` stays on the caller's stack and the threads reach it through a pointer.
    public func parallelFor<Work: ParallelWork>(_ count: Int, scratchByteCount: Int = 0, _ work: Work) {
        guard count > 0 else { return }
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            let temporary = UnsafeMutableRawPointer.allocate(byteCount: max(scratchByteCount, 1), alignment: 64)
            defer { temporary.deallocate() }
            work.run(0..<count, scratch: temporary)
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        reserveScratch(scratchByteCount)
        if threadCount == 1 || count == 1 {
            work.run(0..<count, scratch: scratch)
            return
        }
        withUnsafePointer(to: work) { work in
            var job = Job(
                count: count, chunkCount: min(count, threadCount * Self.chunksPerThread),
                scratch: scratch, scratchStride: scratchStride, work: TypedWorkReference(work: work))
            withUnsafePointer(to: &job) { job in run(job) }
        }
    }

    /// Publishes `job`, takes part in it, and waits until it is finished and no worker still
    /// looks at it (it lives on the caller's stack).
    private func run(_ job: UnsafePointer<Job>) {
        nextChunk.store(0, ordering: .relaxed)
        finishedChunks.store(0, ordering: .relaxed)
        jobAddress.store(UnsafeRawPointer(job), ordering: .sequentiallyConsistent)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(wakeLock)
            pthread_cond_broadcast(wakeCondition)
            pthread_mutex_unlock(wakeLock)
        }
        runChunks(job, participant: 0)
        let chunkCount = job.pointee.chunkCount
        Self.spin { finishedChunks.load(ordering: .acquiring) == chunkCount }
        jobAddress.store(nil, ordering: .sequentiallyConsistent)
        Self.spin { workersInside.load(ordering: .sequentiallyConsistent) == 0 }
    }

    /// Claims and runs chunks of `job` until none is left.
    private func runChunks(_ job: UnsafePointer<Job>, participant: Int) {
        let count = job.pointee.count
        let chunkCount = job.pointee.chunkCount
        let scratch = job.pointee.scratch + participant &* job.pointee.scratchStride
        while true {
            let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
            guard chunk < chunkCount else { return }
            let lower = chunk &* count / chunkCount
            let upper = (chunk &+ 1) &* count / chunkCount
            job.pointee.work.run(lower..<upper, scratch: scratch)
            finishedChunks.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// The loop of worker thread `participant` (1...threadCount-1), until the pool is released.
    fileprivate func workerLoop(participant: Int) {
        var seen = 0
        while true {
            seen = waitForGeneration(after: seen)
            if stopping.load(ordering: .sequentiallyConsistent) { return }
            workersInside.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if let address = jobAddress.load(ordering: .sequentiallyConsistent) {
                runChunks(address.assumingMemoryBound(to: Job.self), participant: participant)
            }
            workersInside.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// Waits until the generation counter differs from `seen`: spinning, then yielding, then
    /// sleeping until `run` or `deinit` broadcasts.
    private func waitForGeneration(after seen: Int) -> Int {
        var polls = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            polls &+= 1
            if polls < Self.spinLimit { continue }
            if polls < Self.spinLimit + Self.yieldLimit {
                sched_yield()
                continue
            }
            pthread_mutex_lock(wakeLock)
            sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
            while generation.load(ordering: .sequentiallyConsistent) == seen {
                pthread_cond_wait(wakeCondition, wakeLock)
            }
            sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
            pthread_mutex_unlock(wakeLock)
            polls = 0
        }
    }

    /// Grows every participant's scratch buffer to `byteCount` bytes (rounded up to whole cache
    /// lines, so that buffers never share a line). Only called while no job runs.
    private func reserveScratch(_ byteCount: Int) {
        let stride = (byteCount + 127) & ~63
        guard stride > scratchStride else { return }
        scratch.deallocate()
        scratch = .allocate(byteCount: stride * threadCount, alignment: 64)
        scratchStride = stride
    }

    /// Polls `condition` until it holds, yielding the processor after a while.
    private static func spin(until condition: () -> Bool) {
        var polls = 0
        while !condition() {
            polls &+= 1
            if polls > 1 << 12 { sched_yield() }
        }
    }
}

/// The body of a parallel job as a value (the operands of a matrix product, of attention …):
/// a ``WorkerPool`` runs it on its threads without allocating.
public protocol ParallelWork {
    /// Runs the indices `range` with the calling thread's scratch buffer.
    func run(_ range: Range<Int>, scratch: UnsafeMutableRawPointer)
}

/// A closure as ``ParallelWork`` (for callers where one allocation per call does not matter).
private struct ClosureWork: ParallelWork {
    let body: (Range<Int>) -> Void

    func run(_ range: Range<Int>, scratch: UnsafeMutableRawPointer) { body(range) }
}

/// A pointer to some ``ParallelWork``, with its type erased.
private protocol WorkReference {
    func run(_ range: Range<Int>, scratch: UnsafeMutableRawPointer)
}

/// A pointer to a `Work` on the stack of the thread that published the job.
private struct TypedWorkReference<Work: ParallelWork>: WorkReference {
    let work: UnsafePointer<Work>

    func run(_ range: Range<Int>, scratch: UnsafeMutableRawPointer) { work.pointee.run(range, scratch: scratch) }
}

/// A started worker thread of a ``WorkerPool``.
private struct WorkerThread {
    let handle: pthread_t

    /// What a new thread needs: the pool (unretained: the pool joins its threads in `deinit`)
    /// and its participant number.
    private struct Start {
        let pool: Unmanaged<WorkerPool>
        let participant: Int
    }

    static func start(pool: WorkerPool, participant: Int) -> WorkerThread? {
        let start = UnsafeMutablePointer<Start>.allocate(capacity: 1)
        start.initialize(to: Start(pool: .passUnretained(pool), participant: participant))
        #if canImport(Darwin)
        var handle: pthread_t?
        let status = pthread_create(&handle, nil, { argument in
            WorkerThread.main(argument)
            return nil
        }, start)
        guard status == 0, let handle else {
            start.deallocate()
            return nil
        }
        #else
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { argument in
            if let argument { WorkerThread.main(argument) }
            return nil
        }, start)
        guard status == 0 else {
            start.deallocate()
            return nil
        }
        #endif
        return WorkerThread(handle: handle)
    }

    private static func main(_ argument: UnsafeMutableRawPointer) {
        let start = argument.assumingMemoryBound(to: Start.self)
        let pool = start.pointee.pool
        let participant = start.pointee.participant
        start.deallocate()
        pool._withUnsafeGuaranteedRef { $0.workerLoop(participant: participant) }
    }

    func join() {
        pthread_join(handle, nil)
    }
}
