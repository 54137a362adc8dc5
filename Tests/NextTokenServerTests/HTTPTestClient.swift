import Foundation
import NextTokenOpenAIAPI

/// One HTTP response as the test client read it.
struct HTTPTestResponse: Sendable {
    let status: Int
    /// Header names lowercased.
    let headers: [String: String]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object (nil when it is not one).
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }

    /// The OpenAI error body's fields, when the body is one.
    var error: [String: Any]? { json?["error"] as? [String: Any] }

    /// The `data:` payloads of a server-sent-event body, `[DONE]` included.
    var events: [String] { ServerSentEventParser.events(in: body) }
}

/// Splits a server-sent-event body into its `data:` payloads.
enum ServerSentEventParser {
    static func events(in body: [UInt8]) -> [String] {
        String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
            block.hasPrefix("data: ") ? String(block.dropFirst(6)) : nil
        }
    }
}

/// A minimal HTTP/1.1 client over ``SocketConnection``; every call blocks a thread of its own so
/// that many clients can wait at once without starving Swift's cooperative pool.
enum HTTPTestClient {
    /// A request with a JSON body (or raw bytes) and the usual headers.
    static func request(
        port: Int, method: String = "POST", path: String, json: String? = nil, body: [UInt8]? = nil,
        headers: [String: String] = [:], readTimeout: Duration = .seconds(300)
    ) async throws -> HTTPTestResponse {
        let bytes = body ?? json.map { Array($0.utf8) }
        var allHeaders = headers
        if json != nil && allHeaders["Content-Type"] == nil { allHeaders["Content-Type"] = "application/json" }
        let head = requestHead(method: method, path: path, headers: allHeaders, bodyLength: bytes?.count)
        return try await raw(port: port, bytes: head + (bytes ?? []), readTimeout: readTimeout)
    }

    /// Sends `bytes` exactly as given and reads one response.
    static func raw(port: Int, bytes: [UInt8], readTimeout: Duration = .seconds(300)) async throws -> HTTPTestResponse {
        try await onThread {
            let connection = try SocketConnection(port: port, readTimeout: readTimeout)
            defer { connection.close() }
            // A server may answer (413) and stop reading before a large body is sent in full.
            do { try connection.send(bytes) } catch SocketError.failed {}
            var reader = HTTPResponseReader(connection: connection)
            return try reader.readResponse { _ in true }
        }
    }

    /// Sends `json` with `stream: true` semantics and hands each `data:` payload to `onEvent` as it
    /// arrives; returning `false` closes the connection at once (a client that leaves).
    static func stream(
        port: Int, path: String, json: String, headers: [String: String] = [:],
        onEvent: @escaping @Sendable (String) -> Bool
    ) async throws -> HTTPTestResponse {
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json"
        let bytes = Array(json.utf8)
        let head = requestHead(method: "POST", path: path, headers: allHeaders, bodyLength: bytes.count)
        return try await onThread {
            let connection = try SocketConnection(port: port)
            defer { connection.close() }
            try connection.send(head + bytes)
            var reader = HTTPResponseReader(connection: connection)
            var pending: [UInt8] = []
            return try reader.readResponse { data in
                pending += data
                while let end = pending.firstRange(of: [10, 10]) {
                    let block = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                    pending.removeSubrange(..<end.upperBound)
                    if block.hasPrefix("data: "), !onEvent(String(block.dropFirst(6))) { return false }
                }
                return true
            }
        }
    }

    static func requestHead(method: String, path: String, headers: [String: String], bodyLength: Int?) -> [UInt8] {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { lines.append("\(name): \(value)") }
        if let bodyLength, headers["Content-Length"] == nil { lines.append("Content-Length: \(bodyLength)") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// Runs blocking work on a new thread.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}

/// Reads one HTTP/1.1 response (Content-Length, chunked, or until the connection closes).
struct HTTPResponseReader {
    let connection: SocketConnection
    private var buffer: [UInt8] = []

    init(connection: SocketConnection) {
        self.connection = connection
    }

    /// The response; `onData` sees body bytes as they arrive and may return `false` to stop
    /// reading (the body read so far is returned).
    mutating func readResponse(onData: ([UInt8]) -> Bool) throws -> HTTPTestResponse {
        let headEnd = try readUntil([13, 10, 13, 10])
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeSubrange(..<(headEnd + 4))
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw SocketError.malformedResponse("status line \(head.prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        func deliver(_ data: [UInt8]) -> Bool {
            body += data
            return onData(data)
        }
        if let length = headers["content-length"].flatMap(Int.init) {
            while buffer.count < length {
                let more = try connection.receive()
                if more.isEmpty { break }
                buffer += more
            }
            _ = deliver(Array(buffer.prefix(length)))
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let lineEnd = try readUntil([13, 10])
                let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self)
                guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else {
                    throw SocketError.malformedResponse("chunk size \(sizeText)")
                }
                buffer.removeSubrange(..<(lineEnd + 2))
                if size == 0 { break }
                while buffer.count < size + 2 {
                    let more = try connection.receive()
                    guard !more.isEmpty else { throw SocketError.malformedResponse("connection closed inside a chunk") }
                    buffer += more
                }
                let chunk = Array(buffer[..<size])
                buffer.removeSubrange(..<(size + 2))
                if !deliver(chunk) { break }
            }
        } else {
            var keepReading = deliver(buffer)
            while keepReading {
                let more = try connection.receive()
                if more.isEmpty { break }
                keepReading = deliver(more)
            }
        }
        return HTTPTestResponse(status: status, headers: headers, body: body)
    }

    /// Reads until `marker` is buffered and returns its offset.
    private mutating func readUntil(_ marker: [UInt8]) throws -> Int {
        while true {
            if let range = buffer.firstRange(of: marker) { return range.lowerBound }
            let more = try connection.receive()
            guard !more.isEmpty else { throw SocketError.malformedResponse("connection closed before \(marker)") }
            buffer += more
        }
    }
}
