import Foundation
import NextTokenCore

extension ExactByteState {
    @discardableResult
    public func advance(_ byte: UInt8) throws(ByteLevelError) -> Double {
        let masses = try masses()
        let chosen = masses.weights[Int(byte)]
        guard chosen > 0 else {
            throw .impossibleByte(byte, offset: stream.count - vocabulary.streamPrefix.count)
        }
        let logStep = log(chosen / masses.total)
        let prefixLogMass = masses.shift + log(masses.total)

        // Covers whose overhang starts with `byte` continue; each branch starts new covers.
        var next: [Cover] = []
        var landed: [Cover] = []
        for var cover in covers where vocabulary.byte(of: cover.token, at: cover.consumed) == byte {
            cover.consumed += 1
            if cover.consumed == vocabulary.length(of: cover.token) { landed.append(cover) } else { next.append(cover) }
        }
        for branch in branches {
            guard let table = branch.table else { throw .inconsistentState("a branch has no next-token table") }
            let key = nextBaseKey
            nextBaseKey += 1
            bases[key] = branch.base
            let logProbability = branch.base.logProbability
            for token in vocabulary.textTokensByFirstByte[Int(byte)] {
                let logQ = table.logProbabilities[Int(token)]
                guard logQ > -.infinity else { continue }
                let cover = Cover(base: key, token: token, consumed: 1, logProbability: logProbability + logQ)
                if vocabulary.length(of: token) == 1 { landed.append(cover) } else { next.append(cover) }
            }
        }
        stream.append(byte)
        covers = next
        try settleBranches(landed, prefixLogMass: prefixLogMass)
        pruneBases()

        let boundary = encoder.stableBoundary(in: stream, end: stream.count, from: validityAnchor)
        validityAnchor = boundary
        if boundary > anchorByte { try moveAnchor(to: boundary, prefixLogMass: prefixLogMass + logStep) }
        try refreshTables()
        statistics.coverCount = covers.count
        statistics.peakCoverCount = max(statistics.peakCoverCount, covers.count)
        return logStep
    }

    /// Turns the covers that end exactly at the new end into branches: the canonical encoding
    /// first, then every other one that can still start a valid encoding; the rest are dropped.
    func settleBranches(_ landed: [Cover], prefixLogMass: Double) throws(ByteLevelError) {
        let target = encoder.encode(stream[anchorByte...])
        guard vocabulary.bytes(of: target).elementsEqual(stream[anchorByte...]) else {
            throw .unencodableText(offset: stream.count - 1 - vocabulary.streamPrefix.count)
        }
        let lead = validityAnchor < anchorByte ? encoder.encode(stream[validityAnchor..<anchorByte]) : []
        let context = Array(stream[validityAnchor...])
        var primary: CoverBase?
        var secondary: [Branch] = []
        for cover in landed {
            guard let base = bases[cover.base] else { throw .inconsistentState("a cover lost its base") }
            let extended = base.appending(cover.token, logProbability: cover.logProbability)
            if primary == nil, extended.tokens == target {
                primary = extended
            } else if extended.tokens != target,
                      mode == .strict || encoder.isPrefixValid(context, prefix: lead + base.tokens, then: cover.token) {
                secondary.append(Branch(base: extended, table: nil))
            } else {
                drop(cover.logProbability, relativeTo: prefixLogMass)
            }
        }
        if primary == nil {
            primary = try directlyEvaluated(target)
            statistics.canonicalFallbacks += 1
        }
        guard let primary else { throw .inconsistentState("no canonical branch") }
        branches = [Branch(base: primary, table: nil)] + secondary
    }

    /// Moves the anchor to `boundary`: its tokens join the anchor path; bases, branches and
    /// covers that do not start with them are dropped (they are invalid encodings).
    func moveAnchor(to boundary: Int, prefixLogMass: Double) throws(ByteLevelError) {
        let prefix = encoder.encode(stream[anchorByte..<boundary])
        guard canonical.tokens.starts(with: prefix) else {
            throw .inconsistentState("the canonical encoding does not start with the new anchor's tokens")
        }
        let count = prefix.count
        let logPrefix = canonical.cumulative[count]
        var moved: [Int: CoverBase] = [:]
        for (key, base) in bases where base.tokens.starts(with: prefix) {
            moved[key] = base.droppingFirst(count)
        }
        var kept: [Cover] = []
        kept.reserveCapacity(covers.count)
        for var cover in covers {
            if moved[cover.base] != nil {
                cover.logProbability -= logPrefix
                kept.append(cover)
            } else {
                drop(cover.logProbability, relativeTo: prefixLogMass)
            }
        }
        var keptBranches: [Branch] = []
        for branch in branches {
            if branch.base.tokens.starts(with: prefix) {
                keptBranches.append(Branch(base: branch.base.droppingFirst(count), table: branch.table))
            } else {
                drop(branch.base.logProbability, relativeTo: prefixLogMass)
            }
        }
        covers = kept
        bases = moved
        branches = keptBranches
        anchorPath += prefix
        anchorLogProbability = anchorLogProbability.map { $0 + logPrefix }
        anchorByte = boundary
        statistics.anchorMoves += 1
    }

    /// The canonical base for `target` computed by running it through the model (unpruned
    /// probabilities): used when it is not among the covers, which the algorithm rules out for
    /// tokenizers whose valid encodings keep their prefixes valid.
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

    /// Forgets bases no cover builds on.
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
