import NextTokenCore
import NextTokenKernels
import NextTokenModel
import NextTokenProbes
import Testing

@Suite("RoPE probe on SmolLM2 and Gemma 3")
struct RealModelRoPETests {
    @Test("SmolLM2's setting comes from its GGUF: one base for all 30 layers, adjacent pairs")
    func smolSettings() throws {
        let settings = try RoPESetting.settings(metadata: try ProbeModels.metadata("smollm2"))
        try #require(settings.count == 1)
        #expect(settings[0].layerType == "all")
        #expect(settings[0].base == 100_000)
        #expect(settings[0].headDimension == 64 && settings[0].rotaryDimensions == 64)
        #expect(settings[0].pairing == .normal)
        #expect(settings[0].layers == Array(0 ..< 30))
    }

    @Test("Gemma 3 has a local and a global setting: bases 1e4 and 1e6, head dimension 256, NeoX pairs")
    func gemmaSettings() throws {
        let settings = try RoPESetting.settings(metadata: try ProbeModels.metadata("gemma3"))
        try #require(settings.count == 2)
        #expect(settings.map(\.layerType) == ["local", "global"])
        #expect(settings.map(\.base) == [10_000, 1_000_000])
        #expect(settings.allSatisfy { $0.headDimension == 256 && $0.pairing == .neox })
        #expect(settings[1].layers == [5, 11, 17])
        #expect(settings[0].layers.count == 15)
    }

    @Test("captured vectors are pre-RoPE: layer 0 gives a repeated token the same key at every position",
          arguments: ["smollm2", "gemma3"])
    func captureIsPreRoPE(model name: String) throws {
        let (model, tokenizer) = try ProbeModels.model(name)
        let word = tokenizer.encode(" harbour", parseSpecial: false)
        let tokens = tokenizer.encode("The", parseSpecial: false) + word + tokenizer.encode(" and the", parseSpecial: false) + word
        let captured = try CapturedQueriesAndKeys.capture(model: model, tokens: tokens, pool: WorkerPool(threadCount: 2))
        let keyWidth = captured.kvHeadCount * captured.headDimension
        let queryWidth = captured.headCount * captured.headDimension
        #expect(captured.queries.count == model.layerCount && captured.keys.count == model.layerCount)
        #expect(captured.queries.allSatisfy { $0.count == tokens.count * queryWidth })
        #expect(captured.keys.allSatisfy { $0.count == tokens.count * keyWidth })
        let first = tokens.firstIndex(of: word[0]) ?? 0
        let second = tokens.lastIndex(of: word[0]) ?? 0
        #expect(second > first)
        let keys = captured.keys[0]
        #expect(keys[first * keyWidth ..< (first + 1) * keyWidth] == keys[second * keyWidth ..< (second + 1) * keyWidth])
        // A later layer mixes in the context, so the two occurrences differ there.
        let last = captured.keys[model.layerCount - 1]
        #expect(last[first * keyWidth ..< (first + 1) * keyWidth] != last[second * keyWidth ..< (second + 1) * keyWidth])
    }

    @Test("captured rows: one per layer and length plus each layer type's mean, rates in range",
          arguments: ["smollm2", "gemma3"])
    func capturedRows(model name: String) throws {
        let (model, tokenizer) = try ProbeModels.model(name)
        let settings = try RoPESetting.settings(metadata: try ProbeModels.metadata(name))
        let tokens = tokenizer.encodePrompt(
            "The ferry left the harbour at noon and crossed to the island before the storm arrived.", parseSpecial: false)
        let pool = WorkerPool(threadCount: 2)
        let captured = try CapturedQueriesAndKeys.capture(model: model, tokens: tokens, pool: pool)
        let probe = try RoPEProbe(lengths: [512, 8192], samples: 200, seed: 1)
        let rows = try probe.measureCaptured(captured, settings: settings, pool: pool)
        let layerRows = rows.filter { $0.layer != nil }
        #expect(layerRows.count == model.layerCount * 2)
        #expect(rows.count == layerRows.count + settings.count * 2)
        for row in rows {
            #expect((0 ... 1).contains(row.localityFailure) && (0 ... 1).contains(row.consistencyFailure))
            #expect(row.positionSensitivity > 0 && row.positionSensitivity < 3)
            #expect(row.source == "captured")
        }
        // Deterministic for a seed, whatever the thread count.
        let again = try probe.measureCaptured(captured, settings: settings, pool: WorkerPool(threadCount: 1))
        #expect(again == rows)
    }
}
