#include "redis/endpoint.h"

namespace observd {

void EndpointBoard::Set(RedisEndpoint endpoint) {
  std::lock_guard<std::mutex> lk(mu_);
  std::string client = endpoint.client;
  by_client_[client] = std::move(endpoint);
  reported_.clear();
}

bool EndpointBoard::FirstToReport(const std::string& problem) {
  std::lock_guard<std::mutex> lk(mu_);
  return reported_.insert(problem).second;
}

void EndpointBoard::Clear(const std::string& client) {
  std::lock_guard<std::mutex> lk(mu_);
  by_client_.erase(client);
}

std::vector<RedisEndpoint> EndpointBoard::Current() const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<RedisEndpoint> out;
  for (const auto& [client, endpoint] : by_client_) out.push_back(endpoint);
  return out;
}

}  // namespace observd
