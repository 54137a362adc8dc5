#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns the bytes of one GGUF file: a read-only private mapping of a file, or a heap copy.
///
/// Invariant: `bytes` never changes and stays valid until this object is deinitialized, which
/// unmaps or frees it. It is `@unchecked Sendable` because nothing ever writes through it.
final class GGUFStorage: @unchecked Sendable {
    private enum Owner {
        case mapping(UnsafeMutableRawPointer, byteCount: Int)
        case allocation(UnsafeMutableRawPointer)
    }

    /// The file's bytes; valid for the lifetime of this object.
    let bytes: UnsafeRawBufferPointer
    private let owner: Owner

    /// A copy of `source` on the heap.
    init(copying source: [UInt8]) {
        // Allocate at least one byte: the pointer must stay valid even for empty input.
        let address = UnsafeMutableRawPointer.allocate(byteCount: max(source.count, 1), alignment: 64)
        source.withUnsafeBytes { source in
            UnsafeMutableRawBufferPointer(start: address, count: source.count).copyMemory(from: source)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: source.count)
        owner = .allocation(address)
    }

    /// Maps the file at `path` read-only (`PROT_READ`, `MAP_PRIVATE`).
    /// - Throws: `.cannotOpen` if it cannot be opened, sized or mapped; `.truncated` if empty.
    init(mapping path: String) throws(GGUFError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Self.failure(path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Self.failure(path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .cannotOpen(path: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size > 0 else { throw .truncated(offset: 0, needed: 4) }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else { throw Self.failure(path) }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        owner = .mapping(address, byteCount: size)
    }

    deinit {
        switch owner {
        case .mapping(let address, let byteCount): munmap(address, byteCount)
        case .allocation(let address): address.deallocate()
        }
    }

    /// The current `errno` as a `.cannotOpen` error.
    private static func failure(_ path: String) -> GGUFError {
        .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
}
