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

/// The JSON encoder and decoder of the API: compact output, slashes unescaped.
public enum JSONCoding {
    /// `value` as JSON bytes.
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// A `T` decoded from `data`.
    /// - Throws: ``OpenAIError`` (400) describing what is wrong and where.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(OpenAIError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw OpenAIError(decoding: error)
        } catch {
            throw .invalidRequest("The request body is not valid JSON: \(error)", code: "invalid_json")
        }
    }
}
