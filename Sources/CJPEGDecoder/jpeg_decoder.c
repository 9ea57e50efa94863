// See include/jpeg_decoder.h. The structure follows libjpeg's own example.c: an error manager whose
// error_exit longjmps to the setjmp in the one function that owns the decompressor.
#include "jpeg_decoder.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;   // first, so a j_common_ptr's err can be cast to this
    jmp_buf escape;
    char *message;               // result->message, JMSG_LENGTH_MAX bytes
} error_manager;

typedef struct {
    struct jpeg_progress_mgr pub;
    int scan_limit;
} progress_manager;

/// Instead of exit(): keep libjpeg's message and jump back to digits_jpeg_decode_gray.
static void escape_with_message(j_common_ptr cinfo) {
    error_manager *manager = (error_manager *)cinfo->err;
    manager->pub.format_message(cinfo, manager->message);
    longjmp(manager->escape, 1);
}

/// Warnings (level −1) about damaged data end the decoding like errors; the harmless ones
/// (stray bytes between markers, an unknown JFIF revision or Adobe transform, a bad ICC profile,
/// which we do not use) are ignored, and so are trace messages (level ≥ 0). Nothing is printed.
static void handle_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    switch (cinfo->err->msg_code) {
    case JWRN_EXTRANEOUS_DATA:
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
    case JWRN_BOGUS_ICC:
        return;
    default:
        escape_with_message(cinfo);
    }
}

/// Never print: a message libjpeg wants to show goes nowhere (errors are reported by the caller).
static void print_nothing(j_common_ptr cinfo) { (void)cinfo; }

static void count_scans(j_common_ptr common) {
    progress_manager *progress = (progress_manager *)common->progress;
    j_decompress_ptr cinfo = (j_decompress_ptr)common;
    if (progress->scan_limit > 0 && cinfo->input_scan_number > progress->scan_limit) {
        error_manager *manager = (error_manager *)common->err;
        snprintf(manager->message, JMSG_LENGTH_MAX, "more than %d scans in a progressive JPEG",
                 progress->scan_limit);
        longjmp(manager->escape, 1);
    }
}

static int colour_space_code(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return DIGITS_JPEG_GRAY;
    case JCS_YCbCr: return DIGITS_JPEG_YCBCR;
    case JCS_RGB: return DIGITS_JPEG_RGB;
    case JCS_CMYK: return DIGITS_JPEG_CMYK;
    case JCS_YCCK: return DIGITS_JPEG_YCCK;
    default: return DIGITS_JPEG_OTHER;
    }
}

/// 0.299 R + 0.587 G + 0.114 B in fixed point (the weights of JFIF's Y, which libjpeg uses for YCbCr → grey).
static unsigned char luminance(unsigned int r, unsigned int g, unsigned int b) {
    return (unsigned char)((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
}

unsigned char *digits_jpeg_decode_gray(const unsigned char *data, size_t size, int side_limit,
                                       long memory_limit, int scan_limit, digits_jpeg_result *result) {
    memset(result, 0, sizeof *result);
    struct jpeg_decompress_struct cinfo;
    error_manager errors;
    progress_manager progress;
    // Written after setjmp and read after a longjmp: volatile, so its value is not lost in a register.
    unsigned char *volatile pixels = NULL;
    JSAMPLE *volatile row = NULL;

    cinfo.err = jpeg_std_error(&errors.pub);
    errors.pub.error_exit = escape_with_message;
    errors.pub.emit_message = handle_message;
    errors.pub.output_message = print_nothing;
    errors.message = result->message;
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        free(row);
        result->status = DIGITS_JPEG_CORRUPT;
        return NULL;
    }
    jpeg_create_decompress(&cinfo);
    if (memory_limit > 0) cinfo.mem->max_memory_to_use = memory_limit;
    progress.pub.progress_monitor = count_scans;
    progress.scan_limit = scan_limit;
    cinfo.progress = &progress.pub;

    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    result->width = (int)cinfo.image_width;
    result->height = (int)cinfo.image_height;
    result->colour_space = colour_space_code(cinfo.jpeg_color_space);
    result->progressive = cinfo.progressive_mode ? 1 : 0;
    if ((long)cinfo.image_width > side_limit || (long)cinfo.image_height > side_limit) {
        jpeg_destroy_decompress(&cinfo);
        result->status = DIGITS_JPEG_TOO_LARGE;
        return NULL;
    }

    // Grey and YCbCr: libjpeg gives grey itself (Y). RGB: samples, averaged here. CMYK and YCCK:
    // libjpeg gives CMYK, which is made RGB here (an Adobe marker means the samples are stored inverted).
    int channels;
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
        cinfo.out_color_space = JCS_GRAYSCALE; channels = 1; break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo.out_color_space = JCS_CMYK; channels = 4; break;
    default:
        cinfo.out_color_space = JCS_RGB; channels = 3; break;
    }
    result->inverted_cmyk = channels == 4 && cinfo.saw_Adobe_marker ? 1 : 0;
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_components != channels) {
        snprintf(result->message, JMSG_LENGTH_MAX, "%d colour components where %d were expected",
                 cinfo.output_components, channels);
        longjmp(errors.escape, 1);
    }
    const size_t width = cinfo.output_width, height = cinfo.output_height;
    pixels = malloc(width * height > 0 ? width * height : 1);
    row = malloc(width * (size_t)channels > 0 ? width * (size_t)channels : 1);
    if (pixels == NULL || row == NULL) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        free(row);
        result->status = DIGITS_JPEG_NO_MEMORY;
        return NULL;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        unsigned char *out = pixels + (size_t)cinfo.output_scanline * width;
        JSAMPROW rows[1] = { row };
        if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) {
            snprintf(result->message, JMSG_LENGTH_MAX, "libjpeg stopped at row %u of %zu",
                     cinfo.output_scanline, height);
            longjmp(errors.escape, 1);
        }
        const unsigned char *in = row;
        switch (channels) {
        case 1:
            memcpy(out, in, width);
            break;
        case 3:
            for (size_t x = 0; x < width; x++, in += 3) out[x] = luminance(in[0], in[1], in[2]);
            break;
        default:
            for (size_t x = 0; x < width; x++, in += 4) {
                // Ink amounts c, m, y, k in 0…255; inverted files store 255 − ink.
                unsigned int c = in[0], m = in[1], y = in[2], k = in[3];
                if (!result->inverted_cmyk) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
                // Now each is 255 − ink: R = (1 − C)(1 − K) is c·k/255.
                out[x] = luminance((c * k + 127) / 255, (m * k + 127) / 255, (y * k + 127) / 255);
            }
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    result->width = (int)width;
    result->height = (int)height;
    return pixels;
}
