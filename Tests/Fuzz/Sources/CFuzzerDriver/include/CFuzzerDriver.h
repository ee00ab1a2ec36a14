#ifndef PEERLENS_CFUZZERDRIVER_H
#define PEERLENS_CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver for programs with their own main (see libFuzzer's
/// documentation, "Using libFuzzer as a library"). SwiftPM gives every
/// executable its own main, so the harness calls this instead of relying on
/// libFuzzer's.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
