// Tests of config/web_config.h: the exporter-toolkit subset, its errors with
// file:line:col, and the refusal of tls_server_config.
#include "config/web_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace observd {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Shaped like a bcrypt hash (cost 4); only its format matters here.
const char kHash[] = "$2b$04$abcdefghijklmnopqrstuu5BHn5nwyTY7hlTKcFOxGplRcTKlFkPa";

TEST(WebConfigTest, EmptyFileMeansNoAuthAndNoHeaders) {
  for (const char* text : {"", "# nothing\n", "basic_auth_users:\nhttp_server_config:\n"}) {
    Result<WebAuthConfig> r = ParseWebAuthConfig(text, "w.yml");
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_TRUE(r->basic_auth_users.empty());
    EXPECT_TRUE(r->headers.empty());
  }
}

TEST(WebConfigTest, ParsesUsersHeadersAndIgnoresHttp2) {
  const std::string text = std::string("basic_auth_users:\n  alice: ") + kHash +
                           "\n  bob: '$2y$10$" + std::string(53, 'A') +
                           "'\n"
                           "http_server_config:\n"
                           "  http2: true\n"
                           "  headers:\n"
                           "    Strict-Transport-Security: max-age=31536000\n"
                           "    Content-Security-Policy: \"default-src 'none'\"\n";
  Result<WebAuthConfig> r = ParseWebAuthConfig(text, "w.yml");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->basic_auth_users.size(), 2u);
  EXPECT_EQ(r->basic_auth_users.at("alice"), kHash);
  ASSERT_EQ(r->headers.size(), 2u);
  EXPECT_EQ(r->headers[0].first, "Strict-Transport-Security");
  EXPECT_EQ(r->headers[0].second, "max-age=31536000");
  EXPECT_EQ(r->headers[1].first, "Content-Security-Policy");
}

TEST(WebConfigTest, LoadsTheFixture) {
  const std::string path = std::string(OBSERVD_FIXTURES) + "/web/web-config.yml";
  Result<WebAuthConfig> r = LoadWebAuthConfig(path);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->basic_auth_users.count("prometheus"), 1u);
}

TEST(WebConfigTest, LoadErrors) {
  Result<WebAuthConfig> r = LoadWebAuthConfig("/nonexistent/web.yml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "/nonexistent/web.yml: cannot read: No such file or directory");
  r = LoadWebAuthConfig("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->basic_auth_users.empty());
}

TEST(WebConfigTest, RefusesTlsWithThePathToTheNginxRecipe) {
  const std::string path = std::string(OBSERVD_FIXTURES) + "/web/tls.yml";
  Result<WebAuthConfig> r = LoadWebAuthConfig(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), path +
                           ":2:1: tls_server_config is not supported: observd's HTTP server "
                           "cannot do TLS safely; terminate HTTPS in nginx (see "
                           "/usr/share/doc/observd/examples/nginx-observd.conf)");
}

struct ErrorCase {
  std::string yaml;
  const char* position;
  const char* message;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.yaml; }

class WebConfigErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(WebConfigErrorTest, ReportsPositionAndProblem) {
  const ErrorCase& c = GetParam();
  Result<WebAuthConfig> r = ParseWebAuthConfig(c.yaml, "web.yml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), StartsWith(std::string("web.yml:") + c.position + ": "));
  EXPECT_THAT(r.error(), HasSubstr(c.message));
  EXPECT_EQ(r.error().find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    AllErrors, WebConfigErrorTest,
    ::testing::Values(
        ErrorCase{"basic_auth_users: [a\n", "2:1", "end of sequence flow not found"},
        ErrorCase{"- a\n", "1:1", "top level: expected a map of sections, got a list"},
        ErrorCase{"basic_auth_user:\n  a: b\n", "1:1",
                  "unknown key \"basic_auth_user\" at top level (did you mean "
                  "\"basic_auth_users\"?)"},
        ErrorCase{"rate_limit: {}\n", "1:1", "unknown key \"rate_limit\" at top level"},
        ErrorCase{"http_server_config:\n  header: {}\n", "2:3",
                  "unknown key \"header\" in http_server_config"},
        ErrorCase{"basic_auth_users: [a]\n", "1:19",
                  "basic_auth_users: expected a map, got a list"},
        ErrorCase{"basic_auth_users:\n  alice: [x]\n", "2:10",
                  "basic_auth_users.alice: expected a string, got a list"},
        ErrorCase{"basic_auth_users:\n  alice: plaintext\n", "2:3",
                  "basic_auth_users.alice: not a bcrypt hash"},
        ErrorCase{"basic_auth_users:\n  alice: '$1$abc$def'\n", "2:3", "not a bcrypt hash"},
        ErrorCase{
            std::string("basic_auth_users:\n  alice: '$2x$10$") + std::string(53, 'a') + "'\n",
            "2:3", "not a bcrypt hash"},
        ErrorCase{
            std::string("basic_auth_users:\n  alice: '$2b$03$") + std::string(53, 'a') + "'\n",
            "2:3", "not a bcrypt hash"},
        ErrorCase{
            std::string("basic_auth_users:\n  alice: '$2b$10$") + std::string(52, 'a') + "'\n",
            "2:3", "not a bcrypt hash"},
        ErrorCase{std::string("basic_auth_users:\n  'a:b': '") + kHash + "'\n", "2:3",
                  "invalid user name \"a:b\""},
        ErrorCase{std::string("basic_auth_users:\n  a: '") + kHash + "'\n  a: '" + kHash + "'\n",
                  "3:3", "duplicate key \"a\" in basic_auth_users"},
        ErrorCase{"http_server_config:\n  headers: [x]\n", "2:12",
                  "http_server_config.headers: expected a map, got a list"},
        ErrorCase{"http_server_config:\n  headers:\n    Content-Type: text/plain\n", "3:5",
                  "header \"Content-Type\" is set by observd itself"},
        ErrorCase{"http_server_config:\n  headers:\n    content-length: '1'\n", "3:5",
                  "is set by observd itself"},
        ErrorCase{"http_server_config:\n  headers:\n    Transfer-Encoding: chunked\n", "3:5",
                  "is set by observd itself"},
        ErrorCase{"http_server_config:\n  headers:\n    Connection: close\n", "3:5",
                  "is set by observd itself"},
        ErrorCase{"http_server_config:\n  headers:\n    Set-Cookie: a=b\n", "3:5",
                  "is set by observd itself"},
        ErrorCase{"http_server_config:\n  headers:\n    \"X-Evil\\r\\nInjected\": a\n", "3:5",
                  "invalid header name \"X-Evil\\x0d\\x0aInjected\""},
        ErrorCase{"http_server_config:\n  headers:\n    X-Ok: \"a\\r\\nSet-Cookie: b\"\n", "3:5",
                  "header \"X-Ok\" has a control character (CR or LF) in its value"},
        ErrorCase{"http_server_config:\n  headers:\n    'X Space': a\n", "3:5",
                  "invalid header name"},
        ErrorCase{"http_server_config:\n  headers:\n    X-A: a\n    x-a: b\n", "4:5",
                  "duplicate header \"x-a\""},
        ErrorCase{"basic_auth_users: {}\ntls_server_config:\n  cert_file: a\n", "2:1",
                  "tls_server_config is not supported"}));

}  // namespace
}  // namespace observd
