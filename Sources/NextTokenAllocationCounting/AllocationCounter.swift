#if os(Linux)
import Glibc
import Synchronization

/// Counts the heap allocations (`malloc` and its siblings) made by chosen threads, so that a test
/// can prove a loop allocates nothing.
///
/// Linking this module into an executable replaces the C library's allocation entry points with
/// counting ones that forward to glibc's own (`__libc_malloc` …): the package's linker settings
/// define `malloc` … as aliases of the `nexttoken_counting_…` functions below and export them
/// from the test executable, so they take precedence over libc's for every library in the
/// process, the Swift runtime included. A call is counted only while ``count(_:)`` runs and only on a thread
/// marked with ``markCurrentThread()`` (``count(_:)`` marks its own), so tests running in
/// parallel on other threads do not disturb the figure.
public enum AllocationCounter {
    /// Runs `body` on the current thread with counting on and returns the number of allocation
    /// calls made meanwhile by marked threads (this one, and any marked before or during `body`).
    public static func count<E: Error>(_ body: () throws(E) -> Void) throws(E) -> Int {
        let key = threadKey
        let wasMarked = pthread_getspecific(key) != nil
        markCurrentThread()
        defer { if !wasMarked { pthread_setspecific(key, nil) } }
        allocations.store(0, ordering: .sequentiallyConsistent)
        activeCounts.wrappingAdd(1, ordering: .sequentiallyConsistent)
        defer { activeCounts.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
        try body()
        return allocations.load(ordering: .sequentiallyConsistent)
    }

    /// Counts the current thread's allocations from now on, whenever a ``count(_:)`` runs (for a
    /// worker thread that does part of the counted work). Unmark it when that work is done: a
    /// marked thread that goes on to run other code (another test) would add its allocations to
    /// any count running meanwhile.
    public static func markCurrentThread() {
        pthread_setspecific(threadKey, UnsafeRawPointer(bitPattern: 1))
    }

    /// Stops counting the current thread's allocations.
    public static func unmarkCurrentThread() {
        pthread_setspecific(threadKey, nil)
    }

    /// Allocation calls counted since the current ``count(_:)`` began.
    fileprivate static let allocations = Atomic<Int>(0)
    /// How many ``count(_:)`` calls are running: the hooks do nothing else while it is 0.
    fileprivate static let activeCounts = Atomic<Int>(0)
    /// The thread-specific slot that marks a counted thread.
    fileprivate static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key left")
        return key
    }()

    /// Counts one call when counting is on and the calling thread is marked.
    @inline(__always)
    fileprivate static func record() {
        guard activeCounts.load(ordering: .relaxed) > 0, pthread_getspecific(threadKey) != nil else { return }
        allocations.wrappingAdd(1, ordering: .relaxed)
    }
}

@_silgen_name("__libc_malloc") private func libcMalloc(_ size: Int) -> UnsafeMutableRawPointer?
@_silgen_name("__libc_calloc") private func libcCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer?
@_silgen_name("__libc_realloc")
private func libcRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer?
@_silgen_name("__libc_memalign") private func libcMemalign(_ alignment: Int, _ size: Int) -> UnsafeMutableRawPointer?

@_cdecl("nexttoken_counting_malloc")
public func countingMalloc(_ size: Int) -> UnsafeMutableRawPointer? {
    AllocationCounter.record()
    return libcMalloc(size)
}

@_cdecl("nexttoken_counting_calloc")
public func countingCalloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    AllocationCounter.record()
    return libcCalloc(count, size)
}

@_cdecl("nexttoken_counting_realloc")
public func countingRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    AllocationCounter.record()
    return libcRealloc(pointer, size)
}

@_cdecl("nexttoken_counting_memalign")
public func countingMemalign(_ alignment: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    AllocationCounter.record()
    return libcMemalign(alignment, size)
}

@_cdecl("nexttoken_counting_aligned_alloc")
public func countingAlignedAlloc(_ alignment: Int, _ size: Int) -> UnsafeMutableRawPointer? {
    AllocationCounter.record()
    return libcMemalign(alignment, size)
}

@_cdecl("nexttoken_counting_posix_memalign")
public func countingPosixMemalign(
    _ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int
) -> Int32 {
    AllocationCounter.record()
    guard alignment.nonzeroBitCount == 1, alignment % MemoryLayout<UnsafeRawPointer>.size == 0 else { return EINVAL }
    guard let pointer = libcMemalign(alignment, size) else { return ENOMEM }
    result.pointee = pointer
    return 0
}
#endif
