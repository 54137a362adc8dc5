import Foundation

/// Server-sent-event framing of OpenAI streams: `data: {json}\n\n` per event, then `data: [DONE]\n\n`.
public enum ServerSentEvents {
    /// The content type of a stream.
    public static let contentType = "text/event-stream"
    /// The event that ends every stream.
    public static let done = Array("data: [DONE]\n\n".utf8)

    /// The event carrying `value` as compact JSON.
    public static func event(_ value: some Encodable) throws -> [UInt8] {
        Array("data: ".utf8) + Array(try JSONCoding.encode(value)) + Array("\n\n".utf8)
    }
}
