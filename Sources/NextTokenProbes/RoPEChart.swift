#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws RoPE probe rows as an SVG line chart: three panels (F_loc, F_cons, S_pos) against the
/// context length on a log scale, one line per series (per-layer captured rows are left out;
/// their per-type means are drawn).
public enum RoPEChart {
    private static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
                                  "#17becf", "#7f7f7f", "#bcbd22"]
    private static let panelWidth = 300.0
    private static let panelHeight = 220.0
    private static let margin = (left: 50.0, top: 40.0, gap: 40.0, bottom: 50.0)

    /// The SVG document for `rows`.
    public static func svg(_ rows: [RoPEMeasurement], title: String = "RoPE locality and consistency") -> String {
        let drawn = rows.filter { $0.layer == nil }
        var names: [String] = []
        for row in drawn where !names.contains(row.seriesName) { names.append(row.seriesName) }
        let series = names.map { name in drawn.filter { $0.seriesName == name }.sorted { $0.length < $1.length } }
        let lengths = Array(Set(drawn.map(\.length))).sorted()
        let width = margin.left + 3 * panelWidth + 2 * margin.gap + 20
        let legendHeight = Double(series.count) * 16 + 10
        let height = margin.top + panelHeight + margin.bottom + legendHeight
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(Int(width / 2))" y="20" text-anchor="middle" font-size="14">\(escape(title))</text>

        """
        let panels: [(String, KeyPath<RoPEMeasurement, Double>)] = [
            ("F_loc (nearer key not favoured)", \.localityFailure),
            ("F_cons (key order flips)", \.consistencyFailure),
            ("S_pos (position sensitivity)", \.positionSensitivity),
        ]
        for (index, (label, value)) in panels.enumerated() {
            let left = margin.left + Double(index) * (panelWidth + margin.gap)
            let maximum = drawn.map { $0[keyPath: value] }.max() ?? 1
            let top = index < 2 ? max(0.6, maximum * 1.05) : max(0.2, maximum * 1.1)
            svg += panel(left: left, label: label, lengths: lengths, top: top, halfLine: index < 2)
            for (number, rows) in series.enumerated() {
                let points = rows.map { row in
                    "\(format(x(row.length, lengths: lengths, left: left))),\(format(y(row[keyPath: value], top: top)))"
                }
                let color = palette[number % palette.count]
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" points=\"\(points.joined(separator: " "))\"/>\n"
                for point in points {
                    let xy = point.split(separator: ",")
                    svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2.5\" fill=\"\(color)\"/>\n"
                }
            }
        }
        let legendTop = margin.top + panelHeight + margin.bottom
        for (number, rows) in series.enumerated() {
            let yPosition = legendTop + Double(number) * 16
            let color = palette[number % palette.count]
            svg += "<line x1=\"\(format(margin.left))\" y1=\"\(format(yPosition))\" x2=\"\(format(margin.left + 24))\" "
                + "y2=\"\(format(yPosition))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(format(margin.left + 30))\" y=\"\(format(yPosition + 4))\">"
                + "\(escape(rows.first?.seriesName ?? ""))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Axes, ticks and label of one panel.
    private static func panel(left: Double, label: String, lengths: [Int], top: Double, halfLine: Bool) -> String {
        let bottom = margin.top + panelHeight
        var svg = "<rect x=\"\(format(left))\" y=\"\(format(margin.top))\" width=\"\(format(panelWidth))\" "
            + "height=\"\(format(panelHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        svg += "<text x=\"\(format(left + panelWidth / 2))\" y=\"\(format(margin.top - 8))\" text-anchor=\"middle\">"
            + "\(escape(label))</text>\n"
        for length in lengths {
            let xPosition = format(x(length, lengths: lengths, left: left))
            svg += "<line x1=\"\(xPosition)\" y1=\"\(format(bottom))\" x2=\"\(xPosition)\" y2=\"\(format(bottom + 4))\" stroke=\"#444\"/>\n"
            svg += "<text x=\"\(xPosition)\" y=\"\(format(bottom + 16))\" text-anchor=\"middle\">\(lengthLabel(length))</text>\n"
        }
        for step in 0 ... 4 {
            let value = top * Double(step) / 4
            let yPosition = format(y(value, top: top))
            svg += "<line x1=\"\(format(left - 4))\" y1=\"\(yPosition)\" x2=\"\(format(left))\" y2=\"\(yPosition)\" stroke=\"#444\"/>\n"
            svg += "<text x=\"\(format(left - 6))\" y=\"\(yPosition)\" dy=\"4\" text-anchor=\"end\">\(format(value, digits: 2))</text>\n"
        }
        if halfLine {
            let yPosition = format(y(0.5, top: top))
            svg += "<line x1=\"\(format(left))\" y1=\"\(yPosition)\" x2=\"\(format(left + panelWidth))\" y2=\"\(yPosition)\" "
                + "stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        }
        svg += "<text x=\"\(format(left + panelWidth / 2))\" y=\"\(format(bottom + 34))\" text-anchor=\"middle\">"
            + "context length L</text>\n"
        return svg
    }

    private static func x(_ length: Int, lengths: [Int], left: Double) -> Double {
        guard let first = lengths.first, let last = lengths.last, last > first else { return left + panelWidth / 2 }
        let span = log2(Double(last)) - log2(Double(first))
        return left + 10 + (panelWidth - 20) * (log2(Double(length)) - log2(Double(first))) / span
    }

    private static func y(_ value: Double, top: Double) -> Double {
        margin.top + panelHeight * (1 - min(max(value / top, 0), 1))
    }

    private static func lengthLabel(_ length: Int) -> String {
        length >= 1024 && length % 1024 == 0 ? "\(length / 1024)k" : "\(length)"
    }

    private static func format(_ value: Double, digits: Int = 1) -> String {
        var scale = 1.0
        for _ in 0 ..< digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return rounded == rounded.rounded() && digits <= 1 ? "\(Int(rounded))" : "\(rounded)"
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
