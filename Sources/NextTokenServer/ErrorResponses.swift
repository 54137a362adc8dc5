import Hummingbird
import NextTokenOpenAIAPI

extension OpenAIError {
    /// The OpenAI-shaped error for any error a route or Hummingbird threw.
    static func from(_ error: any Error, request: Request) -> OpenAIError {
        switch error {
        case let error as OpenAIError:
            return error
        case let error as any HTTPResponseError:
            switch error.status.code {
            case 404: return .endpointNotFound(method: request.method.rawValue, path: request.uri.path)
            case 405: return .methodNotAllowed(method: request.method.rawValue, path: request.uri.path)
            default:
                let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
                return OpenAIError(status: error.status.code, message: message, type: "invalid_request_error")
            }
        case is CancellationError:
            return OpenAIError(status: 499, message: "The request was cancelled", type: "invalid_request_error",
                               code: "cancelled")
        default:
            return .server("Internal error: \(error)")
        }
    }

    /// The error as a JSON response (429 carries `Retry-After`).
    func response(retryAfterSeconds: Int) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == 429 { headers[.retryAfter] = String(retryAfterSeconds) }
        let bytes = (try? JSONCoding.encode(body)).map(Array.init)
            ?? Array("{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}".utf8)
        return Response(
            status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Builders for the server's successful responses.
enum JSONResponse {
    /// `value` as a 200 JSON response.
    static func ok(_ value: some Encodable) throws -> Response {
        let bytes = try JSONCoding.encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
