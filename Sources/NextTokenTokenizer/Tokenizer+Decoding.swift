import NextTokenCore

extension Tokenizer {
    /// The bytes `ids` stand for, special tokens rendered as their text.
    ///
    /// The result is raw bytes: a sequence cut inside a multi-byte character is not valid UTF-8
    /// on its own. ``StreamingDetokenizer`` turns ids into text piece by piece.
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` for the first id that is
    ///   not in the vocabulary.
    public func decode(_ ids: [TokenID]) throws(TokenizerError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids { bytes += try tokenByteSlice(id) }
        return bytes
    }

    /// The bytes token `id` stands for.
    ///
    /// - Throws: ``TokenizerError/tokenOutOfRange(id:vocabularySize:)`` when `id` is not in
    ///   `0 ..< vocabularySize`.
    public func tokenBytes(_ id: TokenID) throws(TokenizerError) -> [UInt8] {
        Array(try tokenByteSlice(id))
    }

    /// The bytes of token `id`, without copying them.
    func tokenByteSlice(_ id: TokenID) throws(TokenizerError) -> ArraySlice<UInt8> {
        guard id >= 0, Int(id) < vocabularySize else {
            throw .tokenOutOfRange(id: id, vocabularySize: vocabularySize)
        }
        return tokenByteTable[Int(id)]
    }
}
