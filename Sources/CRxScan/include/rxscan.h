#ifndef RXSCAN_H
#define RXSCAN_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Which of 64 bytes are commas, line feeds, or need the careful path (a quote, a carriage
/// return or a byte >= 0x80): bit i of each mask describes byte i.
typedef struct {
    uint64_t comma;
    uint64_t newline;
    uint64_t special;
} rx_byte_masks;

/// Classifies the 64 bytes at `p` (all must be readable). Inline, so the Swift caller's loop
/// keeps it in registers: 16 bytes per compare with SSE2 (every x86-64), else one byte at a time.
static inline rx_byte_masks rx_classify64(const uint8_t *p) {
    rx_byte_masks masks = {0, 0, 0};
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i carriage = _mm_set1_epi8('\r');
    for (int block = 0; block < 4; block++) {
        const __m128i bytes = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * block));
        const uint64_t shift = 16 * (uint64_t)block;
        masks.comma |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, comma)) << shift;
        masks.newline |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)) << shift;
        // A byte >= 0x80 has its own high bit set, which is what movemask collects.
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, carriage)), bytes);
        masks.special |= (uint64_t)(uint32_t)_mm_movemask_epi8(special) << shift;
    }
#else
    for (int i = 0; i < 64; i++) {
        const uint8_t byte = p[i];
        const uint64_t bit = (uint64_t)1 << i;
        if (byte == ',') masks.comma |= bit;
        if (byte == '\n') masks.newline |= bit;
        if (byte == '"' || byte == '\r' || byte >= 0x80) masks.special |= bit;
    }
#endif
    return masks;
}

#endif
