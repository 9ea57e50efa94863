extension ConfusionMatrix {
    /// A plain-text report for a terminal: accuracy, a per-class table, the confusion matrix
    /// and the most-confused pairs.
    ///
    /// In the matrix the diagonal is bracketed (`[970]`) and zeros are shown as `·`, so the
    /// mistakes stand out even without colour. With `colour` true, ANSI escapes make the
    /// diagonal bold and tint each non-zero mistake by its share of the true class's row
    /// (yellow under 1 %, red from 1 %, bold red from 5 %). The caller decides `colour`
    /// (from `isatty` and `NO_COLOR`); this module never looks at the terminal.
    /// No trailing newline, so `print` gives exactly one. `unreadableReason` says what the unreadable
    /// images are: "with no ink" for a data set's; a folder's also hold pictures that could not be decoded.
    public func terminalReport(colour: Bool = false, mostConfusedLimit: Int = 5, unreadableReason: String = "with no ink")
        -> String
    {
        var lines: [String] = []
        lines.append("Accuracy: \(percentText(accuracy)) (\(correct) of \(count) correct)")
        if unreadable > 0 {
            lines.append("Unreadable: \(unreadable) image\(unreadable == 1 ? "" : "s") \(unreadableReason), counted as mistakes")
        }
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
                let share = percentText(Double(pair.count) / Double(max(1, support(pair.truth))))
                lines.append("  \(pair.truth) → \(pair.predicted): \(pair.count)  (\(share) of \(pair.truth)s)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func perClassTable() -> [String] {
        let supportWidth = max("support".count, String(count).count) + 2
        func line(_ cells: [String]) -> String {
            zip(cells, [8, 11, 8, 8, supportWidth]).map { rightAligned($0, width: $1) }.joined()
        }
        var lines = [line(["digit", "precision", "recall", "F1", "support"])]
        for m in perClass {
            lines.append(line([String(m.digit), decimalText(m.precision), decimalText(m.recall), decimalText(m.f1), String(m.support)]))
        }
        for average in averages {
            lines.append(
                line([
                    average.name, decimalText(average.precision), decimalText(average.recall), decimalText(average.f1),
                    String(average.support)
                ]))
        }
        return lines
    }

    private func matrixTable(colour: Bool) -> [String] {
        // Each cell is right-aligned with room for a bracket either side; digits line up in every column.
        let numberWidth = max(String(classes - 1).count, String(counts.max() ?? 0).count)
        let cellWidth = numberWidth + 3
        let labelWidth = max("true".count, String(classes - 1).count)
        var header = rightAligned("true", width: labelWidth) + " │"
        for predicted in 0..<classes { header += rightAligned(String(predicted) + " ", width: cellWidth) }
        var lines = [header, String(repeating: "─", count: labelWidth + 1) + "┼" + String(repeating: "─", count: cellWidth * classes)]
        for truth in 0..<classes {
            var line = rightAligned(String(truth), width: labelWidth) + " │"
            let rowTotal = support(truth)
            for predicted in 0..<classes {
                let value = self[truth: truth, predicted: predicted]
                let text: String
                if predicted == truth {
                    text = rightAligned("[" + String(value) + "]", width: cellWidth)
                } else {
                    text = rightAligned((value == 0 ? "·" : String(value)) + " ", width: cellWidth)
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
