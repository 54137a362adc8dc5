import Foundation
import NextTokenOpenAIAPI
import Testing

@Suite("Generation settings: penalties, logit bias, speculation, n")
struct GenerationSettingsTests {
    static func settings(_ fields: String) throws -> GenerationSettings {
        let json = #"{"model":"m","messages":[{"role":"user","content":"x"}],"# + fields + "}"
        return try JSONCoding.decode(ChatCompletionRequest.self, from: Data(json.utf8)).validatedSettings()
    }

    @Test("the values reach the settings; logit_bias keys become token ids")
    func values() throws {
        let settings = try Self.settings("""
            "presence_penalty":0.5,"frequency_penalty":-2,"repeat_penalty":1.3,
            "logit_bias":{"17":-100,"0":100,"5":2.5},"speculate":"goose","n":3
            """)
        #expect(settings.presencePenalty == 0.5)
        #expect(settings.frequencyPenalty == -2)
        #expect(settings.repeatPenalty == 1.3)
        #expect(settings.logitBias == [17: -100, 0: 100, 5: 2.5])
        #expect(settings.speculate == "goose")
        #expect(settings.choices == 3)
        let neutral = try Self.settings(#""max_tokens":1"#)
        #expect(neutral.presencePenalty == 0 && neutral.frequencyPenalty == 0 && neutral.repeatPenalty == 1)
        #expect(neutral.logitBias.isEmpty && neutral.speculate == "none" && neutral.choices == 1)
    }

    @Test("out-of-range values are refused with a 400 naming the parameter", arguments: [
        (#""presence_penalty":2.5"#, "presence_penalty"), (#""frequency_penalty":-2.01"#, "frequency_penalty"),
        (#""repeat_penalty":0"#, "repeat_penalty"), (#""repeat_penalty":-1"#, "repeat_penalty"),
        (#""logit_bias":{"abc":1}"#, "logit_bias"), (#""logit_bias":{"-1":1}"#, "logit_bias"),
        (#""logit_bias":{"1.5":1}"#, "logit_bias"), (#""logit_bias":{"":1}"#, "logit_bias"),
        (#""logit_bias":{"99999999999":1}"#, "logit_bias"), (#""logit_bias":{"1":100.5}"#, "logit_bias"),
        (#""logit_bias":{"1":-101}"#, "logit_bias"), (#""n":0"#, "n"), (#""n":17"#, "n"),
    ])
    func ranges(field: String, param: String) throws {
        let error = #expect(throws: OpenAIError.self) { try Self.settings(field) }
        #expect(error?.status == 400)
        #expect(error?.param == param, "\(String(describing: error))")
        #expect(error?.type == "invalid_request_error")
    }

    @Test("a logit_bias value that is not a number fails decoding with the parameter named")
    func biasType() throws {
        let error = #expect(throws: OpenAIError.self) { try Self.settings(#""logit_bias":{"1":"ban"}"#) }
        #expect(error?.status == 400)
        #expect(error?.param?.hasPrefix("logit_bias") == true, "\(String(describing: error))")
    }

    @Test("choice seeds: choice 0 keeps the request's seed, later ones are distinct and reproducible")
    func choiceSeeds() throws {
        let settings = try Self.settings(#""seed":42,"n":16"#)
        let seeds = (0 ..< 16).map { settings.seed(forChoice: $0) }
        #expect(seeds[0] == 42)
        #expect(Set(seeds.compactMap { $0 }).count == 16)
        let again = try Self.settings(#""seed":42,"n":16"#)
        #expect(seeds == (0 ..< 16).map { again.seed(forChoice: $0) })
        #expect(try Self.settings(#""seed":43"#).seed(forChoice: 1) != seeds[1])
        #expect(try Self.settings(#""n":2"#).seed(forChoice: 1) == nil, "no seed: each choice draws its own")
    }

    @Test("prompts × n is bounded for text completions")
    func completionChoices() throws {
        func prompts(_ json: String) throws -> [String] {
            try JSONCoding.decode(CompletionRequest.self, from: Data(json.utf8)).validatedPrompts()
        }
        #expect(try prompts(#"{"model":"m","prompt":["a","b"],"n":8}"#).count == 2)
        let error = #expect(throws: OpenAIError.self) { try prompts(#"{"model":"m","prompt":["a","b","c"],"n":6}"#) }
        #expect(error?.param == "n")
    }
}
