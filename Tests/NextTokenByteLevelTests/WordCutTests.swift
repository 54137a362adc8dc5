import NextTokenByteLevel
import Testing

@Suite("Next-word benchmark: prompts cut inside words, exact-match scoring, text slices")
struct WordCutTests {
    static let corpus = (0..<60).map { line in
        "Line \(line): the naïve café owner’s __init__ said “déjà vu” — x\(line * 7)y; "
            + String(repeating: "ab", count: line % 5) + "\n"
    }.joined()

    @Test("every cut lies inside a word; its prompt is the window before it and its rest is the word's rest")
    func cutsAreInsideWords() throws {
        let bytes = Array(Self.corpus.utf8)
        let cuts = try WordCutter.cuts(in: Self.corpus, count: 50, contextBytes: 40, seed: 7)
        #expect(cuts.count == 50)
        #expect(Set(cuts.map(\.offset)).count == 50)
        for cut in cuts {
            let prompt = try #require(String(validating: cut.prompt, as: UTF8.self))
            let rest = try #require(String(validating: cut.rest, as: UTF8.self))
            #expect(Array(bytes[(cut.offset - cut.prompt.count)..<cut.offset]) == cut.prompt)
            #expect(cut.prompt.count <= 40 && cut.prompt.count >= 37)
            #expect(Array(bytes[cut.offset..<(cut.offset + cut.rest.count)]) == cut.rest)
            #expect(WordCharacters.isWord(try #require(prompt.unicodeScalars.last)))
            #expect(!rest.isEmpty && rest.unicodeScalars.allSatisfy(WordCharacters.isWord))
            let after = String(decoding: bytes[(cut.offset + cut.rest.count)...].prefix(4), as: UTF8.self)
            #expect(after.unicodeScalars.first.map { !WordCharacters.isWord($0) } ?? true)
        }
    }

    @Test("the same seed gives the same cuts, another seed other cuts")
    func seededReproducibility() throws {
        let first = try WordCutter.cuts(in: Self.corpus, count: 10, contextBytes: 64, seed: 42)
        let again = try WordCutter.cuts(in: Self.corpus, count: 10, contextBytes: 64, seed: 42)
        let other = try WordCutter.cuts(in: Self.corpus, count: 10, contextBytes: 64, seed: 43)
        #expect(first == again)
        #expect(first.map(\.offset) != other.map(\.offset))
    }

    @Test("a word rest is never cut short: identifiers with _ and digits, and non-ASCII letters, are whole")
    func restsAreWholeWords() throws {
        let text = String(repeating: "x ", count: 40) + "déjà__vu2 ."
        let cuts = try WordCutter.cuts(in: text, count: 8, contextBytes: 60, seed: 1)
        for cut in cuts {
            let word = String(decoding: cut.prompt + cut.rest, as: UTF8.self)
            #expect(word.hasSuffix(" déjà__vu2"))
        }
    }

    @Test("bad requests throw instead of trapping")
    func badInput() {
        #expect(throws: ByteLevelError.self) { try WordCutter.cuts(in: Self.corpus, count: -1, contextBytes: 10, seed: 0) }
        #expect(throws: ByteLevelError.self) { try WordCutter.cuts(in: Self.corpus, count: 1, contextBytes: 0, seed: 0) }
        #expect(throws: ByteLevelError.self) { try WordCutter.cuts(in: "short", count: 1, contextBytes: 10, seed: 0) }
        #expect(throws: ByteLevelError.self) {
            try WordCutter.cuts(in: String(repeating: ". ,\n", count: 100), count: 1, contextBytes: 10, seed: 0)
        }
        #expect((try? WordCutter.cuts(in: "short", count: 0, contextBytes: 10, seed: 0)) == [])
    }

    @Test("exact match needs the completed word to end, and to equal the true rest")
    func exactMatch() {
        let rest = Array("se".utf8)
        #expect(WordCompletion(continuation: Array("se of".utf8), textEnded: false).matches(rest))
        #expect(WordCompletion(continuation: Array("se".utf8), textEnded: true).matches(rest))
        #expect(!WordCompletion(continuation: Array("se".utf8), textEnded: false).matches(rest))
        #expect(!WordCompletion(continuation: Array("sed ".utf8), textEnded: false).matches(rest))
        #expect(!WordCompletion(continuation: Array(" house".utf8), textEnded: false).matches(rest))
        #expect(WordCompletion(continuation: Array("se’s".utf8), textEnded: false).matches(rest))
        #expect(!WordCompletion(continuation: Array("seé".utf8), textEnded: false).matches(rest))
        let incomplete = WordCompletion(continuation: Array("se".utf8) + [0xC3], textEnded: false)
        #expect(incomplete.word == rest && !incomplete.isFinished)
        let invalid = WordCompletion(continuation: Array("se".utf8) + [0xFF, 0x41], textEnded: false)
        #expect(invalid.word == rest && invalid.matches(rest))
        #expect(!WordCompletion(continuation: Array("s".utf8), textEnded: false).isDecided(against: rest))
        #expect(WordCompletion(continuation: Array("sex".utf8), textEnded: false).isDecided(against: rest))
        #expect(WordCompletion(continuation: Array("s!".utf8), textEnded: false).isDecided(against: rest))
    }

    @Test("slices start at line starts, do not overlap, and repeat with the seed")
    func slices() throws {
        let slices = try TextSlicer.slices(of: Self.corpus, count: 4, length: 200, seed: 3)
        #expect(slices.count == 4)
        #expect(try TextSlicer.slices(of: Self.corpus, count: 4, length: 200, seed: 3) == slices)
        var previousEnd = Self.corpus.utf8.startIndex
        for slice in slices {
            #expect(slice.utf8.count <= 200 && slice.utf8.count >= 197)
            let range = try #require(Self.corpus.range(of: slice, range: previousEnd..<Self.corpus.endIndex))
            #expect(range.lowerBound == Self.corpus.startIndex || Self.corpus[Self.corpus.index(before: range.lowerBound)] == "\n")
            previousEnd = range.upperBound
        }
        #expect(throws: ByteLevelError.self) { try TextSlicer.slices(of: Self.corpus, count: 1, length: 0, seed: 0) }
        #expect(throws: ByteLevelError.self) { try TextSlicer.slices(of: "one line", count: 1, length: 100, seed: 0) }
        #expect(throws: ByteLevelError.self) { try TextSlicer.slices(of: Self.corpus, count: 50, length: 200, seed: 0) }
    }
}
