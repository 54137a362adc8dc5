#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A blocking TCP connection to 127.0.0.1, for tests that must control every byte sent (partial
/// bodies, invalid UTF-8, disconnects) and read responses as they arrive.
final class SocketConnection {
    private let descriptor: Int32
    private var closed = false

    /// Connects to `127.0.0.1:port`; reads time out after `readTimeout`.
    init(port: Int, readTimeout: Duration = .seconds(120)) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw SocketError.failed("socket", errno) }
        var timeout = timeval(
            tv_sec: .init(readTimeout.components.seconds),
            tv_usec: .init(readTimeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Self.systemClose(descriptor)
            throw SocketError.failed("connect", code)
        }
    }

    deinit { close() }

    /// Sends every byte.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(descriptor, buffer.baseAddress, buffer.count, 0)
                #endif
            }
            guard sent > 0 else { throw SocketError.failed("send", errno) }
            offset += sent
        }
    }

    /// Up to `maximum` bytes; empty at end of stream.
    /// - Throws: ``SocketError/timedOut`` when nothing arrives within the read timeout.
    func receive(maximum: Int = 65536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, maximum, 0) }
        if count < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK { throw SocketError.timedOut }
            if code == ECONNRESET { return [] }
            throw SocketError.failed("recv", code)
        }
        return Array(buffer.prefix(count))
    }

    /// Closes the socket (idempotent).
    func close() {
        guard !closed else { return }
        closed = true
        Self.systemClose(descriptor)
    }

    private static func systemClose(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}

/// Why a socket operation failed.
enum SocketError: Error, CustomStringConvertible {
    case failed(String, Int32)
    case timedOut
    case malformedResponse(String)

    var description: String {
        switch self {
        case .failed(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .timedOut: "timed out waiting for the server"
        case .malformedResponse(let reason): "malformed HTTP response: \(reason)"
        }
    }
}
