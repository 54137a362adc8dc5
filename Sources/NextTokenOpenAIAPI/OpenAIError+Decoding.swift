import Foundation

extension OpenAIError {
    /// The 400 error for a body that `JSONDecoder` rejected: not JSON, a missing parameter, or a
    /// value of the wrong type, with the parameter's path.
    public init(decoding error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            let param = Self.path(context.codingPath)
            self = .invalidRequest(
                "Invalid type for '\(param)': expected \(Self.jsonTypeName(type))", param: param, code: "invalid_type")
        case .valueNotFound(let type, let context):
            let param = Self.path(context.codingPath)
            self = .invalidRequest(
                "Invalid value for '\(param)': expected \(Self.jsonTypeName(type)), got null", param: param,
                code: "invalid_type")
        case .keyNotFound(let key, let context):
            let param = Self.path(context.codingPath + [key])
            self = .invalidRequest("Missing required parameter: '\(param)'", param: param, code: "missing_required_parameter")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self = .invalidRequest(
                    "The request body is not valid JSON: \(Self.underlyingReason(context))", code: "invalid_json")
            } else {
                let param = Self.path(context.codingPath)
                self = .invalidRequest("Invalid value for '\(param)': \(context.debugDescription)", param: param,
                                       code: "invalid_value")
            }
        @unknown default:
            self = .invalidRequest("The request body could not be decoded: \(error)", code: "invalid_json")
        }
    }

    /// `messages[0].content` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result
    }

    /// The JSON name of what a Swift type decodes from.
    static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        case is StringOrStrings.Type: "a string or an array of strings"
        case is ChatCompletionRequest.Content.Type: "a string or an array of {\"type\":\"text\",\"text\":…} parts"
        default: "\(type)"
        }
    }

    private static func underlyingReason(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as? NSError,
           let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return detail
        }
        return context.debugDescription
    }
}
