import Foundation

extension SharedData {
    /// Decodes every non-empty line of a JSON Lines file under `shared/`.
    public static func jsonLines<T: Decodable>(_ type: T.Type, _ relative: String) throws -> [T] {
        let data = try Data(contentsOf: url(relative))
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(T.self, from: Data($0)) }
    }
}
