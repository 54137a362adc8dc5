import Foundation
import NextTokenCore

/// One line of `testdata/tokenizer/<model>.jsonl`: a string and its reference token ids.
struct ConformanceRecord: Decodable, Sendable {
    let name: String
    let category: String
    let text: String
    let ids: [TokenID]
    let decoded: String
    let idsParseSpecial: [TokenID]
    let note: String?

    enum CodingKeys: String, CodingKey {
        case name = "case"
        case category, text, ids, decoded, note
        case idsParseSpecial = "ids_parse_special"
    }

    /// Every record of `file` (a JSON Lines file).
    static func load(_ file: URL) throws -> [ConformanceRecord] {
        let data = try Data(contentsOf: file)
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            try decoder.decode(ConformanceRecord.self, from: Data(line))
        }
    }
}
