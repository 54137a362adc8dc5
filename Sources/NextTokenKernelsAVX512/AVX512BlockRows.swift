#if arch(x86_64)
/// Vectors of a batch product: `input + v * inputStride` in, `output + v * outputStride` out.
struct VectorBatch {
    let input: UnsafePointer<Float>
    let inputStride: Int
    let output: UnsafeMutablePointer<Float>
    let outputStride: Int
}

/// A weight matrix of 32-element blocks (`rowByteCount` bytes per row from `base`), multiplied
/// with vectors by decoding blocks in registers. Every product is summed like `DotAccumulator`:
/// per block the low 16 elements, then the high 16, into the same 16 lanes, so a row's result
/// has the same bits whichever loop computes it.
struct BlockRows {
    let base: UnsafeRawPointer
    let rowByteCount: Int
    let blockCount: Int

    /// How far ahead of the rows being read the loops prefetch, in rows (two groups of four).
    private static var prefetchDistance: Int { 8 }

    /// `output[r] = row r · x` for `rows`: four rows at a time, then two, then one.
    @inline(__always)
    func timesOneVector<Decoder: BlockDecoding>(
        _ decoder: Decoder.Type, _ rows: Range<Int>, _ x: UnsafePointer<Float>, _ halves: UnsafePointer<Float>,
        _ output: UnsafeMutablePointer<Float>
    ) {
        let input = UnsafeRawPointer(x)
        let step = Decoder.blockByteCount
        var row = rows.lowerBound
        while row &+ 4 <= rows.upperBound {
            let w0 = base + row &* rowByteCount
            let w1 = w0 + rowByteCount, w2 = w1 + rowByteCount, w3 = w2 + rowByteCount
            let ahead = w0 + Self.prefetchDistance &* rowByteCount
            var a0 = Accumulator(), a1 = Accumulator(), a2 = Accumulator(), a3 = Accumulator()
            for block in 0 ..< blockCount {
                prefetch(ahead + block &* (4 &* step), byteCount: 4 &* step)
                let lower = group(input, block &* 128)
                let upper = group(input, block &* 128 &+ 64)
                let offset = block &* step
                let (r0Lower, r0Upper) = Decoder.decode(w0 + offset, halves)
                let (r1Lower, r1Upper) = Decoder.decode(w1 + offset, halves)
                let (r2Lower, r2Upper) = Decoder.decode(w2 + offset, halves)
                let (r3Lower, r3Upper) = Decoder.decode(w3 + offset, halves)
                a0.add(r0Lower, lower)
                a1.add(r1Lower, lower)
                a2.add(r2Lower, lower)
                a3.add(r3Lower, lower)
                a0.add(r0Upper, upper)
                a1.add(r1Upper, upper)
                a2.add(r2Upper, upper)
                a3.add(r3Upper, upper)
            }
            (output[row], output[row &+ 1], output[row &+ 2], output[row &+ 3]) = (a0.total, a1.total, a2.total, a3.total)
            row &+= 4
        }
        let vectors = VectorBatch(input: x, inputStride: 0, output: output, outputStride: 0)
        while row < rows.upperBound {
            rowPair(decoder, row, bothRows: row &+ 2 <= rows.upperBound, vectors, first: 0, width: 1, halves)
            row &+= 2
        }
    }

    /// `row r · vector v` for `rows` and vectors `0..<batch`: each pair of rows is decoded once
    /// per eight vectors (then four, two, one).
    @inline(__always)
    func timesVectors<Decoder: BlockDecoding>(
        _ decoder: Decoder.Type, _ rows: Range<Int>, _ vectors: VectorBatch, _ batch: Int,
        _ halves: UnsafePointer<Float>
    ) {
        var row = rows.lowerBound
        while row < rows.upperBound {
            let bothRows = row &+ 2 <= rows.upperBound
            var vector = 0
            while vector &+ 8 <= batch {
                rowPair(decoder, row, bothRows: bothRows, vectors, first: vector, width: 8, halves)
                vector &+= 8
            }
            if batch &- vector >= 4 {
                rowPair(decoder, row, bothRows: bothRows, vectors, first: vector, width: 4, halves)
                vector &+= 4
            }
            if batch &- vector >= 2 {
                rowPair(decoder, row, bothRows: bothRows, vectors, first: vector, width: 2, halves)
                vector &+= 2
            }
            if vector < batch {
                rowPair(decoder, row, bothRows: bothRows, vectors, first: vector, width: 1, halves)
            }
            row &+= 2
        }
    }

