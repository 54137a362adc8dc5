import ArgumentParser
import Foundation
import NextToken
import NextTokenByteLevel
import NextTokenSampling

/// `generate --byte-level` (exact byte-level generation, optionally from an `--ensemble`) and
/// `generate --token-healing` (the token-level baseline).
extension GenerateCommand {
    func validateByteLevel() throws {
        if maxBytes < 0 { throw ValidationError("--max-bytes must not be negative") }
        if byteLevel && tokenHealing { throw ValidationError("--byte-level and --token-healing exclude each other") }
        if ensembleOptions.ensemble != nil {
            if !byteLevel { throw ValidationError("--ensemble generates byte by byte: add --byte-level") }
            if modelOptions.model != nil { throw ValidationError("--ensemble replaces --model") }
        }
        if byteLevel || tokenHealing {
            let mode = byteLevel ? "--byte-level" : "--token-healing"
            if chat { throw ValidationError("\(mode) applies to raw prompts, not --chat") }
            if speculate != .none { throw ValidationError("\(mode) does not combine with --speculate") }
        }
        if byteLevel {
            if topK != 0 || minP != 0 { throw ValidationError("--byte-level supports --temperature and --top-p only") }
            if !stop.isEmpty || ignoreEos || parseSpecial {
                throw ValidationError("--byte-level does not support --stop, --ignore-eos or --parse-special")
            }
        }
    }

    func runByteLevel() throws {
        var options = ByteLevelOptions()
        options.maxBytes = maxBytes
        options.temperature = temperature
        options.topP = topP
        options.seed = seed
        options.pruning = pruning
        options.threads = modelOptions.threads
        let text = prompt ?? StandardInput.readText()
        let ensemble = try ensembleOptions.load() ?? ModelEnsemble(models: [modelOptions.load()])
        let result = try ensemble.generateBytes(text, options: options) { delta in
            if !json { FileHandle.standardOutput.write(Data(delta.utf8)) }
        }
        if json {
            try JSONOutput.print(ByteGenerateOutput(result))
        } else {
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
        StandardError.print(String(
            format: "prompt: %.0f ms; generation: %d bytes, %.1f bytes/s; stop: ",
            result.promptDuration.milliseconds, result.bytes.count, result.bytesPerSecond) + result.stopReason.rawValue)
    }

    func runTokenHealing() throws {
        var options = GenerationOptions()
        options.maxTokens = maxTokens
        options.sampling = SamplingParameters(
            temperature: temperature, topK: topK, topP: topP, minP: minP,
            seed: seed ?? UInt64.random(in: .min ... .max))
        options.stopStrings = stop
        options.ignoreEndOfGeneration = ignoreEos
        options.parseSpecial = parseSpecial
        options.threads = modelOptions.threads
        let text = prompt ?? StandardInput.readText()
        let model = try modelOptions.load()
        let summary = try model.completeWithTokenHealing(text, options: options) { delta in
            if !json { FileHandle.standardOutput.write(Data(delta.utf8)) }
        }
        if json {
            try JSONOutput.print(GenerateOutput(summary, options: options))
        } else {
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
        StandardError.print(String(
            format: "prompt: %d tokens, %.1f tokens/s; generation: %d tokens, %.1f tokens/s; stop: ",
            summary.promptTokens.count, summary.promptTokensPerSecond,
            summary.tokens.count, summary.generationTokensPerSecond) + summary.stopReason.rawValue)
    }
}

/// The `--json` shape of `generate --byte-level`.
struct ByteGenerateOutput: Encodable {
    struct Timings: Encodable {
        let prompt_ms: Double
        let generation_ms: Double
        let bytes_per_second: Double
    }

    let text: String
    let bytes: Int
    let log_probability: Double
    let stop_reason: String
    let timings: Timings

    init(_ result: ByteGenerationResult) {
        text = result.text
        bytes = result.bytes.count
        log_probability = result.logProbability
        stop_reason = result.stopReason.rawValue
        timings = Timings(
            prompt_ms: result.promptDuration.milliseconds, generation_ms: result.generationDuration.milliseconds,
            bytes_per_second: result.bytesPerSecond)
    }
}
