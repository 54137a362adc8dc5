import NextTokenCore

extension Tokenizer {
    /// The bytes `ids` stand for, special tokens rendered as their text.
    ///
    /// The result is raw bytes: a sequence cut inside a multi-byte character is not valid UTF-8
    /// on its own. ``StreamingDetokenizer`` turns ids into text piece by piece. Where the
    /// vocabulary adds a dummy prefix (`add_space_prefix`), the leading space of the first token
    /// that is not a control token is dropped, as SentencePiece does.
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` for the first id that is
    ///   not in the vocabulary.
    public func decode(_ ids: [TokenID]) throws(TokenizerError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        var atSequenceStart = true
        for id in ids { try appendBytes(of: id, to: &bytes, atSequenceStart: &atSequenceStart) }
        return bytes
    }

    /// The bytes token `id` stands for.
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` when `id` is not in
    ///   `0 ..< vocabularySize`.
    public func tokenBytes(_ id: TokenID) throws(TokenizerError) -> [UInt8] {
        Array(try tokenByteSlice(id))
    }

    /// Appends the bytes of `id` to `bytes`. While `atSequenceStart`, a vocabulary with a dummy
    /// prefix drops the leading space of a piece (not of a byte or unknown token); the first
    /// token that is not a control token ends the sequence start. Nothing is appended when `id`
    /// throws.
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)``.
    func appendBytes(
        of id: TokenID, to bytes: inout [UInt8], atSequenceStart: inout Bool
    ) throws(TokenizerError) {
        var slice = try tokenByteSlice(id)
        if atSequenceStart, stripsDummyPrefix {
            let type = tokenType(id).flatMap(TokenType.init(rawValue:))
            if type != .control {
                if type != .byte, type != .unknown, slice.first == 0x20 { slice = slice.dropFirst() }
                atSequenceStart = false
            }
        }
        bytes += slice
    }

    /// The bytes of token `id`, without copying them.
    func tokenByteSlice(_ id: TokenID) throws(TokenizerError) -> ArraySlice<UInt8> {
        guard id >= 0, Int(id) < vocabularySize else {
            throw .tokenOutOfRange(id: id, vocabularySize: vocabularySize)
        }
        return tokenByteTable[Int(id)]
    }
}
