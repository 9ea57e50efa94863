extension RGBCanvas {
    /// A straight line `width` pixels thick from (x0, y0) to (x1, y1): squares stamped along the
    /// longer axis, one per step, which is all a curve of a few hundred points needs.
    public mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, width: Int = 2, color: RGBColor) {
        let steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        let half = width / 2
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            let x = Int((Double(x0) + Double(x1 - x0) * t).rounded())
            let y = Int((Double(y0) + Double(y1 - y0) * t).rounded())
            fillRect(x: x - half, y: y - half, width: width, height: width, color: color)
        }
    }
}
