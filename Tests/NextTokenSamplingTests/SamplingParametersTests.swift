import Foundation
import Testing
import NextTokenSampling

@Suite("SamplingParameters")
struct SamplingParametersTests {
    @Test("defaults and boundary values are valid")
    func validValues() throws {
        try SamplingParameters().validate()
        try SamplingParameters.greedy.validate()
        try SamplingParameters(temperature: 0, topK: 0, topP: 1, minP: 0).validate()
        try SamplingParameters(temperature: 100, topK: 1, topP: 1e-9, minP: 0.999).validate()
        #expect(SamplingParameters.greedy.isGreedy)
        #expect(!SamplingParameters().isGreedy)
    }

    @Test("out-of-range values throw the matching error", arguments: [
        (SamplingParameters(temperature: -0.1), SamplingError.invalidTemperature(-0.1)),
        (SamplingParameters(temperature: .infinity), .invalidTemperature(.infinity)),
        (SamplingParameters(topK: -1), .invalidTopK(-1)),
        (SamplingParameters(topP: 0), .invalidTopP(0)),
        (SamplingParameters(topP: 1.5), .invalidTopP(1.5)),
        (SamplingParameters(topP: -0.5), .invalidTopP(-0.5)),
        (SamplingParameters(minP: 1), .invalidMinP(1)),
        (SamplingParameters(minP: -0.01), .invalidMinP(-0.01)),
    ])
    func invalidValues(parameters: SamplingParameters, expected: SamplingError) {
        #expect(throws: expected) { try parameters.validate() }
        #expect(throws: expected) { try Sampler(parameters: parameters) }
    }

    @Test("NaN is out of range for every real-valued field")
    func notANumber() {
        let cases: [(SamplingParameters, (SamplingError) -> Bool)] = [
            (SamplingParameters(temperature: .nan), {
                if case .invalidTemperature(let value) = $0 { value.isNaN } else { false }
            }),
            (SamplingParameters(topP: .nan), {
                if case .invalidTopP(let value) = $0 { value.isNaN } else { false }
            }),
            (SamplingParameters(minP: .nan), {
                if case .invalidMinP(let value) = $0 { value.isNaN } else { false }
            }),
        ]
        for (parameters, matches) in cases {
            do {
                try parameters.validate()
                Issue.record("\(parameters) was accepted")
            } catch {
                #expect(matches(error))
            }
        }
    }

    @Test("round-trips through JSON")
    func codable() throws {
        let parameters = SamplingParameters(
            temperature: 0.7, topK: 40, topP: 0.95, minP: 0.05, seed: UInt64.max)
        let data = try JSONEncoder().encode(parameters)
        #expect(try JSONDecoder().decode(SamplingParameters.self, from: data) == parameters)
    }
}
