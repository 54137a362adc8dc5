import NextTokenKernels

/// The rotary cosines and sines of every row of a forward pass at one rotary setting, written
/// once per pass into scratch memory and applied in every layer.
struct RotaryRows {
    let frequencies: RoPE.Frequencies
    /// Per row: `rotaryDimensions / 2` cosines, then as many sines.
    private let storage: UnsafeMutablePointer<Float>

    /// Storage for `rows` rows: `rows × rotaryDimensions` floats.
    static func floatCount(_ frequencies: RoPE.Frequencies, rows: Int) -> Int {
        rows * frequencies.rotaryDimensions
    }

    /// Angles kept in `storage`, which holds ``floatCount(_:rows:)`` floats.
    init(_ frequencies: RoPE.Frequencies, storage: UnsafeMutablePointer<Float>) {
        self.frequencies = frequencies
        self.storage = storage
    }

    /// Computes row `row`'s angles for `position`.
    func set(row: Int, position: Int) {
        let cosines = storage + row * frequencies.rotaryDimensions
        frequencies.write(position: position, cosines: cosines, sines: cosines + frequencies.rotaryDimensions / 2)
    }

    /// Rotates `vector`, the `headCount` heads of row `row`.
    func rotate(
        _ vector: UnsafeMutablePointer<Float>, row: Int, headCount: Int, headDimension: Int, pairing: RoPE.Pairing
    ) {
        let cosines = storage + row * frequencies.rotaryDimensions
        RoPE.apply(vector, headCount: headCount, headDimension: headDimension,
                   rotaryDimensions: frequencies.rotaryDimensions, cosines: cosines,
                   sines: cosines + frequencies.rotaryDimensions / 2, pairing: pairing)
    }
}
