// Replies holds how snapshot/ reads Redis replies, once for the counts and the uploads
// table: the refusal rule over a pipeline's replies and a strict number parser. Pure;
// thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "redis/redis_client.h"
#include "util/result.h"

namespace observd {

// Fails, naming the error, when any reply is a refusal (IsRefusal: NOAUTH, LOADING,
// READONLY...); WRONGTYPE is the application's data, not a refusal.
Result<> NoRefusal(const std::vector<ReplyPtr>& replies);

// The whole of `text` as a finite number; nullopt for anything else ("1e400", "nan", "").
std::optional<double> ParseDouble(std::string_view text);

}  // namespace observd
