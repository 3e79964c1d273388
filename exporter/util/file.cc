#include "util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace observd {
namespace {

// Closes the descriptor on every return path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  const int fd_;
};

}  // namespace

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  const Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return Fail(std::strerror(errno));
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Fail("not a regular file");
  // Stops one chunk past the limit at most, so a huge file is refused without loading it
  // (the size from fstat is only a hint: the file may grow, /proc files report 0).
  std::string text;
  text.reserve(std::min(static_cast<size_t>(st.st_size), max_bytes) + 1);
  char chunk[16384];
  while (true) {
    const ssize_t n = read(fd.get(), chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(std::strerror(errno));
    if (n == 0) return text;
    text.append(chunk, static_cast<size_t>(n));
    if (text.size() > max_bytes) {
      return Fail("larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
}

bool FileIsMissing(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) != 0 && errno == ENOENT;
}

}  // namespace observd
