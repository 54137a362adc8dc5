import Testing
@testable import NextTokenTokenizer

@Suite("Pre-tokenizers")
struct PreTokenizerTests {
    private func pieces(_ text: String, _ preTokenizer: PreTokenizer) -> [ExactText] {
        InlineVocabulary.pieces(text, preTokenizer)
    }

    @Test("names resolve, with llama.cpp's aliases; an unknown name is a typed error")
    func names() throws {
        #expect(try PreTokenizer(name: "smollm") == .smollm)
        #expect(try PreTokenizer(name: "gpt2") == .gpt2)
        #expect(try PreTokenizer(name: "gpt-2") == .gpt2)
        #expect(try PreTokenizer(name: "llama-bpe") == .llama3)
        #expect(try PreTokenizer(name: "qwen2") == .qwen2)
        #expect(throws: TokenizerError.unknownPreTokenizer(name: "tekken", model: "gpt2")) {
            try PreTokenizer(name: "tekken")
        }
    }

    @Test("White_Space is \\s: U+0085, U+00A0, U+3000 in; U+001C–U+001F, U+200B, U+FEFF out")
    func whitespaceClass() {
        let whiteSpace: [UInt32] = [
            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
            0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000,
        ]
        for value in whiteSpace {
            #expect(ScalarClass(value) == .whitespace, "U+\(String(value, radix: 16))")
        }
        for value: UInt32 in [0x1C, 0x1D, 0x1E, 0x1F, 0x200B, 0xFEFF, 0x180E, 0x00] {
            #expect(ScalarClass(value) == .other, "U+\(String(value, radix: 16))")
        }
        let whiteSpaceCount = (0...0x10FFFF).filter { ScalarClass(UInt32($0)) == .whitespace }.count
        #expect(whiteSpaceCount == whiteSpace.count)
    }

    @Test("\\p{L} and \\p{N} follow the general category")
    func letterAndNumberClasses() {
        for scalar in "aZéßǅʰ漢ア한ب" .unicodeScalars {
            #expect(ScalarClass(scalar.value) == .letter, "\(scalar)")
        }
        for scalar in "09٣४½²Ⅻ〇" .unicodeScalars {
            #expect(ScalarClass(scalar.value) == .number, "\(scalar)")
        }
        for scalar in "!'_\u{301}\u{200D}😀\u{E000}" .unicodeScalars {
            #expect(ScalarClass(scalar.value) == .other, "\(scalar)")
        }
        #expect(ScalarClass(0x40000) == .other)  // unassigned
    }

    @Test("GPT-2: contractions, lower case only")
    func gpt2Contractions() {
        #expect(pieces("it's we're I'll they've I'm he'd don't", .gpt2) == [
            "it", "'s", " we", "'re", " I", "'ll", " they", "'ve", " I", "'m", " he", "'d", " don", "'t",
        ])
        #expect(pieces("IT'S 'x", .gpt2) == ["IT", "'", "S", " '", "x"])
    }

    @Test("GPT-2: optional space before a run of letters, numbers or other characters")
    func gpt2Runs() {
        #expect(pieces("Hello world", .gpt2) == ["Hello", " world"])
        #expect(pieces("héllo мир 漢字", .gpt2) == ["héllo", " мир", " 漢字"])
        #expect(pieces("abc 123 x", .gpt2) == ["abc", " 123", " x"])
        #expect(pieces("a !!? b", .gpt2) == ["a", " !!?", " b"])
        #expect(pieces("x+=1;", .gpt2) == ["x", "+=", "1", ";"])
        #expect(pieces("a\u{200B}b \u{FEFF}", .gpt2) == ["a", "\u{200B}", "b", " \u{FEFF}"])
        #expect(pieces("a \u{1F}b", .gpt2) == ["a", " \u{1F}", "b"])
    }

    @Test("GPT-2: whitespace runs leave their last character to the next word")
    func gpt2Whitespace() {
        #expect(pieces("a   b", .gpt2) == ["a", "  ", " b"])
        #expect(pieces("a   ", .gpt2) == ["a", "   "])
        #expect(pieces("a\nb", .gpt2) == ["a", "\n", "b"])
        #expect(pieces("a \n b", .gpt2) == ["a", " \n", " b"])
        #expect(pieces("a\u{A0}\u{A0}b", .gpt2) == ["a", "\u{A0}", "\u{A0}", "b"])
        #expect(pieces("a\u{3000}\u{85} b", .gpt2) == ["a", "\u{3000}\u{85}", " b"])
        #expect(pieces(" ", .gpt2) == [" "])
        #expect(pieces("x   7", .gpt2) == ["x", "  ", " 7"])
    }

    @Test("SmolLM: every \\p{N} character is its own piece before GPT-2's regex")
    func smollmDigits() {
        #expect(pieces("x   7", .smollm) == ["x", "   ", "7"])
        #expect(pieces("abc 123 x", .smollm) == ["abc", " ", "1", "2", "3", " x"])
        #expect(pieces("a ½ b", .smollm) == ["a", " ", "½", " b"])
        #expect(pieces("\n\n42", .smollm) == ["\n\n", "4", "2"])
        #expect(pieces("it's", .smollm) == ["it", "'s"])
    }

    @Test("Llama 3: case-insensitive contractions and one optional non-letter before letters")
    func llama3Letters() {
        #expect(pieces("IT'S it'Ll", .llama3) == ["IT", "'S", " it", "'Ll"])
        #expect(pieces("'\u{17F}t", .llama3) == ["'\u{17F}", "t"])  // long s folds to s
        #expect(pieces("\"hello\tworld", .llama3) == ["\"hello", "\tworld"])
        #expect(pieces("a\nb", .llama3) == ["a", "\n", "b"])
        #expect(pieces("a\r\nb", .llama3) == ["a", "\r\n", "b"])
    }

    @Test("Llama 3 numbers have up to three digits, Qwen 2's one")
    func numbers() {
        #expect(pieces("12345 x", .llama3) == ["123", "45", " x"])
        #expect(pieces(" 123", .llama3) == [" ", "123"])
        #expect(pieces("12345", .qwen2) == ["1", "2", "3", "4", "5"])
    }

    @Test("Llama 3: punctuation takes trailing line breaks; whitespace ends at its last line break")
    func llama3PunctuationAndWhitespace() {
        #expect(pieces("x !!\n\ny", .llama3) == ["x", " !!\n\n", "y"])
        #expect(pieces("a  \n\n  b", .llama3) == ["a", "  \n\n", " ", " b"])
        #expect(pieces("a   ", .llama3) == ["a", "   "])
        #expect(pieces("a   1", .llama3) == ["a", "  ", " ", "1"])
    }

    @Test("pieces always cover the text, in order")
    func coverage() {
        let text = "Hi!  I'm 42\r\n\t☃️ naïve  \u{85}x\u{3000}"
        for preTokenizer in [PreTokenizer.gpt2, .smollm, .llama3, .qwen2] {
            let joined = pieces(text, preTokenizer).flatMap(\.scalars)
            #expect(joined == Array(text.unicodeScalars), "\(preTokenizer)")
        }
    }
}
