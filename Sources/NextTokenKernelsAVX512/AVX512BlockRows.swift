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
    /// per four vectors (then two, then one).
    @inline(__always)
    func timesVectors<Decoder: BlockDecoding>(
        _ decoder: Decoder.Type, _ rows: Range<Int>, _ vectors: VectorBatch, _ batch: Int,
        _ halves: UnsafePointer<Float>
    ) {
        var row = rows.lowerBound
        while row < rows.upperBound {
            let bothRows = row &+ 2 <= rows.upperBound
            var vector = 0
            while vector &+ 4 <= batch {
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
    /// `first ..< first + width` (`width` 1, 2 or 4, a constant at every call site).
    @inline(__always)
    private func rowPair<Decoder: BlockDecoding>(
        _ decoder: Decoder.Type, _ row: Int, bothRows: Bool, _ vectors: VectorBatch, first: Int, width: Int,
        _ halves: UnsafePointer<Float>
    ) {
        let step = Decoder.blockByteCount
        let w0 = base + row &* rowByteCount
        let w1 = bothRows ? w0 + rowByteCount : w0
        let ahead = w0 + Self.prefetchDistance &* rowByteCount
        let byteStride = vectors.inputStride &* 4
        let x0 = UnsafeRawPointer(vectors.input) + first &* byteStride
        let x1 = x0 + byteStride, x2 = x1 + byteStride, x3 = x2 + byteStride
        var a0 = Accumulator(), a1 = Accumulator(), a2 = Accumulator(), a3 = Accumulator()
        var b0 = Accumulator(), b1 = Accumulator(), b2 = Accumulator(), b3 = Accumulator()
        for block in 0 ..< blockCount {
            if first == 0 { prefetch(ahead + block &* (2 &* step), byteCount: 2 &* step) }
            let (r0Lower, r0Upper) = Decoder.decode(w0 + block &* step, halves)
            let (r1Lower, r1Upper) = Decoder.decode(w1 + block &* step, halves)
            let offset = block &* 128
            var lower = group(x0, offset), upper = group(x0, offset &+ 64)
            a0.add(r0Lower, lower)
            b0.add(r1Lower, lower)
            a0.add(r0Upper, upper)
            b0.add(r1Upper, upper)
            if width > 1 {
                lower = group(x1, offset)
                upper = group(x1, offset &+ 64)
                a1.add(r0Lower, lower)
                b1.add(r1Lower, lower)
                a1.add(r0Upper, upper)
                b1.add(r1Upper, upper)
            }
            if width > 2 {
                lower = group(x2, offset)
                upper = group(x2, offset &+ 64)
                a2.add(r0Lower, lower)
                b2.add(r1Lower, lower)
                a2.add(r0Upper, upper)
                b2.add(r1Upper, upper)
                lower = group(x3, offset)
                upper = group(x3, offset &+ 64)
                a3.add(r0Lower, lower)
                b3.add(r1Lower, lower)
                a3.add(r0Upper, upper)
                b3.add(r1Upper, upper)
            }
        }
        store(a0, b0, vector: first, row, bothRows, vectors)
        if width > 1 { store(a1, b1, vector: first &+ 1, row, bothRows, vectors) }
        if width > 2 {
            store(a2, b2, vector: first &+ 2, row, bothRows, vectors)
            store(a3, b3, vector: first &+ 3, row, bothRows, vectors)
        }
    }

    @inline(__always)
    private func store(
        _ row0: Accumulator, _ row1: Accumulator, vector: Int, _ row: Int, _ bothRows: Bool, _ vectors: VectorBatch
    ) {
        let y = vectors.output + (vector &* vectors.outputStride &+ row)
        y[0] = row0.total
        if bothRows { y[1] = row1.total }
    }
}
#endif
