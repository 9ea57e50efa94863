// Number and column formatting shared by the text and picture reports.

/// Right-aligns `text` in `width` characters (never truncates).
func rightAligned(_ text: String, width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `0.981234` → `"0.9812"`: four decimals, enough to tell models apart, short enough for a table.
func decimalText(_ value: Double, decimals: Int = 4) -> String {
    let scale = pow10(decimals)
    let scaled = Int((value * Double(scale)).rounded())
    let whole = scaled / scale, fraction = abs(scaled % scale)
    let fractionText = String(fraction)
    let sign = value < 0 && scaled != 0 && whole == 0 ? "-" : ""
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
}

/// `0.981` → `"98.10%"`.
func percentText(_ fraction: Double) -> String { decimalText(fraction * 100, decimals: 2) + "%" }

private func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { r, _ in r * 10 } }
