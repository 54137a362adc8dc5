/// The bytes each token decodes to, stored back to back in one array.
package struct TokenBytesTable: Sendable {
    private var storage: [UInt8] = []
    /// Start of each token's bytes in `storage`, plus one final entry: the storage count.
    private var starts: [Int] = [0]

    /// The bytes of `tokenCount` tokens, token `i` decoding to `bytesOfToken(i)`.
    package init(tokenCount: Int, bytesOfToken: (Int) -> [UInt8]) {
        starts.reserveCapacity(tokenCount + 1)
        for token in 0..<tokenCount {
            storage.append(contentsOf: bytesOfToken(token))
            starts.append(storage.count)
        }
    }

    /// The bytes of token `index`, which must be one of the table's tokens.
    package subscript(index: Int) -> ArraySlice<UInt8> {
        storage[starts[index]..<starts[index + 1]]
    }
}
