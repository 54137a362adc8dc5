import NextTokenCore
import NextTokenProbes
import NextTokenTokenizer
import Testing

@Suite("Replacement outcomes of hand-written outputs")
struct ReplacementJudgeTests {
    static let prompt = ReplacementPrompt(sentence: "abc ab, 12", target: "abc")

    static func judge(_ texts: [String]) throws -> ReplacementTrial {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let judge = ReplacementJudge(probe: TokenizationProbe(tokenizer: tokenizer))
        return judge.judge(prompt, output: texts.map { ProbeVocabularies.id($0, tokenizer) })
    }

    @Test("the canonical unchanged sentence is a refusal to edit")
    func refusal() throws {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let canonical = tokenizer.encode(Self.prompt.sentence, parseSpecial: false)
        let trial = ReplacementJudge(probe: TokenizationProbe(tokenizer: tokenizer)).judge(Self.prompt, output: canonical)
        #expect(trial.outcome == .refusalToEdit)
        #expect(trial.differences.isEmpty)
        #expect(trial.nonCanonicalWordCount == 0)
        #expect(trial.wordCount == 3)
    }

    @Test("the unchanged sentence in other ids is a phantom edit, never an edit")
    func phantom() throws {
        let trial = try Self.judge(["ab", "c", " ab", ",", " ", "1", "2"])
        #expect(trial.outcome == .phantomEdit)
        #expect(trial.targetTouched)
        #expect(trial.classes == [.intraWordResegmentation, .digitRegrouping])
        #expect(trial.nonCanonicalWordCount == 2)
        let elsewhere = try Self.judge(["abc", " ", "ab", ",", " ", "12"])
        #expect(elsewhere.outcome == .phantomEdit)
        #expect(!elsewhere.targetTouched)
        #expect(elsewhere.classes == [.whitespaceBoundaryShift])
        let summary = ReplacementSummary([trial, elsewhere])
        #expect(summary.outcomes[.edited] == nil)
        #expect(summary.phantomEditShare == 1)
        #expect(summary.phantomClassShares[.intraWordResegmentation] == 0.5)
        #expect(summary.phantomEditsTouchingTarget == 1)
    }

    @Test("leading and trailing whitespace and a final line break are ignored")
    func trimmed() throws {
        let trial = try Self.judge(["abc", " ab", ",", " ", "12", "\n"])
        #expect(trial.outcome == .refusalToEdit)
    }

    @Test("a replaced target is an edit; other changes are collateral")
    func editedAndCollateral() throws {
        let edited = try Self.judge(["bc", " ab", ",", " ", "12"])
        #expect(edited.outcome == .edited)
        #expect(edited.replacement == "bc")
        let collateral = try Self.judge(["abc", " ab", ",", " ", "1"])
        #expect(collateral.outcome == .collateralChange)
        #expect(ReplacementPrompt(sentence: "abc", target: "ab").targetRange == nil)
        #expect(ReplacementPrompt(sentence: "x ab, ab", target: "ab").targetRange == 2 ..< 4)
    }

    @Test("an NFD answer to an NFC sentence is a phantom edit of the normalisation class")
    func normalization() throws {
        let tokenizer = try ProbeVocabularies.sentencePiece(addSpacePrefix: false)
        let judge = ReplacementJudge(probe: TokenizationProbe(tokenizer: tokenizer))
        let prompt = ReplacementPrompt(sentence: "é ab", target: "ab")
        let trial = judge.judge(prompt, output: tokenizer.encode("e\u{301} ab", parseSpecial: false))
        #expect(trial.outcome == .phantomEdit)
        #expect(trial.classes == [.normalizationEquivalent])
    }
}
