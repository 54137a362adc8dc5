/// A token id: an index into a model's vocabulary, `0 ..< vocabularySize`.
public typealias TokenID = Int32
