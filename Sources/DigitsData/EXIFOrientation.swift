/// The EXIF orientation tag (0x0112) of a JPEG: how the stored pixels must be turned to be seen
/// upright. Phones store the sensor's rows as they come and record the turn here.
///
/// Values 1…8, as TIFF 6.0 defines them by where the stored row 0 and column 0 belong when shown:
///
/// | value | row 0 is the | column 0 is the | to show it |
/// | --- | --- | --- | --- |
/// | 1 | top | left | as stored |
/// | 2 | top | right | mirror left–right |
/// | 3 | bottom | right | turn 180° |
/// | 4 | bottom | left | mirror top–bottom |
/// | 5 | left | top | transpose (mirror along the main diagonal) |
/// | 6 | right | top | turn 90° clockwise |
/// | 7 | right | bottom | transverse (mirror along the other diagonal) |
/// | 8 | left | bottom | turn 90° anticlockwise |
///
/// Parsing is bounded and trusts nothing: the marker walk stops at the first scan, every length and
/// offset is checked against the bytes, and only IFD0 is read (no IFD chain is followed, so a lying
/// offset can neither loop nor reach outside the segment). Anything unexpected means "no orientation".
public struct EXIFOrientation: RawRepresentable, Equatable, Sendable {
    public let rawValue: Int

    public init?(rawValue: Int) {
        guard (1...8).contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// The orientation recorded in a JPEG's first APP1 Exif segment, or nil when there is none or it is malformed.
    public init?(jpeg bytes: [UInt8]) {
        guard let tiff = Self.exifPayload(in: bytes), let value = Self.orientation(inTIFF: tiff) else { return nil }
        self.init(rawValue: value)
    }

    /// The TIFF structure inside the first `APP1` segment that starts with `Exif\0\0`.
    static func exifPayload(in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        // Each step moves forward by at least two bytes, so the walk ends within count / 2 steps.
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }  // not at a marker: stop looking
            let marker = bytes[offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }  // fill byte before a marker
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                offset += 2
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return nil }  // start of scan / end of image: no more headers
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let end = offset + 2 + length
            guard length >= 2, end <= bytes.count else { return nil }
            let body = bytes[(offset + 4)..<end]
            if marker == 0xE1, body.starts(with: Array("Exif\0\0".utf8)) {
                return body.dropFirst(6)
            }
            offset = end
        }
        return nil
    }

    /// Tag 0x0112 of IFD0 in a TIFF structure (`II` little-endian or `MM` big-endian), if it is a SHORT.
    static func orientation(inTIFF tiff: ArraySlice<UInt8>) -> Int? {
        let base = tiff.startIndex
        let count = tiff.count
        guard count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[base], tiff[base + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= count else { return nil }
            let (a, b) = (Int(tiff[base + at]), Int(tiff[base + at + 1]))
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let low = u16(littleEndian ? at : at + 2), let high = u16(littleEndian ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        // At most as many entries as fit in the bytes after the count.
        let available = max(0, (count - ifd - 2) / 12)
        for index in 0..<min(entries, available) {
            let entry = ifd + 2 + 12 * index
            guard u16(entry) == 0x0112 else { continue }
            // Type 3 (SHORT), one value, held in the first two bytes of the value field.
            guard u16(entry + 2) == 3, u32(entry + 4) == 1 else { return nil }
            return u16(entry + 8)
        }
        return nil
    }
}

extension GrayImage {
    /// The image turned upright as `orientation` says (see `EXIFOrientation`).
    public func displayed(as orientation: EXIFOrientation) -> GrayImage {
        let (w, h) = (width, height)
        let swaps = orientation.rawValue >= 5
        let (outWidth, outHeight) = swaps ? (h, w) : (w, h)
        // For each shown pixel (x, y): the stored pixel it comes from.
        let source: (Int, Int) -> Int
        switch orientation.rawValue {
        case 2: source = { x, y in y * w + (w - 1 - x) }
        case 3: source = { x, y in (h - 1 - y) * w + (w - 1 - x) }
        case 4: source = { x, y in (h - 1 - y) * w + x }
        case 5: source = { x, y in x * w + y }  // stored column y, row x
        case 6: source = { x, y in (h - 1 - x) * w + y }  // stored row 0 is shown on the right
        case 7: source = { x, y in (h - 1 - x) * w + (w - 1 - y) }
        case 8: source = { x, y in x * w + (w - 1 - y) }  // stored row 0 is shown on the left
        default: return self
        }
        var shown = [Float](repeating: 0, count: w * h)
        pixels.withUnsafeBufferPointer { stored in
            for y in 0..<outHeight {
                for x in 0..<outWidth { shown[y * outWidth + x] = stored[source(x, y)] }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: shown)
    }
}
