import NextTokenCore

/// Output formats for ``TokenFeatures``.
public enum TokenFeatureFormat: String, Sendable, CaseIterable {
    /// One JSON object per token:
    /// `{"position","token","piece","logprob","rank","entropy","top_k_mass"[,"hidden":[…]]}`.
    case jsonl
    /// A header line, then one comma-separated line per token: `position,token,piece,logprob,
    /// rank,entropy,top_k_mass[,h0,h1,…]`; the piece is quoted as RFC 4180 quotes.
    case csv
}

/// Renders ``TokenFeatures`` as JSON Lines or CSV text.
public struct TokenFeatureWriter: Sendable {
    /// The format written.
    public let format: TokenFeatureFormat
    /// Whether hidden states are written (features without one get an empty list or cells).
    public let includeHidden: Bool

    /// A writer of `format`.
    public init(format: TokenFeatureFormat, includeHidden: Bool) {
        self.format = format
        self.includeHidden = includeHidden
    }

    /// The CSV header line for hidden states of `width` floats, or `nil` for JSON Lines.
    public func header(hiddenWidth: Int) -> String? {
        guard format == .csv else { return nil }
        let base = "position,token,piece,logprob,rank,entropy,top_k_mass"
        guard includeHidden else { return base }
        return base + (0 ..< hiddenWidth).map { ",h\($0)" }.joined()
    }

    /// One output line (without the line break) for `features`, whose token's text is `piece`.
    public func line(_ features: TokenFeatures, piece: String) -> String {
        let numbers = [number(features.logProbability), "\(features.rank)", number(features.entropy),
                       number(features.topKMass)]
        switch format {
        case .jsonl:
            var line = "{\"position\":\(features.position),\"token\":\(features.token),\"piece\":\(Self.jsonString(piece))"
            line += ",\"logprob\":\(numbers[0]),\"rank\":\(numbers[1]),\"entropy\":\(numbers[2]),\"top_k_mass\":\(numbers[3])"
            if includeHidden {
                line += ",\"hidden\":[" + (features.hidden ?? []).map { number(Double($0)) }.joined(separator: ",") + "]"
            }
            return line + "}"
        case .csv:
            var line = "\(features.position),\(features.token),\(Self.csvField(piece)),"
            line += numbers.joined(separator: ",")
            if includeHidden { line += (features.hidden ?? []).map { "," + number(Double($0)) }.joined() }
            return line
        }
    }

    /// A finite number in Swift's shortest round-trip form; `null` (JSON) or an empty cell
    /// (CSV) otherwise.
    private func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : (format == .jsonl ? "null" : "")
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `text` as a CSV field: quoted, with quotes doubled, when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        var quoted = "\""
        for character in text {
            quoted += character == "\"" ? "\"\"" : String(character)
        }
        return quoted + "\""
    }
}