    /// Rows `row` and `row + 1` (only `row` unless `bothRows`) times vectors
    /// `first ..< first + width` (`width` 1, 2, 4 or 8).
    @inline(__always)
    private func rowPair<Decoder: BlockDecoding>(
        _ decoder: Decoder.Type, _ row: Int, bothRows: Bool, _ vectors: VectorBatch, first: Int, width: Int,
        _ halves: UnsafePointer<Float>
    ) {
        switch width {
        case 8: rowPair(decoder, row, bothRows, vectors, first, Eight.self, halves)
        case 4: rowPair(decoder, row, bothRows, vectors, first, Four.self, halves)
        case 2: rowPair(decoder, row, bothRows, vectors, first, Two.self, halves)
        default: rowPair(decoder, row, bothRows, vectors, first, One.self, halves)
        }
    }

    @inline(__always)
    private func rowPair<Decoder: BlockDecoding, Width: VectorCount>(
        _ decoder: Decoder.Type, _ row: Int, _ bothRows: Bool, _ vectors: VectorBatch, _ first: Int,
        _ width: Width.Type, _ halves: UnsafePointer<Float>
    ) {
        let step = Decoder.blockByteCount
        let w0 = base + row &* rowByteCount
        let w1 = bothRows ? w0 + rowByteCount : w0
        let ahead = w0 + Self.prefetchDistance &* rowByteCount
        let byteStride = vectors.inputStride &* 4
        let x = UnsafeRawPointer(vectors.input) + first &* byteStride
        var row0 = Accumulators(), row1 = Accumulators()
        for block in 0 ..< blockCount {
            if first == 0 { prefetch(ahead + block &* (2 &* step), byteCount: 2 &* step) }
            let (r0Lower, r0Upper) = Decoder.decode(w0 + block &* step, halves)
            let (r1Lower, r1Upper) = Decoder.decode(w1 + block &* step, halves)
            let offset = block &* 128
            for vector in 0 ..< Width.count {
                let input = x + vector &* byteStride
                let lower = group(input, offset), upper = group(input, offset &+ 64)
                row0[vector].add(r0Lower, lower)
                row1[vector].add(r1Lower, lower)
                row0[vector].add(r0Upper, upper)
                row1[vector].add(r1Upper, upper)
            }
        }
        for vector in 0 ..< Width.count {
            let y = vectors.output + ((first &+ vector) &* vectors.outputStride &+ row)
            y[0] = row0[vector].total
            if bothRows { y[1] = row1[vector].total }
        }
    }
}

/// A number of vectors (or attention heads) that a kernel handles at once (a type, so that loops
/// over it unroll).
protocol VectorCount {
    static var count: Int { get }
}

enum One: VectorCount { static var count: Int { 1 } }
enum Two: VectorCount { static var count: Int { 2 } }
enum Three: VectorCount { static var count: Int { 3 } }
enum Four: VectorCount { static var count: Int { 4 } }
enum Eight: VectorCount { static var count: Int { 8 } }

/// Up to eight accumulators in named fields, which stay in registers when indexed with constants
/// (an array's would live in memory).
struct Accumulators {
    private var a0 = Accumulator(), a1 = Accumulator(), a2 = Accumulator(), a3 = Accumulator()
    private var a4 = Accumulator(), a5 = Accumulator(), a6 = Accumulator(), a7 = Accumulator()

    subscript(_ index: Int) -> Accumulator {
        @inline(__always) get {
            switch index {
            case 0: a0
            case 1: a1
            case 2: a2
            case 3: a3
            case 4: a4
            case 5: a5
            case 6: a6
            default: a7
            }
        }
        @inline(__always) set {
            switch index {
            case 0: a0 = newValue
            case 1: a1 = newValue
            case 2: a2 = newValue
            case 3: a3 = newValue
            case 4: a4 = newValue
            case 5: a5 = newValue
            case 6: a6 = newValue
            default: a7 = newValue
            }
        }
    }
}
#endif
