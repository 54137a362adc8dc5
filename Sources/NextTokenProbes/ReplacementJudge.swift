import NextTokenCore
import NextTokenTokenizer

/// Sorts a model's answer to a replacement request into a ``ReplacementOutcome`` (§7.3 steps
/// 3–5): aligns the text with the sentence, compares the ids with the canonical encoding of the
/// text, and classifies the differences.
public struct ReplacementJudge: Sendable {
    let probe: TokenizationProbe

    /// A judge for outputs in `probe`'s tokenizer.
    public init(probe: TokenizationProbe) {
        self.probe = probe
    }

    /// Sorts `output` (generated ids, without the end-of-generation token) of `prompt` into an
    /// outcome.
    public func judge(_ prompt: ReplacementPrompt, output: [TokenID]) -> ReplacementTrial {
        let tokenizer = probe.tokenizer
        let bytes = (try? tokenizer.decode(output)) ?? []
        let text = String(decoding: bytes, as: UTF8.self)
        let canonical = tokenizer.encode(text, parseSpecial: false)
        // Bytes that are not valid UTF-8 (an answer cut inside a character) have no canonical
        // encoding: the whole output then counts as one byte-level difference.
        let differences = probe.classifier.differences(reference: canonical, other: output)
            ?? [EncodingDifference(byteRange: 0 ..< bytes.count, referenceTokens: canonical, otherTokens: output,
                                   classes: [.byteFallback])]
        let units = TextUnit.split(canonical, bytes: (try? tokenizer.decode(canonical)) ?? bytes, tokenizer: tokenizer)
        let nonCanonicalWords = units.filter { unit in differences.contains { $0.byteRange.overlaps(unit.byteRange) } }
        var trial = ReplacementTrial(
            prompt: prompt, outputTokens: output, outputText: text, outcome: .collateralChange, replacement: nil,
            differences: differences, targetTouched: false, wordCount: units.count,
            nonCanonicalWordCount: nonCanonicalWords.count)
        let sentence = Array(prompt.sentence.utf8)
        let trimmed = Self.trimmed(bytes)
        guard let target = prompt.targetRange else { return trial }
        let outputTarget = (target.lowerBound + trimmed.lowerBound) ..< (target.upperBound + trimmed.lowerBound)
        if bytes[trimmed].elementsEqual(sentence) {
            trial.outcome = differences.isEmpty ? .refusalToEdit : .phantomEdit
            trial.targetTouched = differences.contains { $0.byteRange.overlaps(outputTarget) }
        } else if String(decoding: bytes[trimmed], as: UTF8.self) == prompt.sentence {
            // Canonically equivalent (NFC against NFD) but not the same bytes: a phantom edit of
            // its own kind, reported with the normalisation class.
            trial.outcome = .phantomEdit
            trial.targetTouched = true
            trial.differences = [EncodingDifference(
                byteRange: trimmed, referenceTokens: tokenizer.encode(prompt.sentence, parseSpecial: false),
                otherTokens: output, classes: [.normalizationEquivalent])]
        } else {
            let body = Array(bytes[trimmed])
            let prefix = sentence[..<target.lowerBound]
            let suffix = sentence[target.upperBound...]
            if body.count >= prefix.count + suffix.count, body.starts(with: prefix),
               body.reversed().starts(with: suffix.reversed()) {
                trial.outcome = .edited
                trial.replacement = String(decoding: body[prefix.count ..< body.count - suffix.count], as: UTF8.self)
            }
        }
        return trial
    }

    /// `bytes` without leading and trailing spaces, tabs and line breaks.
    static func trimmed(_ bytes: [UInt8]) -> Range<Int> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        let start = bytes.firstIndex { !isSpace($0) } ?? bytes.count
        let end = (bytes.lastIndex { !isSpace($0) }).map { $0 + 1 } ?? start
        return start ..< max(start, end)
    }
}
