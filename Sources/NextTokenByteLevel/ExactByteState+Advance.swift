import Foundation
import NextTokenCore

extension ExactByteState {
    @discardableResult
    public func advance(_ byte: UInt8) throws(ByteLevelError) -> Double {
        let masses = try masses()
        let chosen = masses.weights[Int(byte)]
        let offset = stream.count - anchorByte
        guard chosen > 0 else {
            throw .impossibleByte(byte, offset: stream.count - vocabulary.streamPrefix.count)
        }
        let logStep = log(chosen / masses.total)
        let prefixLogMass = masses.shift + log(masses.total)

        // Covers whose overhang starts with `byte` continue; new covers start at the canonical.
        var next: [Cover] = []
        var landed: [Cover] = []
        for var cover in covers where vocabulary.byte(of: cover.token, at: cover.consumed) == byte {
            cover.consumed += 1
            if cover.consumed == vocabulary.length(of: cover.token) { landed.append(cover) } else { next.append(cover) }
        }
        guard let table else { throw .inconsistentState("no next-token table") }
        let canonicalLogProbability = canonical.logProbability
        for token in vocabulary.textTokensByFirstByte[Int(byte)] {
            let logQ = table.logProbabilities[Int(token)]
            guard logQ > -.infinity else { continue }
            let cover = Cover(base: offset, token: token, consumed: 1, logProbability: canonicalLogProbability + logQ)
            if vocabulary.length(of: token) == 1 { landed.append(cover) } else { next.append(cover) }
        }
        bases[offset] = canonical
        stream.append(byte)

        // The covers that end exactly here: the canonical encoding is kept, the others dropped.
        let target = encoder.encode(stream[anchorByte...])
        guard vocabulary.bytes(of: target).elementsEqual(stream[anchorByte...]) else {
            throw .unencodableText(offset: stream.count - 1 - vocabulary.streamPrefix.count)
        }
        var found: CoverBase?
        for cover in landed {
            if found == nil, let base = bases[cover.base], base.tokens.count + 1 == target.count,
               target.last == cover.token, base.tokens.elementsEqual(target.dropLast()) {
                found = base.appending(cover.token, logProbability: cover.logProbability)
            } else {
                drop(cover.logProbability, relativeTo: prefixLogMass)
            }
        }
        covers = next
        if let found {
            canonical = found
        } else {
            canonical = try directlyEvaluated(target)
            statistics.canonicalFallbacks += 1
        }
        pruneBases()

        let boundary = encoder.stableBoundary(in: stream, end: stream.count, from: validityAnchor)
        validityAnchor = boundary
        if boundary > anchorByte { try moveAnchor(to: boundary, prefixLogMass: prefixLogMass + logStep) }
        try refreshTable()
        statistics.coverCount = covers.count
        statistics.peakCoverCount = max(statistics.peakCoverCount, covers.count)
        return logStep
    }

    /// Moves the anchor to `boundary`: its tokens join the anchor path; bases and covers that do
    /// not start with them are dropped (they are invalid encodings).
    func moveAnchor(to boundary: Int, prefixLogMass: Double) throws(ByteLevelError) {
        let shift = boundary - anchorByte
        let prefix = encoder.encode(stream[anchorByte..<boundary])
        guard canonical.tokens.starts(with: prefix) else {
            throw .inconsistentState("the canonical encoding does not start with the new anchor's tokens")
        }
        let count = prefix.count
        let logPrefix = canonical.cumulative[count]
        var moved: [Int: CoverBase] = [:]
        for (offset, base) in bases where offset >= shift && base.tokens.starts(with: prefix) {
            moved[offset - shift] = base.droppingFirst(count)
        }
        var kept: [Cover] = []
        kept.reserveCapacity(covers.count)
        for var cover in covers {
            if moved[cover.base - shift] != nil {
                cover.base -= shift
                cover.logProbability -= logPrefix
                kept.append(cover)
            } else {
                drop(cover.logProbability, relativeTo: prefixLogMass)
            }
        }
        covers = kept
        bases = moved
        canonical = canonical.droppingFirst(count)
        anchorPath += prefix
        anchorLogProbability = anchorLogProbability.map { $0 + logPrefix }
        anchorByte = boundary
        statistics.anchorMoves += 1
    }

    /// The canonical base for `target` computed by running it through the model (unpruned
    /// probabilities): used when it is not among the covers, which the algorithm rules out for
    /// tokenizers with the prefix property.
    func directlyEvaluated(_ target: [TokenID]) throws(ByteLevelError) -> CoverBase {
        var base = CoverBase.empty
        let path = anchorPath + target
        statistics.pathEvaluations += 1
        try evaluator.evaluate(path, rowsFrom: anchorPath.count - 1) { position, row throws(ByteLevelError) in
            let index = position - anchorPath.count + 1
            guard index < target.count else { return }
            base = base.appending(target[index], logProbability: base.logProbability + row[Int(target[index])])
        }
        return base
    }

    /// Forgets bases no cover builds on (the canonical base is kept separately).
    func pruneBases() {
        var used = Set<Int>()
        for cover in covers { used.insert(cover.base) }
        bases = bases.filter { used.contains($0.key) }
    }

    /// Counts a dropped cover of log-probability `logProbability`.
    func drop(_ logProbability: Double, relativeTo prefixLogMass: Double) {
        statistics.droppedCovers += 1
        statistics.droppedMass += exp(logProbability - prefixLogMass)
    }
}
