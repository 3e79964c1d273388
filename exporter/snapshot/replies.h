// Replies holds how snapshot/ reads Redis replies, once for the counts, the series and
// the uploads table: the refusal rule over a pipeline's replies, what a count is, and a
// strict number parser. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "redis/redis_client.h"
#include "util/result.h"

namespace observd {

// Fails, naming the error, when any reply is a refusal (IsRefusal: NOAUTH, LOADING,
// READONLY...); WRONGTYPE is the application's data, not a refusal.
Result<> NoRefusal(std::span<const ReplyPtr> replies);

// A count: an integer reply >= 0; anything else (an error, a string, a negative number,
// no reply at all) is unknown.
std::optional<int64_t> CountReply(const ReplyPtr& reply);

// The whole of `text` as a finite number; nullopt for anything else ("1e400", "nan", "").
std::optional<double> ParseDouble(std::string_view text);

}  // namespace observd
