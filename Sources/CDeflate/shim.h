// zlib (Debian zlib1g-dev), for the raw deflate and CRC-32 of the .xlsx
// workbooks. Swift code reaches it through PeerLensNumerics/Compression.
#include <zlib.h>
