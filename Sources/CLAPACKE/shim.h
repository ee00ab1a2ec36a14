// The only C the project sees: CBLAS from OpenBLAS and LAPACKE (Debian
// libopenblas-dev, liblapacke-dev). Swift code reaches them through the
// checked wrappers in PeerLensNumerics/Factorizations.
#include <cblas.h>
#include <lapacke.h>
