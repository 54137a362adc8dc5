import NextTokenCore

/// Encoding raw byte strings, for the byte-level methods that reason about a tokenizer's byte
/// stream (design §6): every prefix of a text, including prefixes that end inside a character.
extension Tokenizer {
    /// What a vocabulary's subword model is, as the byte-level methods need to know it.
    package enum StreamKind: Sendable, Equatable {
        /// Byte-level BPE: text is cut into pre-tokenizer pieces that are encoded one by one.
        case byteLevelBPE
        /// SentencePiece BPE: no pre-tokenizer, pieces spell spaces as `▁`.
        case sentencePiece
    }

    /// The subword model family of this vocabulary.
    package var streamKind: StreamKind {
        switch model {
        case .byteLevelBPE: .byteLevelBPE
        case .sentencePieceBPE: .sentencePiece
        }
    }

    /// The bytes every byte stream of this vocabulary starts with: a space where a dummy prefix
    /// is added (`add_space_prefix`), else nothing. ``encodeStream(_:workspace:into:)`` of
    /// `streamPrefix + utf8(text)` equals ``encode(_:parseSpecial:)`` of `text`.
    package var streamPrefix: [UInt8] { stripsDummyPrefix ? [0x20] : [] }

    /// Appends the tokens of stream bytes `bytes` to `ids`: like ``encode(_:parseSpecial:)``
    /// with `parseSpecial: false` but on raw bytes (which need not be valid UTF-8) and without
    /// adding a dummy prefix. User-defined tokens are matched as always.
    package func encodeStream(
        _ bytes: ArraySlice<UInt8>, workspace: inout EncodingWorkspace, into ids: inout [TokenID]
    ) {
        let normalized: [UInt8] = switch model {
        case .byteLevelBPE: Array(bytes)
        case .sentencePieceBPE: Metaspace.escape(bytes, addingPrefix: false)
        }
        guard !specialTokens.isEmpty else {
            model.encode(normalized[...], workspace: &workspace, into: &ids)
            return
        }
        for segment in specialTokens.segments(of: normalized, parseSpecial: false) {
            switch segment {
            case .text(let range): model.encode(normalized[range], workspace: &workspace, into: &ids)
            case .token(let token): ids.append(token)
            }
        }
    }

    /// The end offsets (relative to `bytes.startIndex`) of the pieces byte-level BPE encodes one
    /// by one: the pre-tokenizer pieces of each text segment, and each user-defined token matched
    /// in the bytes. `nil` for SentencePiece, which has no pre-tokenizer.
    package func pieceEnds(of bytes: ArraySlice<UInt8>, workspace: inout EncodingWorkspace) -> [Int]? {
        guard case .byteLevelBPE(let bpe) = model else { return nil }
        let text = Array(bytes)
        let segments: [SpecialTokenMatcher.Segment] = specialTokens.isEmpty
            ? [.text(0..<text.count)] : specialTokens.segments(of: text, parseSpecial: false)
        var ends: [Int] = []
        var position = 0
        for segment in segments {
            switch segment {
            case .text(let range):
                workspace.text.decode(text[range])
                workspace.pieceEnds.removeAll(keepingCapacity: true)
                bpe.preTokenizer.split(
                    workspace.text, 0..<workspace.text.values.count, into: &workspace.pieceEnds)
                for end in workspace.pieceEnds { ends.append(range.lowerBound + workspace.text.byteOffsets[end]) }
                position = range.upperBound
            case .token(let token):
                position += tokenByteTable[Int(token)].count
                ends.append(position)
            }
        }
        return ends
    }
}
