/// A piece of an HTML page, built as a tree so that text is escaped by construction: a class label or
/// a file name from a user is always a `.text` or an attribute value, and can never become markup.
///
/// Why a tree of our own rather than Plot, Stencil or Mustache from the mirror: the reports need a
/// dozen element kinds plus inline SVG with `data-`/`aria-` attributes, and a 60-line type whose one
/// escaping rule is tested covers that without a new dependency for every module that links this one;
/// a template language would move the markup into strings the compiler cannot check.
public indirect enum HTMLNode: Equatable, Sendable {
    /// An element; attributes in the order given, their values escaped.
    case element(String, attributes: [HTMLAttribute], children: [HTMLNode])
    /// Text, escaped when written.
    case text(String)
    /// Markup written by this module itself (the style sheet, the script), never anything from data.
    case trusted(String)

    /// Elements that have no end tag in HTML.
    static let voidElements: Set<String> = ["meta", "img", "br", "hr", "input", "link"]

    /// The node as HTML text.
    public var rendered: String {
        var output = ""
        write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case .text(let text): output += escapedHTML(text)
        case .trusted(let markup): output += markup
        case .element(let name, let attributes, let children):
            output += "<" + name
            for attribute in attributes {
                output += " " + attribute.name + "=\"" + escapedHTML(attribute.value) + "\""
            }
            output += ">"
            if Self.voidElements.contains(name) { return }
            for child in children { child.write(to: &output) }
            output += "</" + name + ">"
        }
    }
}

/// One attribute of an element; the name is a constant of this module, the value may come from data.
public struct HTMLAttribute: Equatable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// `h("td", ["class": "n"], .text("3"))`: an element with attributes and children.
func h(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: HTMLNode...) -> HTMLNode {
    .element(name, attributes: attributes.map { HTMLAttribute($0.key, $0.value) }, children: children)
}

/// The same with the children as an array (built by a loop).
func h(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], children: [HTMLNode]) -> HTMLNode {
    .element(name, attributes: attributes.map { HTMLAttribute($0.key, $0.value) }, children: children)
}

/// Escapes the five characters that can end text or an attribute value: `& < > " '`.
public func escapedHTML(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\"": output += "&quot;"
        case "'": output += "&#39;"
        default: output.unicodeScalars.append(character)
        }
    }
    return output
}

/// JSON text made safe inside `<script type="application/json">`: `<` only occurs inside JSON strings,
/// where `\u003c` means the same character, so no `</script>` or `<!--` in a label can end the element.
func scriptSafeJSON(_ json: String) -> String {
    json.replacingAll("<", with: "\\u003c")
}

extension String {
    /// Every `target` replaced (no Foundation in this module).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        output.reserveCapacity(utf8.count)
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}

/// Standard base64 with padding (RFC 4648), for `data:` URIs of the small PNGs.
func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
        let b0 = UInt32(bytes[index])
        let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
        let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
        let triple = b0 << 16 | b1 << 8 | b2
        output.append(alphabet[Int(triple >> 18 & 63)])
        output.append(alphabet[Int(triple >> 12 & 63)])
        output.append(index + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
        output.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
        index += 3
    }
    return String(decoding: output, as: UTF8.self)
}
