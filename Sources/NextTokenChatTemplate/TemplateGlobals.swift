import Foundation

/// The functions every template can call: jinja2's `range`, `namespace` and `dict`, and transformers'
/// `raise_exception` and `strftime_now`.
enum TemplateGlobals {
    static let names = ["range", "namespace", "dict", "raise_exception", "strftime_now"]

    static func call(_ name: String, _ arguments: CallArguments, now: Date) throws(TemplateFailure) -> TemplateValue {
        switch name {
        case "range":
            return .array(try range(arguments))
        case "namespace", "dict":
            var attributes = TemplateDictionary()
            guard arguments.positional.count <= 1 else {
                throw .runtime("\(name) expected at most 1 positional argument, got \(arguments.positional.count)")
            }
            if let initial = arguments.positional.first {
                switch initial {
                case .dictionary(let dictionary): attributes = dictionary
                case .array(let pairs):
                    for pair in pairs {
                        guard case .array(let entry) = pair, entry.count == 2 else {
                            throw .runtime("\(name)() sequence elements must be pairs")
                        }
                        guard attributes.insert(entry[1], for: entry[0]) else {
                            throw .runtime("unhashable type: '\(entry[0].typeName)'")
                        }
                    }
                default: throw .runtime("'\(initial.typeName)' object is not iterable")
                }
            }
            for (key, value) in arguments.keywords { attributes[key] = value }
            if name == "dict" { return .dictionary(attributes) }
            return .namespace(TemplateNamespace(attributes: attributes))
        case "raise_exception":
            let message = try arguments.bind(["message"], function: name)[0] ?? TemplateValue.string("")
            throw TemplateFailure(kind: .raised, message: message.printed)
        case "strftime_now":
            guard case .string(let format)? = try arguments.bind(["format"], function: name)[0] else {
                throw .runtime("strftime_now() needs a format string")
            }
            return .string(PythonStrftime.format(now, format))
        default:
            throw .unsupported("the function '\(name)' is not supported")
        }
    }

    private static func range(_ arguments: CallArguments) throws(TemplateFailure) -> [TemplateValue] {
        guard arguments.keywords.isEmpty else { throw .runtime("range() takes no keyword arguments") }
        var bounds: [Int] = []
        for value in arguments.positional {
            guard let number = value.integerValue else {
                if case .undefined(let message) = value { throw .undefined(message) }
                throw .runtime("'\(value.typeName)' object cannot be interpreted as an integer")
            }
            bounds.append(number)
        }
        let (start, stop, step): (Int, Int, Int)
        switch bounds.count {
        case 1: (start, stop, step) = (0, bounds[0], 1)
        case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
        case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
        default: throw .runtime("range expected 1 to 3 arguments, got \(bounds.count)")
        }
        guard step != 0 else { throw .runtime("range() arg 3 must not be zero") }
        let span = step > 0 ? Double(stop) - Double(start) : Double(start) - Double(stop)
        let count = span <= 0 ? 0 : Int((span / Double(Swift.abs(step))).rounded(.up))
        guard count <= TemplateLimits.listCount else {
            throw .limit("range() of \(count) numbers is more than the limit of \(TemplateLimits.listCount)")
        }
        return (0..<count).map { .int(start + $0 * step) }
    }
}

/// Python's `datetime.now().strftime(format)` for the common codes (C/English locale, local time zone).
enum PythonStrftime {
    static func format(_ date: Date, _ format: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second, .weekday, .nanosecond], from: date)
        let year = parts.year ?? 1970
        let month = parts.month ?? 1
        let day = parts.day ?? 1
        let hour = parts.hour ?? 0
        let weekday = ((parts.weekday ?? 1) + 5) % 7  // Monday = 0
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
        let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var out = ""
        var scalars = format.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else { out.unicodeScalars.append(scalar); continue }
            guard var code = scalars.next() else { out += "%"; break }
            var unpadded = false
            if code == "-", let next = scalars.next() {
                unpadded = true
                code = next
            }
            let pad: (Int) -> String = { unpadded ? String($0) : two($0) }
            switch code {
            case "Y": out += String(year)
            case "y": out += two(year % 100)
            case "m": out += pad(month)
            case "d": out += pad(day)
            case "e": out += day < 10 ? " \(day)" : String(day)
            case "H": out += pad(hour)
            case "I": out += pad(hour % 12 == 0 ? 12 : hour % 12)
            case "M": out += pad(parts.minute ?? 0)
            case "S": out += pad(parts.second ?? 0)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "B": out += months[month - 1]
            case "b", "h": out += String(months[month - 1].prefix(3))
            case "A": out += days[weekday]
            case "a": out += String(days[weekday].prefix(3))
            case "j": out += unpadded ? String(dayOfYear) : String(repeating: "0", count: 3 - String(dayOfYear).count) + String(dayOfYear)
            case "f": out += String(format: "%06d", (parts.nanosecond ?? 0) / 1000)
            case "%": out += "%"
            default:
                out += "%" + (unpadded ? "-" : "") + String(code)
            }
        }
        return out
    }
}
