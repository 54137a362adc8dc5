/// A parameter that is either one string or an array of strings (`stop`, a completion's `prompt`).
public struct StringOrStrings: Decodable, Sendable, Equatable {
    /// The strings, one element for the single-string form.
    public var values: [String]

    public init(_ values: [String]) {
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else if let many = try? container.decode([String].self) {
            values = many
        } else {
            throw DecodingError.typeMismatch(
                StringOrStrings.self,
                .init(codingPath: decoder.codingPath, debugDescription: "expected a string or an array of strings"))
        }
    }
}
