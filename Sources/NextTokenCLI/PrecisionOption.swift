import ArgumentParser
import NextTokenModel

extension Precision: ExpressibleByArgument {}

/// `--precision`, for the commands that run a model.
struct PrecisionOption: ParsableArguments {
    @Option(help: "int8: 8-bit activations and an f16 KV cache (the default), as llama.cpp computes; f32: exact.")
    var precision = Precision.default
}
