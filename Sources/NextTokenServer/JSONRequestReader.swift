import Foundation
import Hummingbird
import NextTokenOpenAIAPI

/// Reads and decodes a JSON request body within the server's limits: declared content type,
/// size and arrival time.
struct JSONRequestReader: Sendable {
    let maxBodyBytes: Int
    let bodyTimeout: Duration

    /// Decodes the body of `request` as `T`; the collected body is stored back into the request
    /// so that its connection can still be watched for a disconnect.
    /// - Throws: ``OpenAIError``: 415 for a content type other than JSON, 413 for a body over the
    ///   limit, 408 when it does not arrive in time, 400 when it does not decode.
    func decode<T: Decodable>(_ type: T.Type, from request: inout Request) async throws -> T {
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw OpenAIError.unsupportedMediaType(contentType)
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw OpenAIError.bodyTooLarge(limit: maxBodyBytes)
        }
        let body = request.body
        let limit = maxBodyBytes
        let timeout = bodyTimeout
        let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: limit)
                } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                    throw OpenAIError.bodyTooLarge(limit: limit)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw OpenAIError.bodyTimeout(seconds: Int(timeout.components.seconds))
            }
            return buffer
        }
        request.body = RequestBody(buffer: buffer)
        return try JSONCoding.decode(type, from: Data(buffer.readableBytesView))
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`), in any case.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
