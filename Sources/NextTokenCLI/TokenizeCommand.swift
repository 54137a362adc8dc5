import ArgumentParser
import Foundation
import NextToken

/// `nexttoken tokenize`: text to token ids.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Print the token ids of a text (stdin when no text is given); no BOS.")

    @Argument(help: "The text. Read from stdin, byte for byte, when omitted.")
    var text: String?

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Let special-token text become special tokens.")
    var parseSpecial = false

    @Flag(help: "Print {\"ids\":[…]}.")
    var json = false

    func run() throws {
        let model = try modelOptions.load()
        let ids = model.tokenize(text ?? StandardInput.readText(), parseSpecial: parseSpecial)
        if json {
            try JSONOutput.print(["ids": ids])
        } else {
            print(ids.map(String.init).joined(separator: " "))
        }
    }
}

/// `nexttoken detokenize`: token ids to text.
struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize", abstract: "Print the text of token ids (special tokens as their text).")

    @Argument(help: "Token ids, separated by spaces or commas.")
    var ids: [String]

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Print {\"text\":…}.")
    var json = false

    func run() throws {
        let tokens = try TokenList.parse(ids)
        let model = try modelOptions.load()
        let text = try model.detokenize(tokens)
        if json {
            try JSONOutput.print(["text": text])
        } else {
            FileHandle.standardOutput.write(Data(text.utf8) + Data("\n".utf8))
        }
    }
}

/// Parses token ids given as separate arguments or comma-separated lists.
enum TokenList {
    static func parse(_ arguments: [String]) throws -> [Int32] {
        try arguments.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }) }.map { piece in
            guard let id = Int32(piece), id >= 0 else { throw ValidationError("'\(piece)' is not a token id") }
            return id
        }
    }
}
