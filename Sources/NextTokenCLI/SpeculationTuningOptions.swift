import ArgumentParser
import NextToken

/// How speculative decoding drafts and adapts: shared by `generate` and `bench speculative`.
struct SpeculationTuningOptions: ParsableArguments {
    @Option(help: "Most draft tokens verified per step when speculating.")
    var draftBudget = GenerationOptions().speculationBudget

    @Flag(help: "Verify every draft whole instead of cutting it to the depth whose expected tokens pay for its rows (or dropping it).")
    var fixedBudget = false

    @Option(help: "Token Recycling's static tree template: cpu8, cpu16 (default), 2.2.2.")
    var treeTemplate: String?

    @Flag(help: "Token Recycling and Goose: write every prompt position's top-k candidates into the matrix after prefill.")
    var warmFromPrompt = false

    func validate() throws {
        if draftBudget < 1 { throw ValidationError("--draft-budget must be at least 1") }
    }

    /// Writes these settings into `options`.
    func apply(to options: inout GenerationOptions) {
        options.speculationBudget = draftBudget
        options.adaptiveSpeculation = !fixedBudget
        options.recyclingTemplate = treeTemplate
        options.warmRecyclingFromPrompt = warmFromPrompt
    }
}
