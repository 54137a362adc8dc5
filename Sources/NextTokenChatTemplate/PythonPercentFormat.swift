import Foundation

/// Python's printf-style `str % values` (also jinja2's `format` filter): `%s %r %d %i %f %e %g %x %o %c %%`
/// with flags, width, precision and `%(name)s` keys.
enum PythonPercentFormat {
    static func format(_ format: String, _ arguments: TemplateValue) throws(TemplateFailure) -> String {
        let positional: [TemplateValue]
        if case .array(let items) = arguments { positional = items } else { positional = [arguments] }
        var mapping: TemplateDictionary?
        if case .dictionary(let dictionary) = arguments { mapping = dictionary }
        let scalars = Array(format.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var next = 0
        var usedMapping = false
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "%" else { out.append(scalar); continue }
            guard index < scalars.count else { throw .runtime("incomplete format") }
            var value: TemplateValue?
            if scalars[index] == "(" {
                guard let close = scalars[index...].firstIndex(of: ")") else { throw .runtime("incomplete format key") }
                let key = PythonText.string(scalars[(index + 1)..<close])
                guard let mapping else { throw .runtime("format requires a mapping") }
                guard let found = mapping[key] else { throw .runtime("KeyError: \(PythonStringRepr.repr(key))") }
                value = found
                usedMapping = true
                index = close + 1
            }
            var flags = Set<Unicode.Scalar>()
            while index < scalars.count, "-+ 0#".unicodeScalars.contains(scalars[index]) {
                flags.insert(scalars[index])
                index += 1
            }
            let width = readNumber(scalars, &index)
            var precision: Int?
            if index < scalars.count, scalars[index] == "." {
                index += 1
                precision = readNumber(scalars, &index) ?? 0
            }
            while index < scalars.count, "hlL".unicodeScalars.contains(scalars[index]) { index += 1 }
            guard index < scalars.count else { throw .runtime("incomplete format") }
            let conversion = scalars[index]
            index += 1
            if conversion == "%" { out.append("%"); continue }
            if value == nil {
                guard next < positional.count else { throw .runtime("not enough arguments for format string") }
                value = positional[next]
                next += 1
            }
            let text = try convert(value ?? TemplateValue.none, conversion, flags: flags, width: width, precision: precision)
            out.append(contentsOf: text.unicodeScalars)
        }
        if !usedMapping, mapping == nil, next < positional.count {
            throw .runtime("not all arguments converted during string formatting")
        }
        return String(out)
    }

    private static func readNumber(_ scalars: [Unicode.Scalar], _ index: inout Int) -> Int? {
        var number: Int?
        while index < scalars.count, ("0"..."9").contains(scalars[index]) {
            number = min((number ?? 0) * 10 + Int(scalars[index].value - 48), 10_000)
            index += 1
        }
        return number
    }

    private static func convert(
        _ value: TemplateValue, _ conversion: Unicode.Scalar, flags: Set<Unicode.Scalar>, width: Int?, precision: Int?
    ) throws(TemplateFailure) -> String {
        var cFlags = String(String.UnicodeScalarView(flags.sorted { $0.value < $1.value }))
        let widthText = width.map(String.init) ?? ""
        switch conversion {
        case "s", "r", "a":
            var text = conversion == "s" ? value.printed : value.repr
            if let precision { text = PythonText.string(text.unicodeScalars.prefix(precision)) }
            return pad(text, width: width, left: flags.contains("-"))
        case "d", "i", "u", "x", "X", "o":
            guard let number = integer(value) else {
                throw .runtime("%\(conversion) format: a real number is required, not \(value.typeName)")
            }
            let letter = conversion == "i" || conversion == "u" ? "d" : String(conversion)
            if conversion == "o", flags.contains("#") { cFlags.removeAll { $0 == "#" } }
            let text = String(format: "%\(cFlags)\(widthText)l\(letter)", number)
            return conversion == "o" && flags.contains("#") ? "0o" + text.trimmingCharacters(in: .whitespaces) : text
        case "f", "F", "e", "E", "g", "G":
            guard let number = value.numericValue else {
                throw .runtime("must be real number, not \(value.typeName)")
            }
            let precisionText = precision.map { ".\($0)" } ?? ""
            return String(format: "%\(cFlags)\(widthText)\(precisionText)\(conversion)", number)
        case "c":
            if case .string(let text) = value, text.unicodeScalars.count == 1 { return pad(text, width: width, left: flags.contains("-")) }
            guard let code = value.integerValue, let scalar = Unicode.Scalar(UInt32(clamping: max(code, 0))) else {
                throw .runtime("%c requires an int or a unicode character")
            }
            return pad(String(scalar), width: width, left: flags.contains("-"))
        default:
            throw .runtime("unsupported format character '\(conversion)'")
        }
    }

    private static func integer(_ value: TemplateValue) -> Int? {
        if let number = value.integerValue { return number }
        if case .double(let number) = value, number.isFinite, let exact = Int(exactly: number.rounded(.towardZero)) {
            return exact
        }
        return nil
    }

    private static func pad(_ text: String, width: Int?, left: Bool) -> String {
        let missing = (width ?? 0) - text.unicodeScalars.count
        guard missing > 0 else { return text }
        let spaces = String(repeating: " ", count: missing)
        return left ? text + spaces : spaces + text
    }
}
