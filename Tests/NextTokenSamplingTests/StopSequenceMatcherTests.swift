import Testing
import NextTokenSampling

@Suite("StopSequenceMatcher")
struct StopSequenceMatcherTests {
    /// Feeds `chunks` and returns what each call emitted, whether and at which chunk it
    /// stopped, and what `finish()` flushed.
    static func run(
        _ matcher: inout StopSequenceMatcher, _ chunks: [[UInt8]]
    ) -> (emitted: [[UInt8]], stoppedAt: Int?, flushed: [UInt8]) {
        var emitted: [[UInt8]] = []
        var stoppedAt: Int?
        for (index, chunk) in chunks.enumerated() {
            let (emit, stopped) = matcher.append(chunk)
            emitted.append(emit)
            if stopped, stoppedAt == nil { stoppedAt = index }
        }
        return (emitted, stoppedAt, matcher.finish())
    }

    static func run(stops: [String], chunks: [String]) -> (emitted: [String], stoppedAt: Int?, flushed: String) {
        var matcher = StopSequenceMatcher(stopStrings: stops)
        let result = run(&matcher, chunks.map { Array($0.utf8) })
        return (result.emitted.map { String(decoding: $0, as: UTF8.self) }, result.stoppedAt,
                String(decoding: result.flushed, as: UTF8.self))
    }

    @Test("holds back a possible start and releases it when the match fails")
    func holdAndRelease() {
        let result = Self.run(stops: ["\n\n"], chunks: ["Hello", "\n", "world", "\n"])
        #expect(result.emitted == ["Hello", "", "\nworld", ""])
        #expect(result.stoppedAt == nil)
        #expect(result.flushed == "\n")
    }

    @Test("a stop spanning token boundaries is never emitted")
    func spanning() {
        let result = Self.run(stops: ["END"], chunks: ["abcE", "N", "Dxyz", "more"])
        #expect(result.emitted == ["abc", "", "", ""])
        #expect(result.stoppedAt == 2)
        #expect(result.flushed == "")
    }

    @Test("overlapping prefixes: stop \"abab\" in \"abacabab\"")
    func overlapping() {
        let result = Self.run(stops: ["abab"], chunks: "abacabab".map { String($0) })
        #expect(result.emitted.joined() == "abac")
        #expect(result.emitted[3] == "abac")  // "c" proves that "aba" cannot start "abab"
        #expect(result.stoppedAt == 7)
        let selfOverlap = Self.run(stops: ["aab"], chunks: ["a", "a", "a", "b"])
        #expect(selfOverlap.emitted == ["", "", "a", ""])
        #expect(selfOverlap.stoppedAt == 3)
    }

    @Test("the occurrence completed first wins, then the longest")
    func firstCompleted() {
        // "bc" completes at byte 3, before "abcd" at byte 4, however the bytes are split.
        #expect(Self.run(stops: ["abcd", "bc"], chunks: ["abcd"]).emitted == ["a"])
        #expect(Self.run(stops: ["abcd", "bc"], chunks: ["ab", "cd"]).emitted == ["", "a"])
        // "cd" and "bcd" both complete at byte 4: the longer one removes more.
        #expect(Self.run(stops: ["cd", "bcd"], chunks: ["abcd"]).emitted == ["a"])
    }

    @Test("after a stop nothing more comes out")
    func afterStop() {
        var matcher = StopSequenceMatcher(stopStrings: ["x"])
        #expect(matcher.append(Array("abxcd".utf8)) == (Array("ab".utf8), true))
        #expect(matcher.isStopped)
        #expect(matcher.append(Array("more".utf8)) == ([], true))
        #expect(matcher.finish() == [])
    }

    @Test("no stops, or only empty ones, pass everything through at once")
    func noStops() {
        for stops in [[String](), [""]] {
            let result = Self.run(stops: stops, chunks: ["ab", "", "c"])
            #expect(result.emitted == ["ab", "", "c"])
            #expect(result.stoppedAt == nil && result.flushed == "")
        }
    }

    @Test("multi-byte UTF-8 stops match across split characters")
    func utf8() {
        var matcher = StopSequenceMatcher(stopStrings: ["é!"])
        let e = Array("é".utf8)  // C3 A9
        #expect(matcher.append(Array("caf".utf8) + [e[0]]) == (Array("caf".utf8), false))
        #expect(matcher.append([e[1]]) == ([], false))
        #expect(matcher.append(Array("!?".utf8)) == ([], true))
    }

    /// The specification, computed on the whole text: the prefix before the occurrence that
    /// ends first (longest on a tie), and the end of that occurrence.
    static func reference(text: [UInt8], stops: [[UInt8]]) -> (output: [UInt8], matchEnd: Int?) {
        for end in 0 ... text.count {
            let matches = stops.filter { !$0.isEmpty && $0.count <= end && Array(text[(end - $0.count) ..< end]) == $0 }
            if let longest = matches.max(by: { $0.count < $1.count }) {
                return (Array(text[..<(end - longest.count)]), end)
            }
        }
        return (text, nil)
    }

    /// Bytes that must still be held after `text`: the longest suffix that is a proper prefix
    /// of some stop.
    static func heldCount(text: [UInt8], stops: [[UInt8]]) -> Int {
        (0 ... text.count).reversed().first { length in
            length == 0 || stops.contains { $0.count > length && Array($0.prefix(length)) == Array(text.suffix(length)) }
        } ?? 0
    }

    @Test("randomised: agrees with a search of the full concatenated text")
    func randomised() {
        var random = SeededRandom(seed: 31337)
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        let alphabet = Array("abc".utf8)
        for trial in 0 ..< 3000 {
            let stops = (0 ..< 1 + below(3)).map { _ in (0 ..< 1 + below(4)).map { _ in alphabet[below(3)] } }
            let text = (0 ..< below(30)).map { _ in alphabet[below(3)] }
            var chunks: [[UInt8]] = []
            var position = 0
            while position < text.count {
                let length = min(below(5), text.count - position)  // empty chunks included
                chunks.append(Array(text[position ..< position + length]))
                position += length
            }

            var matcher = StopSequenceMatcher(stops: stops)
            var output: [UInt8] = []
            var consumed = 0
            var stoppedAtEnd: Int?
            for chunk in chunks {
                let (emit, stopped) = matcher.append(chunk)
                output += emit
                consumed += chunk.count
                if stopped {
                    if stoppedAtEnd == nil { stoppedAtEnd = consumed }
                } else {
                    // Emits exactly what can no longer start a stop.
                    let soFar = Array(text[..<consumed])
                    #expect(output.count == consumed - Self.heldCount(text: soFar, stops: stops),
                            "trial \(trial): stops \(stops) text \(soFar)")
                }
            }
            output += matcher.finish()
            let expected = Self.reference(text: text, stops: stops)
            #expect(output == expected.output, "trial \(trial): stops \(stops) text \(text) chunks \(chunks)")
            if let matchEnd = expected.matchEnd {
                // Reported by the first chunk that reaches the end of the occurrence.
                var chunkEnds: [Int] = []
                for chunk in chunks { chunkEnds.append((chunkEnds.last ?? 0) + chunk.count) }
                #expect(stoppedAtEnd == chunkEnds.first { $0 >= matchEnd }, "trial \(trial)")
            } else {
                #expect(stoppedAtEnd == nil)
            }
        }
    }
}
