import ArgumentParser
import Foundation
import NextToken
import NextTokenGGUF
import NextTokenKernels
import NextTokenModelStore
import NextTokenProbes

/// `nexttoken probe rope`: RoPE locality bias and token-relevance consistency (algorithms §9).
struct ProbeRoPECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rope",
        abstract: "Measure RoPE locality failure, consistency failure and position sensitivity as context grows.",
        discussion: """
        For a model (--model, default smollm2) the probe reads each layer type's RoPE setting from the GGUF \
        (Gemma 3: local and global layers) and measures it with random vectors (content model G: q ~ N(0, I), \
        k = ρq + √(1−ρ²)ε) and with the model's own pre-RoPE queries and keys captured on a text (model R, \
        per layer, averaged over heads). --base and --head-dim measure a bare setting with random vectors only. \
        Rates: F_loc (a nearer key, at least L/4 closer, scores no higher), F_cons (two keys swap order when both \
        move), S_pos (mean score change when a key moves, over the score's standard deviation), and the tie rates \
        of a moved and a replaced key (within 1% of a standard deviation).
        """)

    @Option(help: "Bare setting: RoPE base(s), comma-separated (e.g. 1e4,1e5,1e6). Needs --head-dim.")
    var base: String?

    @Option(help: "Bare setting: the head dimension.")
    var headDim: Int?

    @Option(help: "Context lengths L, comma-separated.")
    var lengths = "512,2048,8192,32768,131072"

    @Option(help: "Samples per rate and cell (random vectors).")
    var samples = 40_000

    @Option(help: "Samples per layer with captured vectors (default: --samples / 10).")
    var capturedSamples: Int?

    @Option(help: "Seed of the measurement.")
    var seed: UInt64 = 0

    @Option(help: "ρ of the random content model (how relevant the key is to the query).")
    var rho = 0.7

    @Flag(inversion: .prefixedNo, help: "With a model, also measure its captured queries and keys.")
    var captured = true

    @Option(help: "A text file whose tokens the queries and keys are captured on (default: a built-in paragraph).")
    var text: String?

    @Flag(help: "Print captured rows of every layer in the table, not just each layer type's mean.")
    var perLayer = false

    @Option(help: "Write a line chart of the rows to this SVG file.")
    var plot: String?

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Print {\"rows\":[{\"source\",\"layer_type\",\"layer\",\"base\",\"head_dim\",\"length\",\"f_loc\",\"f_cons\",\"s_pos\",…}]}.")
    var json = false

    func validate() throws {
        if (base == nil) != (headDim == nil) { throw ValidationError("--base and --head-dim go together") }
        if base != nil, modelOptions.model != nil { throw ValidationError("give --model or --base/--head-dim, not both") }
        _ = try parsedLengths()
        _ = try parsedBases()
    }

    func run() throws {
        let probe = try RoPEProbe(lengths: try parsedLengths(), samples: samples, seed: seed, rho: rho)
        let pool = WorkerPool(threadCount: modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        var rows: [RoPEMeasurement] = []
        if let headDim {
            for base in try parsedBases() {
                rows += probe.measureGaussian(try RoPESetting(base: base, headDimension: headDim), pool: pool)
            }
        } else {
            let path = try ModelStore().resolve(modelOptions.model)
            let settings = try RoPESetting.settings(metadata: try GGUFFile(path: path).metadata)
            for setting in settings { rows += probe.measureGaussian(setting, pool: pool) }
            if captured {
                let model = try Model(path: path)
                let capturedProbe = try RoPEProbe(lengths: probe.lengths, samples: capturedSamples ?? max(1, samples / 10),
                                                  seed: seed, rho: rho)
                let source = try text.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? Self.captureText
                let tokens = PromptContext.start(of: model.tokenizer) + model.tokenizer.encode(source, parseSpecial: false)
                let vectors = try CapturedQueriesAndKeys.capture(model: model.languageModel, tokens: tokens, pool: pool)
                rows += try capturedProbe.measureCaptured(vectors, settings: settings, pool: pool)
            }
        }
        if let plot {
            try RoPEChart.svg(rows).write(toFile: plot, atomically: true, encoding: .utf8)
        }
        if json {
            try ProbeJSON.print(["rows": rows.map(RoPERowLine.init)])
        } else {
            print(["source", "layers", "layer", "base", "d", "L", "F_loc", "F_cons", "S_pos", "moved_tie", "replaced_tie"]
                .joined(separator: "\t"))
            for row in rows where perLayer || row.layer == nil {
                print([row.source, row.layerType, row.layer.map(String.init) ?? "-", "\(row.base)", "\(row.headDimension)",
                       "\(row.length)", String(format: "%.3f", row.localityFailure),
                       String(format: "%.3f", row.consistencyFailure), String(format: "%.3f", row.positionSensitivity),
                       String(format: "%.4f", row.movedKeyTie), String(format: "%.4f", row.replacedKeyTie)]
                    .joined(separator: "\t"))
            }
        }
    }

    private func parsedLengths() throws -> [Int] {
        try lengths.split(separator: ",").map { piece in
            guard let length = Int(piece.trimmingCharacters(in: .whitespaces)), length >= 4 else {
                throw ValidationError("--lengths: '\(piece)' is not a length of at least 4")
            }
            return length
        }
    }

    private func parsedBases() throws -> [Float] {
        try (base ?? "").split(separator: ",").map { piece in
            guard let value = Float(piece.trimmingCharacters(in: .whitespaces)), value > 1, value.isFinite else {
                throw ValidationError("--base: '\(piece)' is not a number above 1")
            }
            return value
        }
    }

    /// The default text for capturing queries and keys: ordinary English prose (about 300 tokens).
    static let captureText = """
    The harbour town woke slowly. Fishing boats came back before dawn, and by seven the market hall was full of \
    crates, ice and the voices of traders arguing about prices. A baker on the corner opened his shutters and the \
    smell of fresh bread drifted down to the water. Children ran past on their way to school, stopping to watch \
    the gulls fight over scraps near the pier.
    Later in the morning the ferry arrived from the island with tourists, two delivery vans and a teacher who had \
    missed the last boat the night before. The harbour master checked the tide tables, wrote the departure times \
    on the board and complained, as he did every day, that nobody read them. In the afternoon the wind turned, \
    clouds gathered over the hills, and the first drops of rain sent everyone into the cafés along the quay. By \
    evening the storm had passed. The lights of the town reflected in the wet stones, a radio played somewhere \
    above the bakery, and the fishermen began to prepare their nets for the next night at sea.
    """
}

/// One row of `probe rope --json`.
struct RoPERowLine: Encodable {
    let source: String
    let layerType: String
    let layer: Int?
    let base: Float
    let headDim: Int
    let length: Int
    let fLoc: Double
    let fCons: Double
    let sPos: Double
    let movedTie: Double
    let replacedTie: Double
    let samples: Int

    init(_ row: RoPEMeasurement) {
        source = row.source
        layerType = row.layerType
        layer = row.layer
        base = row.base
        headDim = row.headDimension
        length = row.length
        fLoc = row.localityFailure
        fCons = row.consistencyFailure
        sPos = row.positionSensitivity
        movedTie = row.movedKeyTie
        replacedTie = row.replacedKeyTie
        samples = row.samples
    }
}
