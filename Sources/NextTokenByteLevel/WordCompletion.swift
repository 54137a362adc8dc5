/// How a generated continuation of a prompt cut inside a word completes that word: its leading
/// word characters (``WordCharacters``), and whether it shows where the word ends.
public struct WordCompletion: Sendable, Equatable {
    /// The continuation's bytes up to the first character that is not part of a word (or up to
    /// an incomplete character at its end).
    public let word: [UInt8]
    /// Whether the word ended inside the continuation: a non-word character (or an invalid
    /// byte) follows it, or the generation ended right after it.
    public let isFinished: Bool

    /// The completion in `continuation`; `textEnded` says the generator stopped by choice (end of
    /// text), not at a length limit.
    public init(continuation: [UInt8], textEnded: Bool) {
        var offset = 0
        var finished = false
        scan: while offset < continuation.count {
            switch WordCharacters.decode(continuation, at: offset) {
            case .scalar(let scalar, let width):
                guard WordCharacters.isWord(scalar) else {
                    finished = true
                    break scan
                }
                offset += width
            case .invalid:
                finished = true
                break scan
            case .incomplete:
                break scan
            }
        }
        word = Array(continuation[..<offset])
        isFinished = finished || (textEnded && offset == continuation.count)
    }

    /// Exact match: the word ended and its completion is exactly `rest`.
    public func matches(_ rest: [UInt8]) -> Bool { isFinished && word == rest }

    /// Whether more text cannot change ``matches(_:)`` against `rest`: the word ended, or it
    /// already has more bytes than `rest`.
    public func isDecided(against rest: [UInt8]) -> Bool { isFinished || word.count > rest.count }
}
