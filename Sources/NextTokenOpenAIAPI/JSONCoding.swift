import Foundation

/// The JSON encoder and decoder of the API: compact output, sorted keys, slashes unescaped.
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
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let problem = numberProblem(data) {
                throw problem
            }
            throw OpenAIError(decoding: error)
        } catch {
            throw .invalidRequest("The request body is not valid JSON: \(error)", code: "invalid_json")
        }
    }

    /// Parameters decoded as integers.
    static let integerParameters = [
        "max_tokens", "max_completion_tokens", "n", "seed", "top_k", "top_logprobs", "logprobs", "best_of",
    ]

    /// `JSONDecoder` reports a number that does not fit an integer (`1.5`, `1e30`) as invalid JSON
    /// without a path; when the body is valid JSON, this finds the integer parameter at fault.
    private static func numberProblem(_ data: Data) -> OpenAIError? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        for param in integerParameters {
            guard let number = object[param] as? NSNumber, !(number is Bool) else { continue }
            let value = number.doubleValue
            if value.rounded() != value || abs(value) >= 0x1p63 {
                return .invalidRequest(
                    "Invalid value for '\(param)': expected an integer, got \(number)", param: param, code: "invalid_value")
            }
        }
        return .invalidRequest(
            "A number in the request does not fit its parameter (an integer parameter got a fraction or a huge value)",
            code: "invalid_value")
    }
}
