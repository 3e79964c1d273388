#include "util/secret_file.h"

#include "util/file.h"

namespace observd {

Result<std::string> ParseSecretText(std::string text) {
  if (text.size() > kMaxSecretBytes) {
    return Fail("is larger than " + std::to_string(kMaxSecretBytes) + " bytes (expected one line)");
  }
  if (text.ends_with("\r\n")) {
    text.resize(text.size() - 2);
  } else if (text.ends_with('\n')) {
    text.pop_back();
  }
  if (text.empty()) return Fail("is empty (expected the secret on one line)");
  if (text.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
    return Fail("holds more than one line or a NUL byte (expected one line)");
  }
  return text;
}

Result<std::string> ReadSecretFile(const std::string& path) {
  Result<std::string> text = ReadFile(path, kMaxSecretBytes);
  if (!text.ok()) return Fail(path + ": cannot read secret file: " + text.error());
  Result<std::string> secret = ParseSecretText(std::move(*text));
  if (!secret.ok()) return Fail(path + ": secret file " + secret.error());
  return secret;
}

}  // namespace observd
