/// One trial of the replacement probe (§7.3): a sentence and the word the model is asked to
/// replace, leaving everything else unchanged.
public struct ReplacementPrompt: Sendable, Equatable, Codable {
    /// The sentence.
    public var sentence: String
    /// The word to replace; its first whole-word occurrence in ``sentence`` is the target.
    public var target: String

    /// A trial replacing `target` in `sentence`.
    public init(sentence: String, target: String) {
        self.sentence = sentence
        self.target = target
    }

    /// The instruction for the model (the engine's wording; the paper's was not available).
    public var instruction: String {
        "Rewrite the sentence below, replacing the word \"\(target)\" with a different word. "
            + "Change nothing else and reply with the rewritten sentence only.\n\nSentence: \(sentence)"
    }

    /// The byte range of the first whole-word occurrence of ``target`` in ``sentence``: not
    /// preceded or followed by a letter or digit. `nil` when there is none.
    public var targetRange: Range<Int>? {
        let text = Array(sentence.utf8)
        let word = Array(target.utf8)
        guard !word.isEmpty, word.count <= text.count else { return nil }
        func isWordByte(_ index: Int) -> Bool {
            guard text.indices.contains(index) else { return false }
            let byte = text[index]
            return byte >= 0x80 || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                || (0x61...0x7A).contains(byte)
        }
        for start in 0 ... text.count - word.count where text[start ..< start + word.count].elementsEqual(word) {
            if !isWordByte(start - 1), !isWordByte(start + word.count) { return start ..< start + word.count }
        }
        return nil
    }

    /// The engine's default prompt set: everyday sentences whose targets cover plain words,
    /// capitalised and sentence-initial words, words before punctuation, numbers, hyphenated and
    /// accented words, and contractions.
    public static let standardSet: [ReplacementPrompt] = [
        ReplacementPrompt(sentence: "The cat sat on the warm windowsill all afternoon.", target: "warm"),
        ReplacementPrompt(sentence: "She bought three apples at the market yesterday.", target: "apples"),
        ReplacementPrompt(sentence: "Our train leaves at noon, so please be quick.", target: "quick"),
        ReplacementPrompt(sentence: "The old bridge was closed for repairs last week.", target: "bridge"),
        ReplacementPrompt(sentence: "He plays the violin every evening after dinner.", target: "violin"),
        ReplacementPrompt(sentence: "Tomorrow we will paint the fence green.", target: "Tomorrow"),
        ReplacementPrompt(sentence: "The recipe needs 250 grams of flour.", target: "flour"),
        ReplacementPrompt(sentence: "They moved to Lisbon in 2019 for work.", target: "Lisbon"),
        ReplacementPrompt(sentence: "My brother-in-law repairs bicycles for a living.", target: "bicycles"),
        ReplacementPrompt(sentence: "The café on the corner serves excellent coffee.", target: "excellent"),
        ReplacementPrompt(sentence: "Please send the report before Friday.", target: "report"),
        ReplacementPrompt(sentence: "A gentle breeze moved through the tall grass.", target: "gentle"),
        ReplacementPrompt(sentence: "The children laughed at the clown's silly tricks.", target: "silly"),
        ReplacementPrompt(sentence: "We hiked up the mountain and watched the sunrise.", target: "mountain"),
        ReplacementPrompt(sentence: "The museum opens at nine and closes at five.", target: "museum"),
        ReplacementPrompt(sentence: "I can't find my keys anywhere in the house.", target: "keys"),
        ReplacementPrompt(sentence: "The doctor said the results were normal.", target: "normal"),
        ReplacementPrompt(sentence: "Heavy rain flooded the streets downtown.", target: "Heavy"),
        ReplacementPrompt(sentence: "The library has over 12000 books on history.", target: "books"),
        ReplacementPrompt(sentence: "His naïve question made everyone smile.", target: "question"),
        ReplacementPrompt(sentence: "The printer ran out of ink again.", target: "printer"),
        ReplacementPrompt(sentence: "Birds were singing in the garden at dawn.", target: "singing"),
        ReplacementPrompt(sentence: "The team celebrated their victory with pizza.", target: "victory"),
        ReplacementPrompt(sentence: "Turn left at the second traffic light.", target: "second"),
        ReplacementPrompt(sentence: "The soup was too salty for my taste.", target: "salty"),
        ReplacementPrompt(sentence: "She wrote a long letter to her grandmother.", target: "letter"),
        ReplacementPrompt(sentence: "The river was calm, and the boats drifted slowly.", target: "calm"),
        ReplacementPrompt(sentence: "Our neighbour's dog barks at every passing car.", target: "dog"),
        ReplacementPrompt(sentence: "The meeting was moved to room 4B upstairs.", target: "meeting"),
        ReplacementPrompt(sentence: "Fresh bread smells wonderful in the morning.", target: "wonderful"),
        ReplacementPrompt(sentence: "The students finished the exam early.", target: "exam"),
        ReplacementPrompt(sentence: "A small boat appeared on the horizon.", target: "horizon"),
    ]
}
