import Foundation
import NextTokenModelStore
import NextTokenSpeculation

extension Model {
    /// A fresh drafter for `method` (`nil` for plain decoding). Token Recycling and Goose share the
    /// model's matrix; llama-lookup's dynamic cache persists under `$NEXTTOKEN_HOME/lookup/` when
    /// `persistLookupCache` is set.
    func makeDrafter(
        for method: SpeculationMethod, recyclingTemplate: String? = nil, persistLookupCache: Bool = true
    ) throws(NextTokenError) -> (any Drafter)? {
        var template = TreeTemplate.cpu16
        if let recyclingTemplate {
            guard let named = TreeTemplate.named[recyclingTemplate] else {
                throw .invalidRequest("unknown tree template '\(recyclingTemplate)' (\(TreeTemplate.named.keys.sorted().joined(separator: ", ")))")
            }
            template = named
        }
        return switch method {
        case .none: nil
        case .lookup: PromptLookupDrafter()
        case .llamaLookup: LlamaLookupDrafter(dynamicCacheURL: persistLookupCache ? dynamicLookupCacheURL : nil)
        case .recycling: TokenRecyclingDrafter(matrix: recyclingMatrix, template: template)
        case .goose: GooseDrafter(matrix: recyclingMatrix)
        }
    }

    /// `$NEXTTOKEN_HOME/lookup/<model file name>.ngram`.
    var dynamicLookupCacheURL: URL {
        URL(fileURLWithPath: ModelStore().home)
            .appendingPathComponent("lookup")
            .appendingPathComponent(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".ngram")
    }
}
