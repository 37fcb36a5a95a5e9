/* entropy: the random seed kept on the state volume. At boot the previous
 * seed is mixed into the kernel's pool (not credited: a copied disk image
 * must not count as entropy) and, on a persistent volume, replaced at once
 * by a fresh one, so no two boots reuse a seed. */
#ifndef JB_INIT_ENTROPY_H
#define JB_INIT_ENTROPY_H
#define ENTROPY_SEED_BYTES 512
/* Mixes `seedfile` in if it exists; if persistent, writes a new one
 * (seedfile.new, fsync, rename; mode 0600). Failures are silent: a box with
 * no seed still boots, the kernel's own entropy suffices for getrandom. */
void entropy_seed(const char *seedfile, int persistent);
#endif
