import Foundation
import Testing

@testable import DigitsModel

@Suite struct TrimmingSpacesTests {
    @Test("trimmingSpaces removes what trimmingCharacters(in: .whitespaces) removes, and nothing else")
    func matchesFoundation() {
        let texts = [
            "256", " 256", "256 ", "\t256\t", "\u{3000}256\u{00A0}", "\u{2003}1\u{202F}", "\n256", "256\n", "2 5 6",
            "", "   ", "\u{2028}256", "256\u{85}", " \u{301}256", "256 \u{301}", "１２"
        ]
        for text in texts {
            #expect(trimmingSpaces(Substring(text)) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }
}
