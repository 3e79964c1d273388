// Tests of util/hash.h: the published FNV-1a 64 vectors (the offset basis was once a
// digit short, 1469598103934665603, and no test said so), the FNV-1a step over every
// byte (unsigned, NUL included), and the hex form.
#include "util/hash.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace observd {
namespace {

constexpr uint64_t kPrime = 1099511628211ull;  // the 64-bit FNV prime

TEST(HashTest, Fnv1a64MatchesTheReferenceVectors) {
  // From the FNV reference code (isthe.com/chongo/tech/comp/fnv, test_fnv.c).
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);  // the offset basis
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(HashTest, EachByteIsXoredThenMultipliedByThePrime) {
  // FNV-1a, not FNV-1 (multiply then xor): h(s + c) = (h(s) ^ c) * prime.
  const std::string inputs[] = {"", "a", "observd", std::string("\0\0", 2)};
  for (const std::string& s : inputs) {
    for (int c : {0x00, 0x01, 0x61, 0x7f, 0x80, 0xff}) {
      const std::string next = s + static_cast<char>(c);
      EXPECT_EQ(Fnv1a64(next), (Fnv1a64(s) ^ static_cast<uint64_t>(c)) * kPrime)
          << "byte " << c << " after \"" << s << "\"";
    }
  }
}

TEST(HashTest, EveryByteCountsHighBitsAndNulIncluded) {
  // Bytes >= 0x80 are hashed unsigned (a signed char would xor 0xffff...ff80).
  EXPECT_EQ(Fnv1a64("\x80"), (Fnv1a64("") ^ 0x80ull) * kPrime);
  EXPECT_NE(Fnv1a64("\x80"), Fnv1a64(std::string("\0", 1)));
  // A NUL does not end the input: string_view, not a C string.
  EXPECT_NE(Fnv1a64(std::string("a\0b", 3)), Fnv1a64("a"));
  EXPECT_NE(Fnv1a64(std::string("a\0b", 3)), Fnv1a64(std::string("a\0c", 3)));
  EXPECT_NE(Fnv1a64(std::string("\0", 1)), Fnv1a64("")) << "an empty file is not a NUL";
  EXPECT_NE(Fnv1a64("ab"), Fnv1a64("ba"));  // order matters
}

TEST(HashTest, HexIsSixteenLowercaseDigitsZeroPadded) {
  std::set<std::string> seen;
  bool padded = false;
  for (int i = 0; i < 4096; ++i) {
    const std::string in = std::to_string(i);
    const std::string h = Fnv1a64Hex(in);
    ASSERT_EQ(h.size(), 16u) << i;
    ASSERT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
    ASSERT_EQ(std::stoull(h, nullptr, 16), Fnv1a64(in));
    padded = padded || h[0] == '0';
    seen.insert(h);
  }
  EXPECT_TRUE(padded) << "some hash of 4096 starts with a 0 nibble and keeps it";
  EXPECT_EQ(seen.size(), 4096u) << "an ETag shared by two small inputs";
}

TEST(HashTest, LargeInputsHashWhole) {
  std::string big(1 << 20, 'x');
  const uint64_t h = Fnv1a64(big);
  big.back() = 'y';  // the last byte of a MiB still changes the hash
  EXPECT_NE(Fnv1a64(big), h);
  big.front() = 'y';
  EXPECT_NE(Fnv1a64(big), h);
}

}  // namespace
}  // namespace observd
