// The connection and shared-cache policy of the routes every open dashboard polls
// (partials and JSON): one function, so the nginx micro-cache and the keep-alive
// policy follow the same rows of the route table (Route::polled). Pure; thread-safe.
#pragma once

#include "http/response.h"

namespace observd {

// For a 200: "Cache-Control: public, max-age=1" without basic auth, so that a shared
// 1 s cache (packaging/nginx/observd.conf) may answer every viewer of the same second;
// "private, no-store" with basic auth, so that no cache ever hands an answer that
// needed credentials to anyone. Any other status: "no-store". Always
// "Connection: close": a poll comes back in 5-10 s, far beyond the keep-alive
// timeout, and an open connection holds one of CivetWeb's workers.
void ApplyPollPolicy(bool auth_required, Response* r);

}  // namespace observd
