#include "util/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace observd {

std::string ParseSecretText(std::string text, std::string* secret) {
  if (text.size() > kMaxSecretBytes) {
    return "is larger than " + std::to_string(kMaxSecretBytes) + " bytes (expected one line)";
  }
  if (text.ends_with("\r\n")) {
    text.resize(text.size() - 2);
  } else if (text.ends_with('\n')) {
    text.pop_back();
  }
  if (text.empty()) return "is empty (expected the secret on one line)";
  if (text.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
    return "holds more than one line or a NUL byte (expected one line)";
  }
  *secret = std::move(text);
  return "";
}

bool ReadSecretFile(const std::string& path, std::string* secret, std::string* error) {
  // O_NONBLOCK and the regular-file check: a FIFO or device named by mistake must not
  // block start-up or --check-config.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    *error = path + ": cannot read secret file: " + std::strerror(errno);
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    *error = path + ": cannot read secret file: not a regular file";
    return false;
  }
  // Read at most one byte past the limit, so a huge file is refused without loading it.
  std::string text(kMaxSecretBytes + 1, '\0');
  size_t used = 0;
  while (used < text.size()) {
    const ssize_t n = read(fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      close(fd);
      *error = path + ": cannot read secret file: " + std::strerror(err);
      return false;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  close(fd);
  text.resize(used);
  std::string problem = ParseSecretText(std::move(text), secret);
  if (!problem.empty()) {
    *error = path + ": secret file " + problem;
    return false;
  }
  return true;
}

}  // namespace observd
