/* jb-chacha20-avx2: ChaCha20 (RFC 8439 block function, 32-bit counter and
 * 96-bit nonce, BearSSL's br_chacha20_run calling convention) eight blocks
 * at a time in AVX2 registers; the tail (< 512 bytes) goes through BearSSL's
 * SSE2 or portable code. Add, rotate and xor only: constant-time. */
#ifndef JB_CHACHA20_AVX2_H
#define JB_CHACHA20_AVX2_H

#include <stddef.h>
#include <stdint.h>

/* 1 when the CPU and the OS (saved YMM state) have AVX2 */
int jb_chacha20_avx2_supported(void);
/* xor len bytes of data with the key stream from block cc on; returns the
 * next block counter. Call only when jb_chacha20_avx2_supported(). */
uint32_t jb_chacha20_avx2_run(const void *key, const void *iv, uint32_t cc,
		void *data, size_t len);

#endif
