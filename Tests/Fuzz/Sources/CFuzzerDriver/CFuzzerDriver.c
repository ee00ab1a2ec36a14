// Declarations only: LLVMFuzzerRunDriver comes from the fuzzer runtime that
// -sanitize=fuzzer links in.
#include "CFuzzerDriver.h"
