/// How two token sequences for the same text differ: the tokenizer-artifact taxonomy of §7.4.
///
/// The first two classes are the ones the paper names; the others are the engine's candidates.
/// One difference can carry several classes.
public enum ArtifactClass: String, Sendable, CaseIterable, Codable, Comparable {
    /// A space sits in a different token: `" word"` against `" " + "word"`.
    case whitespaceBoundaryShift = "whitespace_boundary_shift"
    /// The same letters split differently: `"token"` against `"tok" + "en"`.
    case intraWordResegmentation = "intra_word_resegmentation"
    /// UTF-8 byte pieces (or a split inside one character) against a whole-character piece.
    case byteFallback = "byte_fallback"
    /// Punctuation or a symbol attached to a different token: `"word,"` against `"word" + ","`.
    case punctuationAttachment = "punctuation_attachment"
    /// Digits grouped differently: `"2024"` against `"20" + "24"`.
    case digitRegrouping = "digit_regrouping"
    /// At the start of a text, a dummy-prefix piece `"▁word"` (whose space decoding drops)
    /// against a piece without it.
    case dummyPrefix = "dummy_prefix"
    /// A special token (control or user-defined) against its literal text spelled in pieces.
    case specialTokenLiteral = "special_token_literal"
    /// Canonically equivalent but different bytes (NFC against NFD): not the same text byte for
    /// byte, so reported on its own.
    case normalizationEquivalent = "normalization_equivalent"
    /// Two different ids with exactly the same bytes and span (duplicate vocabulary entries),
    /// where none of the classes above applies.
    case duplicatePiece = "duplicate_piece"

    public static func < (lhs: ArtifactClass, rhs: ArtifactClass) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
