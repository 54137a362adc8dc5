import NextTokenCore

extension ExactByteState {
    /// Feeds the stream bytes `full` to a fresh state: the bytes before the prompt's anchor in
    /// one batch, the rest byte by byte.
    ///
    /// With pruning on, each anchor token's probability is renormalised over the valid tokens at
    /// its position, judged from the boundary that position would have in a byte-by-byte walk,
    /// so the prefix probability does not depend on how the text was fed.
    func feedPrompt(_ full: [UInt8]) throws(ByteLevelError) {
        let anchor = encoder.promptAnchor(in: full, end: full.count)
        let anchorTokens = encoder.encode(full[..<anchor])
        var offsets = [0]
        for token in anchorTokens { offsets.append(offsets[offsets.count - 1] + vocabulary.length(of: token)) }
        guard offsets[offsets.count - 1] == anchor,
              vocabulary.bytes(of: anchorTokens).elementsEqual(full[..<anchor]) else {
            let decoded = vocabulary.bytes(of: anchorTokens)
            let offset = zip(decoded, full).prefix { $0 == $1 }.count
            throw .unencodableText(offset: max(0, offset - vocabulary.streamPrefix.count))
        }
        let start = vocabulary.startTokens.count
        let path = vocabulary.startTokens + anchorTokens
        var contextStart = 0
        var logProbability = 0.0
        var table: NextTokenTable?
        statistics.pathEvaluations += 1
        let first = tracksPrefixProbability ? start - 1 : path.count - 1
        try evaluator.evaluate(path, rowsFrom: first) { position, row throws(ByteLevelError) in
            let index = position - start + 1
            if mode == .fast {
                if index < anchorTokens.count {
                    logProbability += row[Int(anchorTokens[index])]
                } else {
                    table = NextTokenTable(row: row, vocabulary: vocabulary, mode: .fast) { _ in true }
                }
                return
            }
            // The table after `index` anchor tokens, judged from the boundary a byte-by-byte
            // walk would have there.
            contextStart = encoder.stableBoundary(in: full, end: offsets[index], from: contextStart)
            guard let first = offsets.firstIndex(of: contextStart) else {
                throw .inconsistentState("boundary \(contextStart) is not a token boundary of the prompt")
            }
            let context = Array(full[contextStart..<offsets[index]])
            let contextTokens = Array(anchorTokens[first..<index])
            var candidate = context
            let built = NextTokenTable(row: row, vocabulary: vocabulary, mode: mode) { token in
                candidate.removeSubrange(context.count...)
                candidate += vocabulary.bytes(of: token)
                return encoder.isPrefixValid(candidate, prefix: contextTokens, then: token)
            }
            statistics.validityChecks += built.checks
            if index < anchorTokens.count {
                let logQ = built.logProbabilities[Int(anchorTokens[index])]
                // Strict pruning never removes the canonical continuation (§6.7.5); should a
                // tokenizer break that, the unpruned probability is used.
                logProbability += logQ > -.infinity ? logQ : row[Int(anchorTokens[index])]
            } else {
                table = built
            }
        }
        stream = Array(full[..<anchor])
        anchorByte = anchor
        validityAnchor = contextStart
        anchorPath = path
        anchorLogProbability = tracksPrefixProbability ? logProbability : nil
        branches = [Branch(base: .empty, table: table)]
        for byte in full[anchor...] { try advance(byte) }
    }
}
