import Foundation

/// An error as the OpenAI API reports it: an HTTP status and the body
/// `{"error":{"message","type","param","code"}}`.
public struct OpenAIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code of the response.
    public var status: Int
    /// A sentence for people.
    public var message: String
    /// The error class (`invalid_request_error`, `not_found_error`, …).
    public var type: String
    /// The request parameter at fault, as a path (`messages[0].content`), when there is one.
    public var param: String?
    /// A machine-readable code (`model_not_found`, `not_implemented`, …), when there is one.
    public var code: String?

    /// An error with every field given.
    public init(status: Int, message: String, type: String, param: String? = nil, code: String? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    public var description: String { "\(status) \(type): \(message)" }

    /// The JSON body of the response.
    public var body: ErrorResponse {
        ErrorResponse(error: .init(message: message, type: type, param: param, code: code))
    }

    /// 400: a parameter is missing, of the wrong type or out of range.
    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// 400: the parameter asks for something the server does not implement yet.
    public static func notImplemented(_ message: String, param: String) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param, code: "not_implemented")
    }

    /// 404: no served model has this id.
    public static func modelNotFound(_ model: String, available: [String]) -> OpenAIError {
        OpenAIError(
            status: 404,
            message: "The model '\(model)' does not exist; this server serves: \(available.joined(separator: ", "))",
            type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    /// 401: the bearer key is missing or wrong.
    public static let unauthorized = OpenAIError(
        status: 401, message: "Incorrect or missing API key: send it as 'Authorization: Bearer <key>'",
        type: "invalid_request_error", code: "invalid_api_key")

    /// 429: every slot is busy and the queue is full.
    public static func queueFull(queueLength: Int) -> OpenAIError {
        OpenAIError(
            status: 429, message: "The server is busy: all slots are in use and \(queueLength) requests are waiting; retry later",
            type: "rate_limit_error", code: "queue_full")
    }

    /// 413: the request body is larger than the server accepts.
    public static func bodyTooLarge(limit: Int) -> OpenAIError {
        OpenAIError(
            status: 413, message: "The request body is larger than the limit of \(limit) bytes",
            type: "invalid_request_error", code: "request_too_large")
    }

    /// 408: the request body did not arrive in time.
    public static func bodyTimeout(seconds: Int) -> OpenAIError {
        OpenAIError(
            status: 408, message: "The request body did not arrive within \(seconds) seconds",
            type: "invalid_request_error", code: "request_timeout")
    }

    /// 415: the body is not declared as JSON.
    public static func unsupportedMediaType(_ contentType: String) -> OpenAIError {
        OpenAIError(
            status: 415, message: "The content type '\(contentType)' is not supported; send 'application/json'",
            type: "invalid_request_error", code: "unsupported_media_type")
    }

    /// 404: no such endpoint.
    public static func endpointNotFound(method: String, path: String) -> OpenAIError {
        OpenAIError(status: 404, message: "Unknown endpoint: \(method) \(path)", type: "invalid_request_error", code: "unknown_url")
    }

    /// 405: the endpoint exists but not for this method.
    public static func methodNotAllowed(method: String, path: String) -> OpenAIError {
        OpenAIError(status: 405, message: "\(path) does not accept \(method)", type: "invalid_request_error", code: "method_not_allowed")
    }

    /// 500: the engine failed while answering.
    public static func server(_ message: String) -> OpenAIError {
        OpenAIError(status: 500, message: message, type: "server_error")
    }
}

/// The body of an error response.
public struct ErrorResponse: Codable, Sendable, Equatable {
    /// The error's fields.
    public struct Detail: Codable, Sendable, Equatable {
        public var message: String
        public var type: String
        public var param: String?
        public var code: String?

        public init(message: String, type: String, param: String?, code: String?) {
            self.message = message
            self.type = type
            self.param = param
            self.code = code
        }

        // `param` and `code` are written as `null` when absent, as OpenAI does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(type, forKey: .type)
            try container.encode(param, forKey: .param)
            try container.encode(code, forKey: .code)
        }
    }

    /// The error.
    public var error: Detail

    public init(error: Detail) {
        self.error = error
    }
}
