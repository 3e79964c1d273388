#include "embedded/embedded_site.h"

namespace observd {

size_t EmbeddedBytes(std::span<const EmbeddedFile> files) {
  size_t n = 0;
  for (const auto& f : files) n += f.bytes.size();
  return n;
}

}  // namespace observd
