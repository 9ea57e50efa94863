// Decoding a JPEG held in memory to 8-bit grey with libjpeg(-turbo), without ever ending the process.
//
// libjpeg's default error handler calls exit(); Swift cannot setjmp. This shim installs an error
// manager that longjmps back here and returns a status with libjpeg's message instead, so a broken
// file is an error value like any other. See jpeg_decoder.c.
#ifndef DIGITS_JPEG_DECODER_H
#define DIGITS_JPEG_DECODER_H

#include <stddef.h>

enum {
    DIGITS_JPEG_OK = 0,
    /// libjpeg refused the data, or it was truncated or corrupt; `message` says why.
    DIGITS_JPEG_CORRUPT = 1,
    /// The header's width or height is over `side_limit`; `width` and `height` are set, nothing was decoded.
    DIGITS_JPEG_TOO_LARGE = 2,
    /// Out of memory for the pixels (or over `memory_limit` inside libjpeg: then CORRUPT with its message).
    DIGITS_JPEG_NO_MEMORY = 3,
};

/// Components of the file, as the header says (for messages and tests).
enum {
    DIGITS_JPEG_GRAY = 1,
    DIGITS_JPEG_YCBCR = 2,
    DIGITS_JPEG_RGB = 3,
    DIGITS_JPEG_CMYK = 4,
    DIGITS_JPEG_YCCK = 5,
    DIGITS_JPEG_OTHER = 6,
};

typedef struct {
    int status;
    int width;
    int height;
    /// One of DIGITS_JPEG_GRAY…OTHER once the header was read, else 0.
    int colour_space;
    /// 1 when CMYK samples were stored inverted (an Adobe APP14 marker, as Photoshop writes them).
    int inverted_cmyk;
    /// Progressive (multi-scan) file.
    int progressive;
    /// libjpeg's message when status is not OK; empty otherwise.
    char message[200];
} digits_jpeg_result;

/// Decodes `size` bytes at `data` to grey, row-major, `width * height` bytes, 0 = black; the caller
/// frees the returned buffer with free(). Returns NULL, with `result->status` saying why, on failure.
///
/// - side_limit: width or height above this is refused from the header, before any pixel is decoded.
/// - memory_limit: bytes libjpeg may allocate for its own work (a progressive image keeps all its
///   coefficients, 2 bytes per sample); 0 means libjpeg's default.
/// - scan_limit: a progressive file with more scans than this is refused (each scan re-reads the
///   whole coefficient array: a small hostile file with thousands of scans takes minutes otherwise).
///
/// Colour becomes grey by luminance (Y of YCbCr, or 0.299 R + 0.587 G + 0.114 B); CMYK becomes
/// RGB as R = (1 − C)(1 − K) and so on, and then grey. Corrupt-data warnings (premature end of file,
/// bad Huffman code, …) are errors: half a digit is not a digit.
unsigned char *digits_jpeg_decode_gray(const unsigned char *data, size_t size, int side_limit,
                                       long memory_limit, int scan_limit, digits_jpeg_result *result);

#endif
