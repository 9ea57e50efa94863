import DigitsCore
import DigitsTestSupport
import Testing

/// The row-major matrix: construction, indexing, resizing and transposing (non-trapping paths only).
@Suite("Matrix")
struct MatrixTests {
    @Test("The initialisers agree on row-major layout")
    func initialisers() {
        let nested = Matrix([[1, 2, 3], [4, 5, 6]])
        let flat = Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(nested == flat)
        #expect(nested.rows == 2 && nested.columns == 3 && nested.elements.count == 6)
        #expect(nested[0, 2] == 3 && nested[1, 0] == 4)  // element [r, c] is elements[r·columns + c]
        #expect(nested.row(1) == [4, 5, 6])
        #expect(nested.shape == (2, 3))

        let filled = Matrix(rows: 3, columns: 2, repeating: 7)
        #expect(filled.elements == [Float](repeating: 7, count: 6))
        #expect(Matrix(rows: 2, columns: 2).elements == [0, 0, 0, 0])
    }

    @Test("Empty matrices are valid: 0 × n, n × 0, and from no rows")
    func emptyMatrices() {
        #expect(Matrix([]).shape == (0, 0))
        #expect(Matrix(rows: 0, columns: 5).elements.isEmpty)
        #expect(Matrix(rows: 4, columns: 0).elements.isEmpty)
        #expect(Matrix([[], []]).shape == (2, 0))
        #expect(Matrix(rows: 0, columns: 5).transposed.shape == (5, 0))
    }

    @Test("Equality compares shape as well as elements")
    func equality() {
        let a = Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(a != Matrix(rows: 3, columns: 2, elements: [1, 2, 3, 4, 5, 6]))
        var b = a
        b[1, 2] = 6.5
        #expect(a != b)
        b[1, 2] = 6
        #expect(a == b)
    }

    @Test("resize keeps the leading rows when shrinking and growing, and pads with zeros")
    func resizeKeepsLeadingRows() {
        var m = Matrix.sinePattern(rows: 5, columns: 3)
        let original = m
        m.resize(rows: 2)
        #expect(m.shape == (2, 3))
        #expect(m.elements == Array(original.elements[0..<6]))
        m.resize(rows: 4)
        #expect(m.shape == (4, 3))
        #expect(m.row(0) == original.row(0) && m.row(1) == original.row(1))
        #expect(m.row(2) == [0, 0, 0] && m.row(3) == [0, 0, 0])
        m.resize(rows: 4)
        #expect(m.rows == 4, "same size: no change")
        m.resize(rows: 0)
        #expect(m.shape == (0, 3) && m.elements.isEmpty)
        m.resize(rows: 1)
        #expect(m == Matrix(rows: 1, columns: 3))
    }

    @Test("reserveRows changes nothing visible")
    func reserveRows() {
        var m = Matrix.sinePattern(rows: 2, columns: 3)
        let before = m
        m.reserveRows(64)
        #expect(m == before)
        m.resize(rows: 64)
        m.resize(rows: 2)
        #expect(m == before)
    }

    @Test("transposed swaps rows and columns; twice is the identity", arguments: [(1, 1), (1, 7), (7, 1), (2, 3), (5, 7)])
    func transposed(rows: Int, columns: Int) {
        let m = Matrix.sinePattern(rows: rows, columns: columns)
        let t = m.transposed
        #expect(t.shape == (columns, rows))
        for r in 0..<rows {
            for c in 0..<columns { #expect(t[c, r] == m[r, c]) }
        }
        #expect(t.transposed == m)
    }

    @Test("description names the shape and lists the rows")
    func description() {
        let text = Matrix([[1, 2], [3, 4], [5, 6]]).description
        #expect(text.hasPrefix("Matrix(3 × 2)"))
        #expect(text.contains("[3.0, 4.0]"))
    }
}
