import NextTokenCore
import NextTokenProbes
import NextTokenTokenizer
import Testing

@Suite("Artifact classes of hand-written encoding pairs")
struct ArtifactClassifierTests {
    /// Classes of `other` against `reference`, both given as token texts of the byte-level vocabulary.
    static func byteLevelClasses(_ reference: [String], _ other: [String]) throws -> Set<ArtifactClass>? {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let ids = { (texts: [String]) in texts.map { ProbeVocabularies.id($0, tokenizer) } }
        return ArtifactClassifier(tokenizer: tokenizer).classes(reference: ids(reference), other: ids(other))
    }

    @Test("byte-level pairs: one class each")
    func byteLevelClasses() throws {
        #expect(try Self.byteLevelClasses([" ab"], [" ", "ab"]) == [.whitespaceBoundaryShift])
        #expect(try Self.byteLevelClasses([" ", " ab"], ["  ", "ab"]) == [.whitespaceBoundaryShift])
        #expect(try Self.byteLevelClasses(["abc"], ["ab", "c"]) == [.intraWordResegmentation])
        #expect(try Self.byteLevelClasses(["abc"], ["a", "bc"]) == [.intraWordResegmentation])
        #expect(try Self.byteLevelClasses(["c", ","], ["c,"]) == [.punctuationAttachment])
        #expect(try Self.byteLevelClasses(["12"], ["1", "2"]) == [.digitRegrouping])
        #expect(try Self.byteLevelClasses(["a", "b"], ["a", "b"]) == [])
        #expect(try Self.byteLevelClasses(["ab"], ["abc"]) == nil)
    }

    @Test("a split inside a UTF-8 character is byte fallback")
    func splitCharacter() throws {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let merged = ProbeVocabularies.id("é", tokenizer)
        let lead = TokenID(0xC3)
        let trail = TokenID(0xA9)
        let classifier = ArtifactClassifier(tokenizer: tokenizer)
        #expect(classifier.classes(reference: [merged], other: [lead, trail]) == [.byteFallback])
    }

    @Test("a user-defined token against its literal text in pieces")
    func specialLiteral() throws {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let special = ProbeVocabularies.id("<x>", tokenizer, type: .userDefined)
        let pieces = ["<", "x", ">"].map { ProbeVocabularies.id($0, tokenizer) }
        let classes = try #require(ArtifactClassifier(tokenizer: tokenizer).classes(reference: [special], other: pieces))
        #expect(classes.contains(.specialTokenLiteral))
    }

    @Test("SentencePiece: byte pieces, duplicate entries, NFC against NFD")
    func sentencePieceClasses() throws {
        let tokenizer = try ProbeVocabularies.sentencePiece(addSpacePrefix: false)
        let classifier = ArtifactClassifier(tokenizer: tokenizer)
        let e = ProbeVocabularies.id("é", tokenizer)
        // Byte pieces follow the four specials: <0xXX> is id 4 + XX.
        let bytes: [TokenID] = [4 + 0xC3, 4 + 0xA9]
        #expect(tokenizer.tokenType(bytes[0]) == TokenType.byte.rawValue)
        #expect(classifier.classes(reference: [e], other: bytes) == [.byteFallback])
        let a = ProbeVocabularies.id("a", tokenizer)
        let byteA = TokenID(4 + 0x61)
        #expect(classifier.classes(reference: [a], other: [byteA]) == [.byteFallback])
        let duplicates = (0 ..< TokenID(tokenizer.vocabularySize)).filter { (try? tokenizer.tokenBytes($0)) == Array("ab".utf8) }
        #expect(duplicates.count == 2)
        #expect(classifier.classes(reference: [duplicates[0]], other: [duplicates[1]]) == [.duplicatePiece])
        let nfc = tokenizer.encode("é,", parseSpecial: false)
        let nfd = tokenizer.encode("e\u{301},", parseSpecial: false)
        #expect(classifier.classes(reference: nfc, other: nfd) == [.normalizationEquivalent])
    }

    @Test("dummy prefix at the start of a text")
    func dummyPrefix() throws {
        let tokenizer = try ProbeVocabularies.sentencePiece(addSpacePrefix: true)
        let classifier = ArtifactClassifier(tokenizer: tokenizer)
        let canonical = tokenizer.encode("ab", parseSpecial: false)
        let spaceAB = ProbeVocabularies.id(" ab", tokenizer)
        #expect(canonical == [spaceAB])
        let ab = ProbeVocabularies.id("ab", tokenizer)
        let space = ProbeVocabularies.id(" ", tokenizer)
        let spaceA = ProbeVocabularies.id(" a", tokenizer)
        let b = ProbeVocabularies.id("b", tokenizer)
        #expect(classifier.classes(reference: canonical, other: [ab], atSequenceStart: true) == [.dummyPrefix])
        #expect(classifier.classes(reference: canonical, other: [space, ab], atSequenceStart: true) == [.dummyPrefix])
        #expect(classifier.classes(reference: canonical, other: [spaceA, b], atSequenceStart: true)
            == [.intraWordResegmentation])
    }

    @Test("several differences in one text, each with its byte span")
    func severalDifferences() throws {
        let tokenizer = try ProbeVocabularies.byteLevel()
        let id = { (text: String) in ProbeVocabularies.id(text, tokenizer) }
        let differences = try #require(ArtifactClassifier(tokenizer: tokenizer).differences(
            reference: [id(" ab"), id("c"), id(" ab"), id("12")],
            other: [id(" "), id("ab"), id("c"), id(" a"), id("b"), id("1"), id("2")]))
        #expect(differences.map(\.byteRange) == [0 ..< 3, 4 ..< 7, 7 ..< 9])
        #expect(differences.map(\.classes) == [[.whitespaceBoundaryShift], [.intraWordResegmentation], [.digitRegrouping]])
        #expect(differences[1].referenceTokens == [id(" ab")])
        #expect(differences[1].otherTokens == [id(" a"), id("b")])
    }
}
