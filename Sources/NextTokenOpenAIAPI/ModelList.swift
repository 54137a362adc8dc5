/// The response of `GET /v1/models`.
public struct ModelList: Codable, Sendable, Equatable {
    /// One served model.
    public struct Entry: Codable, Sendable, Equatable {
        public var id: String
        public var object = "model"
        public var created: Int
        public var ownedBy: String

        public init(id: String, created: Int, ownedBy: String) {
            self.id = id
            self.created = created
            self.ownedBy = ownedBy
        }

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    public var object = "list"
    public var data: [Entry]

    public init(data: [Entry]) {
        self.data = data
    }
}
