import NextTokenCore
import NextTokenGGUF
import NextTokenKernels
import NextTokenModel
import NextTokenProbes
import NextTokenTestSupport
import NextTokenTokenizer
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Encoding mass on a synthetic model")
struct EncodingMassScorerTests {
    /// `log P(tokens | prefix)` by one causal forward pass from an empty cache.
    static func logProbability(_ tokens: [TokenID], after prefix: [TokenID], model: LlamaModel, pool: WorkerPool) throws -> Double {
        let all = prefix + tokens
        let context = model.makeContext(capacity: all.count, pool: pool)
        let rows = Array(prefix.count - 1 ..< all.count - 1)
        let logits = try model.logits(ForwardBatch(tokens: all, startingAt: 0), context: context, logitRows: rows)
        let v = model.vocabularySize
        var total = 0.0
        for (slot, token) in tokens.enumerated() {
            let row = logits[slot * v ..< (slot + 1) * v].map(Double.init)
            let maximum = row.max() ?? 0
            let logSumExp = maximum + log(row.reduce(0) { $0 + exp($1 - maximum) })
            total += row[Int(token)] - logSumExp
        }
        return total
    }

    @Test("an exhaustive search finds every encoding with the probability of its own forward pass")
    func exhaustiveSearchMatchesTeacherForcing() throws {
        let model = try LlamaModel(file: try GGUFFile(bytes: SyntheticLlama().bytes()))
        let tokenizer = try ProbeVocabularies.sentencePiece(addSpacePrefix: false, byteFallback: false)
        let probe = TokenizationProbe(tokenizer: tokenizer)
        let pool = WorkerPool(threadCount: 1)
        var options = EncodingMassScorer.Options()
        options.relativeThreshold = 1e-300
        options.maxEvaluatedNodes = 10_000
        options.batchRows = 3
        options.keptAlternatives = 1000
        let scorer = EncodingMassScorer(model: model, probe: probe, pool: pool, options: options)
        let text = "ab abc,12"
        let context: [TokenID] = [1]
        let masses = try scorer.score(text: text, context: context)
        let ids = tokenizer.encode(text, parseSpecial: false)
        let units = TextUnit.split(ids, bytes: Array(text.utf8), tokenizer: tokenizer)
        #expect(masses.count == units.count)
        #expect(units.count == 2)
        for (mass, unit) in zip(masses, units) {
            let prefix = context + Array(ids[..<unit.tokenRange.lowerBound])
            let canonical = Array(ids[unit.tokenRange])
            #expect(mass.canonical == canonical)
            #expect(mass.byteRange == unit.byteRange)
            let canonicalLogP = try Self.logProbability(canonical, after: prefix, model: model, pool: pool)
            #expect(abs(mass.canonicalLogProbability - canonicalLogP) < 1e-9)
            let encodings = probe.enumerator.encodings(of: Array(Array(text.utf8)[unit.byteRange]), limit: 10_000)
                .filter { $0 != canonical }
            var expected = 0.0
            for encoding in encodings {
                expected += exp(try Self.logProbability(encoding, after: prefix, model: model, pool: pool))
            }
            #expect(mass.alternativesFound == encodings.count)
            #expect(encodings.count >= 2)
            #expect(abs(mass.alternativeMass - expected) <= 1e-9 * expected)
            #expect(mass.unexploredBound == 0)
            #expect(Set(mass.topAlternatives.map(\.tokens)) == Set(encodings))
            let classTotal = mass.classMass.values.reduce(0, +)
            #expect(classTotal >= mass.alternativeMass * (1 - 1e-12))
            #expect(mass.canonicalProbability + mass.alternativeMass <= 1)
        }
        let summary = EncodingMassSummary(masses)
        #expect(summary.words == 2)
        #expect(summary.meanNonCanonicalShare > 0 && summary.meanNonCanonicalShare < 1)
    }

    @Test("a node budget leaves a bound on what was not explored, and never more mass than the exhaustive search")
    func budgetBoundsTheMissingMass() throws {
        let model = try LlamaModel(file: try GGUFFile(bytes: SyntheticLlama().bytes()))
        let tokenizer = try ProbeVocabularies.sentencePiece(addSpacePrefix: false, byteFallback: false)
        let probe = TokenizationProbe(tokenizer: tokenizer)
        let pool = WorkerPool(threadCount: 1)
        var exhaustive = EncodingMassScorer.Options()
        exhaustive.relativeThreshold = 1e-300
        exhaustive.maxEvaluatedNodes = 10_000
        var limited = exhaustive
        limited.maxEvaluatedNodes = 2
        let text = "ab abc,12"
        let full = try EncodingMassScorer(model: model, probe: probe, pool: pool, options: exhaustive)
            .score(text: text, context: [1])
        let partial = try EncodingMassScorer(model: model, probe: probe, pool: pool, options: limited)
            .score(text: text, context: [1])
        let fullMass = try #require(full.last)
        let partialMass = try #require(partial.last)
        #expect(partialMass.evaluatedNodes == 2)
        #expect(partialMass.unexploredBound > 0)
        #expect(partialMass.alternativeMass <= fullMass.alternativeMass)
        #expect(fullMass.alternativeMass <= partialMass.alternativeMass + partialMass.unexploredBound + 1e-12)
        #expect(abs(partialMass.canonicalLogProbability - fullMass.canonicalLogProbability) < 1e-12)
    }
}
