import Hummingbird
import NextTokenOpenAIAPI

/// Requires `Authorization: Bearer <key>` on every endpoint except `/health`.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    let key: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path == "/health" || Self.matches(request.headers[.authorization], key: key) else {
            throw OpenAIError.unauthorized
        }
        return try await next(request, context)
    }

    /// Whether `header` is `Bearer <key>`, compared without an early exit on the first
    /// differing byte.
    static func matches(_ header: String?, key: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.utf8.dropFirst(7))
        let expected = Array(key.utf8)
        var difference = given.count == expected.count ? 0 : 1
        for index in expected.indices {
            difference |= Int(expected[index] ^ (index < given.count ? given[index] : 0))
        }
        return difference == 0
    }
}
