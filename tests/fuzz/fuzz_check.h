// FUZZ_CHECK: the fuzz targets' assertion. A broken invariant prints the condition and
// aborts, which libFuzzer reports as a crash and saves the input as crash-<sha1>.
// Header-only, shared by the harnesses in tests/fuzz/ only.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
