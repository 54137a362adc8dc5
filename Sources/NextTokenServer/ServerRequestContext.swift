import Hummingbird

/// The request context of the server's routes: Hummingbird's core storage plus the request's log
/// record.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Filled in by the handler, written out by ``RequestLogMiddleware``.
    let record = RequestRecord()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
