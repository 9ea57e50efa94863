extension ConfusionMatrix {
    /// A plain-text report for a terminal: accuracy, a per-class table, the confusion matrix
    /// and the most-confused pairs.
    ///
    /// In the matrix the diagonal is bracketed (`[970]`) and zeros are shown as `·`, so the
    /// mistakes stand out even without colour. With `colour` true, ANSI escapes make the
    /// diagonal bold and tint each non-zero mistake by its share of the true class's row
    /// (yellow under 1 %, red from 1 %, bold red from 5 %). The caller decides `colour`
    /// (from `isatty` and `NO_COLOR`); this module never looks at the terminal.
    public func terminalReport(colour: Bool = false, mostConfusedLimit: Int = 5) -> String {
        var lines: [String] = []
        lines.append("Accuracy: \(percent(accuracy)) (\(correct) of \(count) correct)")
        lines.append("")
        lines += perClassTable()
        lines.append("")
        lines.append("Confusion matrix (rows = true digit, columns = predicted):")
        lines += matrixTable(colour: colour)
        let pairs = mostConfused(limit: mostConfusedLimit)
        if !pairs.isEmpty {
            lines.append("")
            lines.append("Most confused (true → predicted):")
            for pair in pairs {
                let share = percent(Double(pair.count) / Double(max(1, support(pair.truth))))
                lines.append("  \(pair.truth) → \(pair.predicted): \(pair.count)  (\(share) of \(pair.truth)s)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func perClassTable() -> [String] {
        let supportWidth = max("support".count, String(count).count)
        let header = pad("digit", 5) + pad("precision", 11) + pad("recall", 8) + pad("F1", 8) + pad("support", supportWidth + 2)
        var lines = [header]
        for m in perClass {
            lines.append(pad(String(m.digit), 5) + pad(fixed(m.precision), 11) + pad(fixed(m.recall), 8)
                         + pad(fixed(m.f1), 8) + pad(String(m.support), supportWidth + 2))
        }
        lines.append(pad("macro", 5) + pad(fixed(macroPrecision), 11) + pad(fixed(macroRecall), 8)
                     + pad(fixed(macroF1), 8) + pad(String(count), supportWidth + 2))
        return lines
    }

    private func matrixTable(colour: Bool) -> [String] {
        // Each cell is right-aligned with room for a bracket either side; digits line up in every column.
        let numberWidth = max(String(classes - 1).count, String(counts.max() ?? 0).count)
        let cellWidth = numberWidth + 3
        let labelWidth = max("true".count, String(classes - 1).count)
        var header = pad("true", labelWidth) + " │"
        for predicted in 0..<classes { header += pad(String(predicted) + " ", cellWidth) }
        var lines = [header, String(repeating: "─", count: labelWidth + 1) + "┼" + String(repeating: "─", count: cellWidth * classes)]
        for truth in 0..<classes {
            var line = pad(String(truth), labelWidth) + " │"
            let rowTotal = support(truth)
            for predicted in 0..<classes {
                let value = self[truth: truth, predicted: predicted]
                let text: String
                if predicted == truth {
                    text = pad("[" + String(value) + "]", cellWidth)
                } else {
                    text = pad((value == 0 ? "·" : String(value)) + " ", cellWidth)
                }
                line += colour ? ansi(text, style: cellStyle(value: value, rowTotal: rowTotal, diagonal: predicted == truth)) : text
            }
            lines.append(line)
        }
        return lines
    }

    private func cellStyle(value: Int, rowTotal: Int, diagonal: Bool) -> String? {
        if diagonal { return "1" }
        if value == 0 { return "2" }
        let share = Double(value) / Double(max(1, rowTotal))
        if share >= 0.05 { return "1;31" }
        if share >= 0.01 { return "31" }
        return "33"
    }
}

private func ansi(_ text: String, style: String?) -> String {
    guard let style else { return text }
    return "\u{1B}[\(style)m" + text + "\u{1B}[0m"
}

/// Right-aligns `text` in `width` characters (never truncates).
func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `0.981234` → `"0.9812"`: four decimals, enough to tell models apart, short enough for a table.
func fixed(_ value: Double, decimals: Int = 4) -> String {
    let scale = pow10(decimals)
    let scaled = Int((value * Double(scale)).rounded())
    let whole = scaled / scale, fraction = abs(scaled % scale)
    let fractionText = String(fraction)
    let sign = value < 0 && scaled != 0 && whole == 0 ? "-" : ""
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
}

/// `0.981` → `"98.10%"`.
func percent(_ fraction: Double) -> String { fixed(fraction * 100, decimals: 2) + "%" }

private func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { r, _ in r * 10 } }
