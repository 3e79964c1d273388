// Hand-built hiredis replies for tests that read replies without a server: a string,
// an integer, an error, an array (which owns its elements). Wrap the result in a
// ReplyPtr (redis/hiredis_handles.h), which frees it. Header-only; thread-compatible.
#pragma once

#include <hiredis/hiredis.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace observd::test {

inline redisReply* Str(const std::string& s) {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_STRING;
  r->str = static_cast<char*>(malloc(s.size() + 1));
  memcpy(r->str, s.data(), s.size());
  r->str[s.size()] = 0;
  r->len = s.size();
  return r;
}

inline redisReply* Int(long long v) {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_INTEGER;
  r->integer = v;
  return r;
}

inline redisReply* Err(const std::string& s) {
  redisReply* r = Str(s);
  r->type = REDIS_REPLY_ERROR;
  return r;
}

inline redisReply* Arr(std::vector<redisReply*> items) {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_ARRAY;
  r->elements = items.size();
  r->element = static_cast<redisReply**>(calloc(items.size() + 1, sizeof(redisReply*)));
  for (size_t i = 0; i < items.size(); ++i) r->element[i] = items[i];
  return r;
}

}  // namespace observd::test
